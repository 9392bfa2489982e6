"""Notices suspend/resume and wall-clock jumps, which the Qt timers behind every alarm cannot see.

Qt waits on CLOCK_MONOTONIC, which stands still while a Linux machine sleeps: after a one-hour
suspend an alarm planned for "in 10 minutes" would still be 10 minutes away. APScheduler plans
by the wall clock, so a wall-clock step (a manual change, an NTP correction) leaves its
monotonic wait wrong as well. The coordinator re-plans from "now" whenever this watch speaks.

Two sources, one check:

* a slow heartbeat compares how far each clock moved since the previous look: CLOCK_BOOTTIME
  (which keeps counting through a suspend) minus monotonic time is the time spent asleep, wall
  time minus boottime is a step of the wall clock. DST does not move UTC, so it is no jump;
* logind's ``PrepareForSleep(false)`` on the system bus, where there is one, triggers the same
  check right after a resume instead of up to one heartbeat later.

Both clocks and logind are the outside world: they come from ``infra`` (``boot_clock``,
``logind``) through the composition root, and tests hand in fakes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.clock import Clock
from stretchbreak.services.timers import TickerFactory, qt_ticker

__all__ = ["BootTime", "SleepSignal", "WakeWatch"]

log = logging.getLogger(__name__)

#: Seconds on a clock that keeps counting while the machine is suspended.
BootTime = Callable[[], float]


class SleepSignal(Protocol):
    """Tells when the machine is about to sleep (``True``) and when it woke (``False``)."""

    def listen(self, callback: Callable[[bool], None]) -> bool:
        """Start calling back; False where nothing can be heard (the heartbeat still works)."""
        ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class _Reading:
    wall: datetime
    monotonic: float
    boottime: float | None


class WakeWatch(QObject):
    """Tells when the machine slept or its wall clock stepped, so plans can be made again.

    Signals: ``woke(float)`` with the seconds spent suspended, ``clock_jumped(float)`` with the
    seconds the wall clock stepped (negative: set back).

    Without a boottime clock (macOS, or a test that says so) a suspend and a forward step of the
    wall clock look alike; both are reported as ``woke``, because both mean "a lot of time has
    passed" and a suspend is by far the more common. A backward step is always ``clock_jumped``.
    """

    woke = Signal(float)
    clock_jumped = Signal(float)

    def __init__(
        self,
        clock: Clock,
        *,
        boottime: BootTime | None,
        tickers: TickerFactory = qt_ticker,
        interval_s: float = 30.0,
        threshold_s: float = 5.0,
        sleep: SleepSignal | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if interval_s <= 0 or threshold_s <= 0:
            raise ValueError("interval_s and threshold_s must be positive")
        self._clock = clock
        self._boottime = boottime
        self._threshold_s = threshold_s
        self._ticker = tickers(round(interval_s * 1000), self.check)
        self._sleep = sleep
        self._listening = False
        self._last: _Reading | None = None

    @property
    def running(self) -> bool:
        return self._ticker.running

    @property
    def listening(self) -> bool:
        """Whether logind's sleep signal reaches us (False: the heartbeat alone notices)."""
        return self._listening

    def start(self) -> None:
        """Take the first reading and begin watching; later readings are compared with it."""
        self._last = self._read()
        self._ticker.start()
        if not self._listening and self._sleep is not None:
            self._listening = self._sleep.listen(self._on_prepare_for_sleep)

    def stop(self) -> None:
        self._ticker.stop()
        if self._listening and self._sleep is not None:
            self._sleep.stop()
        self._listening = False

    def check(self) -> None:
        """Compare the clocks with the previous reading, report a gap, and start afresh."""
        now = self._read()
        last, self._last = self._last, now
        if last is None:
            return
        awake = now.monotonic - last.monotonic
        wall = (now.wall - last.wall).total_seconds()
        if now.boottime is not None and last.boottime is not None:
            elapsed = now.boottime - last.boottime
            asleep, stepped = elapsed - awake, wall - elapsed
        else:
            extra = wall - awake
            asleep, stepped = (extra, 0.0) if extra > 0 else (0.0, extra)
        if asleep > self._threshold_s:
            log.info("the machine slept for %.0f s", asleep)
            self.woke.emit(asleep)
        if abs(stepped) > self._threshold_s:
            log.info("the wall clock stepped by %+.0f s", stepped)
            self.clock_jumped.emit(stepped)

    def _read(self) -> _Reading:
        boottime = self._boottime() if self._boottime is not None else None
        return _Reading(self._clock.now(), self._clock.monotonic(), boottime)

    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        # Going to sleep: a fresh reading makes the coming gap exactly the time asleep.
        # Resumed: the same check the heartbeat makes, only now rather than up to 30 s later;
        # it resets the reading, so the next heartbeat does not report the sleep again.
        del going_to_sleep  # both call for the same check
        self.check()
