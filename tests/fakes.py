"""Stand-ins for the outside world that tests control exactly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that moves only when told; wall and monotonic time move together unless jumped."""

    def __init__(self, start: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._now = start or datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
        self._monotonic = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        """Let time pass, as it does while the machine is awake."""
        if seconds < 0:
            raise ValueError("time only moves forward; use jump_wall for clock changes")
        self._monotonic += seconds
        self._now += timedelta(seconds=seconds)

    def jump_wall(self, seconds: float) -> None:
        """Change the wall clock only (a manual change, DST, NTP, or a suspend on Linux)."""
        self._now += timedelta(seconds=seconds)


class FakeWakeTimer:
    """A wake timer that only fires when the test says so."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback
        self.seconds: float | None = None
        self.arm_count = 0

    def arm(self, seconds: float) -> None:
        self.seconds = seconds
        self.arm_count += 1

    def disarm(self) -> None:
        self.seconds = None

    @property
    def armed(self) -> bool:
        return self.seconds is not None

    def fire(self) -> None:
        if self.seconds is not None:
            self.seconds = None
            self._callback()


class FakeTimers:
    """Creates fake wake timers and remembers them, so a test can fire whatever is armed."""

    def __init__(self) -> None:
        self.made: list[FakeWakeTimer] = []

    def __call__(self, callback: Callable[[], None]) -> FakeWakeTimer:
        timer = FakeWakeTimer(callback)
        self.made.append(timer)
        return timer

    def fire_armed(self) -> None:
        for timer in list(self.made):
            timer.fire()


class FakeTicker:
    def __init__(self, interval_ms: int, callback: Callable[[], None]) -> None:
        self.interval_ms = interval_ms
        self.callback = callback
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False


class FakeTickers:
    def __init__(self) -> None:
        self.made: list[FakeTicker] = []

    def __call__(self, interval_ms: int, callback: Callable[[], None]) -> FakeTicker:
        ticker = FakeTicker(interval_ms, callback)
        self.made.append(ticker)
        return ticker


class FakeAlarm:
    """The app's alarm clock, rung by the test."""

    def __init__(self) -> None:
        self.when: datetime | None = None
        self.callback: Callable[[], None] | None = None

    def schedule_at(self, when: datetime, callback: Callable[[], None]) -> None:
        self.when, self.callback = when, callback

    def cancel(self) -> None:
        self.when = self.callback = None


class Machine:
    """A FakeClock plus a boottime clock that keeps counting through a suspend."""

    def __init__(self, start: datetime | None = None) -> None:
        self.clock = FakeClock(start)
        self.slept = 0.0

    def boottime(self) -> float:
        return self.clock.monotonic() + self.slept + 50_000.0

    def run(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def suspend(self, seconds: float) -> None:
        self.slept += seconds
        self.clock.jump_wall(seconds)

    def set_wall_clock(self, seconds: float) -> None:
        self.clock.jump_wall(seconds)
