"""The wake watch with a simulated machine: suspends, clock changes and sleep signals, no waiting.

``Machine`` adds CLOCK_BOOTTIME to the FakeClock: a suspend moves wall time and boottime but
not monotonic time (as on Linux), a clock change moves wall time only. Heartbeats are fired by
hand through a fake ticker; logind is a fake here (the real adapter:
desktop_services/test_logind.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.infra.boot_clock import system_boottime
from stretchbreak.services.wake_watch import WakeWatch
from tests.fakes import FakeTicker, FakeTickers, Machine


class Heard:
    def __init__(self, watch: WakeWatch) -> None:
        self.woke: list[float] = []
        self.jumped: list[float] = []
        watch.woke.connect(self.woke.append)
        watch.clock_jumped.connect(self.jumped.append)


@pytest.fixture
def machine() -> Machine:
    return Machine()


@pytest.fixture
def tickers() -> FakeTickers:
    return FakeTickers()


def watching(
    machine: Machine, tickers: FakeTickers, *, boottime: bool = True
) -> tuple[WakeWatch, FakeTicker, Heard]:
    watch = WakeWatch(
        machine.clock,
        boottime=machine.boottime if boottime else None,
        tickers=tickers,
    )
    watch.start()
    return watch, tickers.made[-1], Heard(watch)


def beat(machine: Machine, ticker: FakeTicker, seconds: float = 30.0) -> None:
    machine.run(seconds)
    ticker.callback()


def test_the_heartbeat_is_slow_and_runs_only_while_watching(
    machine: Machine, tickers: FakeTickers
) -> None:
    watch, ticker, _ = watching(machine, tickers)
    assert ticker.interval_ms == 30_000
    assert ticker.running
    assert watch.running
    assert not watch.listening
    watch.stop()
    assert not ticker.running


def test_normal_heartbeats_report_nothing(machine: Machine, tickers: FakeTickers) -> None:
    _, ticker, heard = watching(machine, tickers)
    for _ in range(10):
        beat(machine, ticker)
        machine.set_wall_clock(0.02)  # NTP slewing: milliseconds, not a jump
    beat(machine, ticker, 95.0)  # a late heartbeat (busy loop) is no suspend
    assert (heard.woke, heard.jumped) == ([], [])


def test_a_three_minute_suspend_is_reported_once(machine: Machine, tickers: FakeTickers) -> None:
    _, ticker, heard = watching(machine, tickers)
    machine.run(10)
    machine.suspend(180)
    beat(machine, ticker, 20)
    assert heard.woke == [pytest.approx(180.0)]
    assert heard.jumped == []
    beat(machine, ticker)
    assert heard.woke == [pytest.approx(180.0)]


def test_a_clock_set_back_one_hour_is_a_jump_not_a_suspend(
    machine: Machine, tickers: FakeTickers
) -> None:
    _, ticker, heard = watching(machine, tickers)
    machine.set_wall_clock(-3600)
    beat(machine, ticker)
    assert heard.jumped == [pytest.approx(-3600.0)]
    assert heard.woke == []


def test_a_clock_set_forward_is_a_jump_not_a_suspend(
    machine: Machine, tickers: FakeTickers
) -> None:
    _, ticker, heard = watching(machine, tickers)
    machine.set_wall_clock(3600)
    beat(machine, ticker)
    assert heard.jumped == [pytest.approx(3600.0)]
    assert heard.woke == []


def test_a_suspend_and_a_clock_change_together_are_both_reported(
    machine: Machine, tickers: FakeTickers
) -> None:
    _, ticker, heard = watching(machine, tickers)
    machine.suspend(7200)
    machine.set_wall_clock(-60)  # NTP corrects a drifting RTC after the resume
    beat(machine, ticker)
    assert heard.woke == [pytest.approx(7200.0)]
    assert heard.jumped == [pytest.approx(-60.0)]


def test_a_dst_change_is_no_jump(tickers: FakeTickers) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 2026-10-25 03:00 CEST becomes 02:00 CET: local time goes back, UTC runs on.
    machine = Machine(datetime(2026, 10, 25, 0, 59, 45, tzinfo=UTC))
    before = machine.clock.now().astimezone(berlin)
    _, ticker, heard = watching(machine, tickers)
    beat(machine, ticker)
    after = machine.clock.now().astimezone(berlin)
    assert after.replace(tzinfo=None) < before.replace(tzinfo=None)
    assert (heard.woke, heard.jumped) == ([], [])


def test_small_differences_stay_below_the_threshold(machine: Machine, tickers: FakeTickers) -> None:
    _, ticker, heard = watching(machine, tickers)
    machine.suspend(4)
    machine.set_wall_clock(-4)
    beat(machine, ticker)
    assert (heard.woke, heard.jumped) == ([], [])


def test_without_boottime_a_gap_counts_as_a_suspend(machine: Machine, tickers: FakeTickers) -> None:
    _, ticker, heard = watching(machine, tickers, boottime=False)
    machine.suspend(180)
    beat(machine, ticker)
    machine.set_wall_clock(-3600)
    beat(machine, ticker)
    beat(machine, ticker)
    assert heard.woke == [pytest.approx(180.0)]
    assert heard.jumped == [pytest.approx(-3600.0)]


def test_a_check_before_start_only_takes_a_reading(machine: Machine) -> None:
    watch = WakeWatch(machine.clock, boottime=machine.boottime, tickers=FakeTickers())
    heard = Heard(watch)
    watch.check()
    machine.suspend(600)
    watch.check()
    assert heard.woke == [pytest.approx(600.0)]


def test_bad_settings_are_refused(machine: Machine) -> None:
    with pytest.raises(ValueError, match="positive"):
        WakeWatch(machine.clock, boottime=None, tickers=FakeTickers(), interval_s=0)


def test_the_system_boottime_counts_at_least_as_fast_as_monotonic() -> None:
    boottime = system_boottime()
    if boottime is None:
        pytest.skip("this OS has no CLOCK_BOOTTIME")
    first_boot, first_mono = boottime(), time.monotonic()
    second_boot = boottime()
    assert second_boot >= first_boot
    assert first_boot - first_mono >= -0.01  # boottime = monotonic + time asleep


# ---------------------------------------------------------------- the sleep signal


class FakeSleep:
    """A sleep signal under the test's hand; ``heard`` False plays a machine without logind."""

    def __init__(self, heard: bool = True) -> None:
        self.heard = heard
        self.callback: Callable[[bool], None] | None = None
        self.stopped = False

    def listen(self, callback: Callable[[bool], None]) -> bool:
        self.callback = callback
        return self.heard

    def stop(self) -> None:
        self.stopped = True


def test_a_resume_signal_reports_the_sleep_at_once(machine: Machine, tickers: FakeTickers) -> None:
    sleep = FakeSleep()
    watch = WakeWatch(machine.clock, boottime=machine.boottime, tickers=tickers, sleep=sleep)
    heard = Heard(watch)
    watch.start()
    assert watch.listening
    assert sleep.callback is not None
    machine.run(12)
    sleep.callback(True)
    assert heard.woke == []  # going to sleep is no gap yet
    machine.suspend(180)
    sleep.callback(False)
    assert heard.woke == [pytest.approx(180.0)]
    # The heartbeat that follows finds nothing new: the resume already reset the reading.
    beat(machine, tickers.made[-1])
    assert heard.woke == [pytest.approx(180.0)]
    watch.stop()
    assert sleep.stopped
    assert not watch.listening


def test_without_a_sleep_signal_the_heartbeat_alone_watches(
    machine: Machine, tickers: FakeTickers
) -> None:
    sleep = FakeSleep(heard=False)
    watch = WakeWatch(machine.clock, boottime=machine.boottime, tickers=tickers, sleep=sleep)
    heard = Heard(watch)
    watch.start()
    assert watch.running
    assert not watch.listening
    machine.suspend(180)
    beat(machine, tickers.made[-1])
    assert heard.woke == [pytest.approx(180.0)]
    watch.stop()
    assert not sleep.stopped  # nothing to unsubscribe from
