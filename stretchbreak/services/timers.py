"""The one place that creates Qt timers, so tests can swap in timers they fire by hand.

A timer here is only a wake-up hint: whoever it wakes reads the clock and decides what is due.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer


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
    """One persistent precise single-shot QTimer; never a chain of ``singleShot`` calls.

    Made precise when first armed, not when built: the instance channel builds its timers
    before the tray icon shows, and ``PySide6.QtCore.Qt`` (the namespace the timer type lives
    in) costs ~16 ms to load, which would all be start-up time.
    """

    def __init__(self, callback: Callable[[], None], parent: QObject | None = None) -> None:
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(callback)
        self._precise = False

    def arm(self, seconds: float) -> None:
        if not self._precise:
            from PySide6.QtCore import Qt  # see the class docstring

            self._timer.setTimerType(Qt.TimerType.PreciseTimer)
            self._precise = True
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


def on_next_turn(callback: Callable[[], None]) -> None:
    """Run ``callback`` once, on the event loop's next turn (how the start hands over from
    the tray icon to building the app): a plain zero-time single shot, no timer kept."""
    QTimer.singleShot(0, callback)


def qt_wake_timer(callback: Callable[[], None]) -> WakeTimer:
    return QtWakeTimer(callback)


def qt_ticker(interval_ms: int, callback: Callable[[], None]) -> Ticker:
    return QtTicker(interval_ms, callback)
