"""The alarm clock on a real ``QtScheduler``: rings once, on the GUI thread, without leaking.

Every wait is on a signal: alarms are set 100-150 ms ahead, and "nothing rang" is proven by a
second alarm (a fence) that rings later and must find the first one still silent.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.qt import QtScheduler
from apscheduler.triggers.date import DateTrigger
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from pytestqt.qtbot import QtBot

from stretchbreak.infra.scheduler import JOB_ID, BreakScheduler, alarm_scheduler_class

SOON = 0.15  # seconds ahead: long enough to re-plan twenty times, short enough to wait for
TIMEOUT_MS = 5_000


class Bell(QObject):
    """Turns a plain callback into a signal that ``qtbot.waitSignal`` can wait on."""

    rang = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.threads: list[QThread] = []

    def ring(self) -> None:
        self.count += 1
        self.threads.append(QThread.currentThread())
        self.rang.emit()


def soon(seconds: float = SOON) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.fixture
def scheduler() -> Iterator[BreakScheduler]:
    alarm = BreakScheduler()
    alarm.start()
    yield alarm
    alarm.shutdown()


@pytest.fixture
def fence() -> Iterator[BreakScheduler]:
    """A second, independent alarm that proves time has passed without sleeping."""
    alarm = BreakScheduler()
    alarm.start()
    yield alarm
    alarm.shutdown()


def test_an_alarm_rings_once_on_the_gui_thread(
    qtbot: QtBot, qapp: QCoreApplication, scheduler: BreakScheduler
) -> None:
    bell = Bell()
    scheduler.schedule_at(soon(), bell.ring)
    planned = scheduler.planned_at()
    assert planned is not None
    assert planned.tzinfo is UTC
    with qtbot.waitSignal(bell.rang, timeout=TIMEOUT_MS):
        pass
    assert bell.count == 1
    assert bell.threads[0] is qapp.thread()
    # The date job is gone and no wait is armed, so it cannot ring again.
    assert scheduler.planned_at() is None


def test_twenty_replans_wake_the_scheduler_at_most_three_times(
    qtbot: QtBot, scheduler: BreakScheduler
) -> None:
    bell = Bell()
    before = scheduler.pass_count
    for attempt in range(20):
        scheduler.schedule_at(soon(), bell.ring)
        if attempt % 4 == 3:
            scheduler.cancel()
    scheduler.schedule_at(soon(), bell.ring)
    with qtbot.waitSignal(bell.rang, timeout=TIMEOUT_MS):
        pass
    assert bell.count == 1
    # One pass for all the wake-up requests of the loop (they coalesce), one to ring.
    assert scheduler.pass_count - before <= 3


def run_replans(qtbot: QtBot, scheduler_class: type[Any], *, spaced: bool) -> tuple[int, int]:
    """Re-plan twenty times, then count passes until the alarm and between it and a fence.

    Driven through APScheduler's own API so the stock class and the fixed one run the very
    same steps. ``spaced`` lets the event loop run between re-plans, as in the app, where each
    re-plan comes from a separate user action.
    """
    passes = 0
    scheduler = scheduler_class(
        executors={"default": DebugExecutor()},
        jobstores={"default": MemoryJobStore()},
        timezone=UTC,
    )
    process_jobs = scheduler._process_jobs

    def counted() -> None:
        nonlocal passes
        passes += 1
        process_jobs()

    # Both classes look the method up on every wake-up, so an instance attribute wraps it.
    scheduler._process_jobs = counted
    alarm, fence = Bell(), Bell()
    # Read the count when each bell rings: after waitSignal returns, Qt may already have run
    # other timers that expired in the same batch.
    rung_at: list[int] = []
    alarm.rang.connect(lambda: rung_at.append(passes))
    fence.rang.connect(lambda: rung_at.append(passes))

    def at(seconds: float, bell: Bell, job_id: str) -> None:
        trigger = DateTrigger(run_date=soon(seconds), timezone=UTC)
        scheduler.add_job(bell.ring, trigger, id=job_id, replace_existing=True)

    scheduler.start()
    try:
        for attempt in range(20):
            at(SOON, alarm, "alarm")
            if attempt % 4 == 3:
                scheduler.remove_job("alarm")
            if spaced:
                QCoreApplication.processEvents()
        at(SOON, alarm, "alarm")
        at(2 * SOON, fence, "fence")
        with qtbot.waitSignal(alarm.rang, timeout=TIMEOUT_MS):
            pass
        with qtbot.waitSignal(fence.rang, timeout=TIMEOUT_MS):
            pass
        assert (alarm.count, fence.count) == (1, 1)
        until_alarm, until_fence = rung_at
        return until_alarm, until_fence - until_alarm
    finally:
        scheduler.shutdown(wait=False)


@pytest.mark.parametrize("spaced", [False, True], ids=["back-to-back", "spaced"])
def test_the_stock_scheduler_multiplies_wakeups(qtbot: QtBot, spaced: bool) -> None:
    """The contrast that proves the fix: every wake-up request leaves a timer chain running."""
    until_alarm, between = run_replans(qtbot, QtScheduler, spaced=spaced)
    # 17 add_job calls after start() each leave a chain; at the alarm's time every chain wakes
    # and re-arms for the fence, so the time between two alarms costs one pass per chain.
    assert between >= 10, (until_alarm, between)


@pytest.mark.parametrize("spaced", [False, True], ids=["back-to-back", "spaced"])
def test_the_fixed_scheduler_wakes_once_per_request_and_once_per_alarm(
    qtbot: QtBot, spaced: bool
) -> None:
    until_alarm, between = run_replans(qtbot, alarm_scheduler_class(), spaced=spaced)
    # Back to back, all wake-up requests share one pass; spaced, each gets its own (≤ 21).
    assert until_alarm <= (22 if spaced else 3), until_alarm
    assert between <= 2, between


def test_a_cancelled_alarm_does_not_ring(
    qtbot: QtBot, scheduler: BreakScheduler, fence: BreakScheduler
) -> None:
    bell, fence_bell = Bell(), Bell()
    scheduler.schedule_at(soon(), bell.ring)
    scheduler.cancel()
    scheduler.cancel()  # cancelling nothing is fine
    assert scheduler.planned_at() is None
    fence.schedule_at(soon(2 * SOON), fence_bell.ring)
    with qtbot.waitSignal(fence_bell.rang, timeout=TIMEOUT_MS):
        pass
    assert bell.count == 0


def test_a_late_alarm_within_the_grace_still_rings_once(
    qtbot: QtBot, scheduler: BreakScheduler
) -> None:
    bell = Bell()
    with qtbot.waitSignal(bell.rang, timeout=TIMEOUT_MS):
        scheduler.schedule_at(datetime.now(UTC) - timedelta(seconds=30), bell.ring)
    assert bell.count == 1
    assert scheduler.planned_at() is None


def test_an_alarm_later_than_the_grace_is_dropped_and_logged(
    qtbot: QtBot, scheduler: BreakScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    bell = Bell()
    with caplog.at_level(logging.WARNING, logger="stretchbreak.infra.scheduler"):
        scheduler.schedule_at(datetime.now(UTC) - timedelta(minutes=10), bell.ring)
        qtbot.waitUntil(lambda: scheduler.planned_at() is None, timeout=TIMEOUT_MS)
    assert bell.count == 0
    assert "missed" in caplog.text


def test_a_callback_that_replans_gets_its_new_alarm(
    qtbot: QtBot, scheduler: BreakScheduler
) -> None:
    """The coordinator re-plans from inside the alarm; the new plan must survive the pass."""
    first, second = Bell(), Bell()

    def ring_and_replan() -> None:
        scheduler.schedule_at(soon(), second.ring)
        first.ring()

    scheduler.schedule_at(soon(), ring_and_replan)
    with qtbot.waitSignal(first.rang, timeout=TIMEOUT_MS):
        pass
    assert scheduler.planned_at() is not None
    with qtbot.waitSignal(second.rang, timeout=TIMEOUT_MS):
        pass
    assert (first.count, second.count) == (1, 1)


def test_the_stock_scheduler_drops_a_plan_made_inside_its_own_job(qtbot: QtBot) -> None:
    """Why callbacks run after the pass: APScheduler deletes the re-planned job by its id."""
    stock = QtScheduler(executors={"default": DebugExecutor()}, timezone=UTC)
    first = Bell()

    def ring_and_replan() -> None:
        stock.add_job(lambda: None, DateTrigger(soon(), UTC), id=JOB_ID, replace_existing=True)
        first.ring()

    stock.add_job(ring_and_replan, DateTrigger(soon(), UTC), id=JOB_ID)
    stock.start()
    try:
        with qtbot.waitSignal(first.rang, timeout=TIMEOUT_MS):
            pass
        qtbot.waitUntil(lambda: stock.get_job(JOB_ID) is None, timeout=TIMEOUT_MS)
    finally:
        stock.shutdown(wait=False)


def test_shutdown_stops_everything(
    qtbot: QtBot, fence: BreakScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    alarm = BreakScheduler()
    alarm.start()
    bell, fence_bell = Bell(), Bell()
    alarm.schedule_at(soon(), bell.ring)
    alarm.shutdown()
    alarm.shutdown()  # quitting twice is harmless
    assert not alarm.running
    assert alarm.planned_at() is None
    with caplog.at_level(logging.DEBUG, logger="stretchbreak.infra.scheduler"):
        alarm.schedule_at(soon(), bell.ring)  # a late re-plan while quitting is ignored
    assert "shut down" in caplog.text
    assert alarm.planned_at() is None
    alarm.wakeup()  # nothing to wake
    with pytest.raises(RuntimeError, match="restarted"):
        alarm.start()
    fence.schedule_at(soon(2 * SOON), fence_bell.ring)
    with qtbot.waitSignal(fence_bell.rang, timeout=TIMEOUT_MS):
        pass
    assert bell.count == 0


def test_an_alarm_planned_before_start_rings_after_start(qtbot: QtBot) -> None:
    alarm = BreakScheduler(misfire_grace_s=60)
    bell = Bell()
    try:
        alarm.schedule_at(soon(), bell.ring)
        assert alarm.planned_at() is not None
        assert not alarm.running
        with qtbot.waitSignal(bell.rang, timeout=TIMEOUT_MS):
            alarm.start()
            alarm.start()  # starting twice is harmless
    finally:
        alarm.shutdown()
    assert bell.count == 1


def test_wakeup_makes_the_scheduler_look_at_its_alarm_now(
    qtbot: QtBot, scheduler: BreakScheduler
) -> None:
    before = scheduler.pass_count
    scheduler.schedule_at(soon(3600), lambda: None)
    qtbot.waitUntil(lambda: scheduler.pass_count > before, timeout=TIMEOUT_MS)
    before = scheduler.pass_count
    scheduler.wakeup()
    qtbot.waitUntil(lambda: scheduler.pass_count == before + 1, timeout=TIMEOUT_MS)
    assert scheduler.planned_at() is not None


def test_times_are_aware_and_the_grace_generous() -> None:
    with pytest.raises(ValueError, match="at least 60"):
        BreakScheduler(misfire_grace_s=1)
    alarm = BreakScheduler()
    assert alarm.misfire_grace_s == 120
    with pytest.raises(ValueError, match="aware"):
        alarm.schedule_at(datetime(2026, 11, 24, 9, 0), lambda: None)
    local = datetime.now(UTC).astimezone(datetime.now().astimezone().tzinfo)
    alarm.schedule_at(local, lambda: None)
    assert alarm.planned_at() == local
    alarm.shutdown()


def test_importing_the_module_does_not_import_apscheduler() -> None:
    code = (
        "import sys, stretchbreak.infra.scheduler as s\n"
        "assert 'apscheduler' not in sys.modules, 'imported at module level'\n"
        "s.alarm_scheduler_class()\n"
        "assert 'apscheduler.schedulers.qt' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
