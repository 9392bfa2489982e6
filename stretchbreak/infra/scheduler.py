"""The alarm clock for the next prompt: APScheduler's ``QtScheduler``, with its timer leak fixed.

*When* to prompt is decided by ``core.schedule``; this module only rings at that moment, on the
Qt main thread. APScheduler is imported the first time a ``BreakScheduler`` is built, never at
module import, and through ``apscheduler_import``, which keeps ``asyncio`` and
``importlib.metadata`` out of the process (measured: ~16 MiB → ~3 MiB).

Two defects of the stock ``QtScheduler`` (APScheduler 3.11) are handled here:

* ``_start_timer`` uses ``QTimer.singleShot``, which returns ``None``, so ``_stop_timer`` stops
  nothing and every wake-up (each add, replace or remove of a job) starts one more timer chain.
  ``_AlarmScheduler`` owns one persistent single-shot ``QTimer`` instead.
* With the ``debug`` executor the job runs *inside* the scheduler's pass, before APScheduler
  removes the finished ``date`` job by its id. A callback that re-plans (same fixed id, replace)
  would have its new job deleted right after it returns. Callbacks are therefore queued by the
  job and run after the pass, when the old job is gone and the timer is armed.

The fix overrides ``QtScheduler``'s private ``_start_timer``, ``_stop_timer`` and
``_process_jobs``: an APScheduler internal, kept to this one module.
``tests/integration/libraries/test_library_seams.py`` fails if an upgrade renames or reshapes them.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer

from stretchbreak.infra.apscheduler_import import import_apscheduler

__all__ = ["JOB_ID", "MIN_MISFIRE_GRACE_S", "BreakScheduler", "alarm_scheduler_class"]

log = logging.getLogger(__name__)

#: The single job's id: re-planning replaces it, so there is never more than one alarm.
JOB_ID = "next-prompt"
#: Qt may run a long single-shot timer a fraction of a second late (coarse timers, a busy
#: loop); a smaller grace would silently drop the prompt.
MIN_MISFIRE_GRACE_S = 60
#: QTimer takes a signed 32-bit millisecond interval (~24.8 days); longer waits re-arm.
_MAX_TIMER_MS = 2_147_483_647


@functools.cache
def alarm_scheduler_class() -> type[Any]:
    """Build (once) the ``QtScheduler`` subclass; importing APScheduler happens here.

    A factory instead of a module-level class keeps ``import stretchbreak.infra.scheduler``
    cheap; the class is public so tests can put it side by side with the stock one.
    """
    import_apscheduler()
    from apscheduler.schedulers.base import BaseScheduler
    from apscheduler.schedulers.qt import QtScheduler

    class _AlarmScheduler(QtScheduler):  # type: ignore[misc]  # APScheduler is untyped
        """``QtScheduler`` with one persistent timer and callbacks run after each pass.

        Mirrors the stock class otherwise: ``wakeup`` arms the timer for 0 ms, every pass
        re-arms it for APScheduler's next wait, ``shutdown`` stops it.
        """

        def __init__(self, **options: Any) -> None:
            # The timer must exist before BaseScheduler.__init__ runs, as configuring may
            # already ask for a wake-up in future APScheduler versions.
            self._alarm = QTimer()
            self._alarm.setSingleShot(True)
            # A coarse timer may fire early (an extra empty pass) or up to 5 % late.
            self._alarm.setTimerType(Qt.TimerType.PreciseTimer)
            self._alarm.timeout.connect(self._on_alarm_timeout)
            self._after_pass: list[Callable[[], None]] = []
            #: Scheduler passes so far: the number that the timer-chain leak used to inflate.
            self.pass_count = 0
            super().__init__(**options)

        def call_after_pass(self, callback: Callable[[], None]) -> None:
            """Run ``callback`` once the current pass has finished its bookkeeping."""
            self._after_pass.append(callback)

        def _on_alarm_timeout(self) -> None:
            # Looked up on every timeout (not bound at connect time) so a wrapped
            # ``_process_jobs`` — as the leak tests do to the stock class — is honoured.
            self._process_jobs()

        def _start_timer(self, wait_seconds: float | None) -> None:
            self._stop_timer()
            if wait_seconds is not None:
                # Round up: waking a millisecond early finds nothing due and costs a pass.
                self._alarm.start(min(math.ceil(wait_seconds * 1000), _MAX_TIMER_MS))

        def _stop_timer(self) -> None:
            self._alarm.stop()

        def _process_jobs(self) -> None:
            self.pass_count += 1
            wait_seconds = BaseScheduler._process_jobs(self)
            self._start_timer(wait_seconds)
            # Arm first, then call back: a callback that re-plans wakes the scheduler again
            # through add_job → wakeup, which must not be overwritten by this pass's wait.
            while self._after_pass:
                self._after_pass.pop(0)()

    return _AlarmScheduler


class BreakScheduler:
    """One alarm at a time, delivered on the Qt main thread.

    ``schedule_at`` replaces whatever was planned, so re-planning after every outcome, settings
    change or wake-up can never pile up alarms. A wake-up later than the planned time but within
    ``misfire_grace_s`` still calls back once (``coalesce``); a later one is dropped and logged,
    because the wake watch re-plans from "now" after a suspend anyway.
    """

    def __init__(self, *, misfire_grace_s: int = 120) -> None:
        if misfire_grace_s < MIN_MISFIRE_GRACE_S:
            raise ValueError(
                f"misfire_grace_s must be at least {MIN_MISFIRE_GRACE_S} s, got {misfire_grace_s}"
            )
        import_apscheduler()
        from apscheduler.events import EVENT_JOB_MISSED
        from apscheduler.executors.debug import DebugExecutor
        from apscheduler.jobstores.memory import MemoryJobStore

        self._misfire_grace_s = misfire_grace_s
        self._shut_down = False
        # Explicit executor, job store and time zone: jobs run on this thread (the default
        # executor is a thread pool), no plugin lookup, no local-zone probing — every
        # datetime here is aware UTC.
        self._scheduler = alarm_scheduler_class()(
            executors={"default": DebugExecutor()},
            jobstores={"default": MemoryJobStore()},
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": misfire_grace_s,
            },
        )
        self._scheduler.add_listener(self._on_job_missed, EVENT_JOB_MISSED)

    @property
    def misfire_grace_s(self) -> int:
        return self._misfire_grace_s

    @property
    def pass_count(self) -> int:
        """How often the scheduler has woken up; stays small however often it is re-planned."""
        count: int = self._scheduler.pass_count
        return count

    @property
    def running(self) -> bool:
        running: bool = self._scheduler.running
        return running

    def start(self) -> None:
        """Begin ringing; an alarm planned before ``start`` rings then if it is due."""
        if self._shut_down:
            raise RuntimeError("a BreakScheduler cannot be restarted after shutdown()")
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        """Stop for good; call before the app quits (a crash at exit was seen without it)."""
        if self._shut_down:
            return
        self._shut_down = True
        self.cancel()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def schedule_at(self, when: datetime, callback: Callable[[], None]) -> None:
        """Ring once at ``when`` (aware), replacing any earlier plan."""
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("schedule_at needs an aware datetime, got a naive one")
        if self._shut_down:
            log.debug("ignoring a plan for %s: the scheduler is shut down", when.isoformat())
            return
        from apscheduler.triggers.date import DateTrigger

        scheduler = self._scheduler

        def ring() -> None:
            scheduler.call_after_pass(callback)

        # A trigger instance, not the "date" alias: no entry-point plugin lookup per plan.
        scheduler.add_job(
            ring,
            DateTrigger(run_date=when.astimezone(UTC), timezone=UTC),
            id=JOB_ID,
            name="next prompt",
            replace_existing=True,
        )
        log.debug("alarm set for %s", when.isoformat())

    def cancel(self) -> None:
        """Forget the planned alarm, if any."""
        if self._scheduler.get_job(JOB_ID) is not None:
            self._scheduler.remove_job(JOB_ID)
            log.debug("alarm cancelled")

    def planned_at(self) -> datetime | None:
        """The time the alarm will ring (UTC), or ``None`` while nothing is planned."""
        job = self._scheduler.get_job(JOB_ID)
        if job is None:
            return None
        run_date: datetime = job.trigger.run_date
        return run_date.astimezone(UTC)

    def wakeup(self) -> None:
        """Look at the alarm now, e.g. after a resume, when Qt's monotonic wait is stale."""
        if self._scheduler.running:
            self._scheduler.wakeup()

    def _on_job_missed(self, event: Any) -> None:
        log.warning(
            "the alarm for %s was missed by more than %d s; waiting for a re-plan",
            event.scheduled_run_time,
            self._misfire_grace_s,
        )
