"""The one place that creates Qt timers, so tests can swap in timers they fire by hand.

A timer here is only a wake-up hint: whoever it wakes reads the clock and decides what is due.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer


class WakeTimer(Protocol):
    """A single-shot alarm that can be re-armed; arming again replaces the previous wait."""

    def arm(self, seconds: float) -> None: ...

    def disarm(self) -> None: ...

    @property
    def armed(self) -> bool: ...


class Ticker(Protocol):
    """A repeating timer for animation; it must not run while nothing moves on screen."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    @property
    def running(self) -> bool: ...


WakeTimerFactory = Callable[[Callable[[], None]], WakeTimer]
TickerFactory = Callable[[int, Callable[[], None]], Ticker]


class QtWakeTimer:
    """One persistent precise single-shot QTimer; never a chain of ``singleShot`` calls."""

    def __init__(self, callback: Callable[[], None], parent: QObject | None = None) -> None:
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(callback)

    def arm(self, seconds: float) -> None:
        # Round up: waking a millisecond early would find nothing due and need another wake-up.
        self._timer.start(max(0, math.ceil(seconds * 1000)))

    def disarm(self) -> None:
        self._timer.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()


class QtTicker:
    def __init__(
        self, interval_ms: int, callback: Callable[[], None], parent: QObject | None = None
    ) -> None:
        self._timer = QTimer(parent)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(callback)

    def start(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()


def qt_wake_timer(callback: Callable[[], None]) -> WakeTimer:
    return QtWakeTimer(callback)


def qt_ticker(interval_ms: int, callback: Callable[[], None]) -> Ticker:
    return QtTicker(interval_ms, callback)
