"""Wiring of the app's alarm side: away detection, busy signals, the coordinator, the wake watch.

Part of the composition root (step ``alarms`` of ``compose.INIT_ORDER``): it builds the
coordinator with what it reads of the outside world and connects it with the wake watch and
the session runner. What the face and the prompt make of it is ``reminders.py``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stretchbreak.app.context import Outside, RunContext
from stretchbreak.core.history import Outcome
from stretchbreak.core.session_values import SessionSummary
from stretchbreak.infra.boot_clock import system_boottime
from stretchbreak.infra.busy import BusyProbe
from stretchbreak.infra.logind import LogindSleep
from stretchbreak.services.coordinator import (
    Alarm,
    Coordinator,
    PromptLog,
    ScheduleAdapters,
    ScheduleInputs,
)
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.wake_watch import WakeWatch

if TYPE_CHECKING:
    from stretchbreak.ui.settings_defer import SignState

log = logging.getLogger(__name__)


class AlarmWiring:
    """The coordinator of one run and what it reads: idle time, busy signals, wake-ups."""

    def __init__(
        self,
        run: RunContext,
        alarm: Callable[[], Alarm],
        prompts: PromptLog | None,
        state_file: Path,
        outside: Outside,
        runner: SessionRunner,
    ) -> None:
        """``alarm`` starts the alarm clock; it is called once, after away detection."""
        self.idle = outside.detect_idle() if outside.detect_idle is not None else None
        log.info("away detection: %s", self.idle.name if self.idle else "unavailable")
        makers = outside.busy_makers
        self.busy = BusyProbe(makers()) if makers is not None else None
        zone = run.zone
        self.coordinator = Coordinator(
            ScheduleInputs(run.clock, run.settings(), lambda: zone, run.speed),
            ScheduleAdapters(alarm(), state_file, prompts),
            idle=self.idle,
            # Busy signals (in a call, presenting) are opened only when a break falls due.
            busy=self.busy,
        )
        self.wake_watch = WakeWatch(run.clock, boottime=system_boottime(), sleep=LogindSleep())
        coordinator = self.coordinator
        self.wake_watch.woke.connect(coordinator.woke)
        self.wake_watch.clock_jumped.connect(coordinator.clock_jumped)
        runner.session_started.connect(lambda _: coordinator.break_started())
        runner.session_ended.connect(self._on_runner_session_ended)

    def start(self) -> None:
        """The first plan, and watching for suspends and clock jumps from now on."""
        self.coordinator.plan()
        self.wake_watch.start()

    def stop(self) -> None:
        self.wake_watch.stop()

    def busy_states(self) -> list[SignState]:
        """What each busy signal can see here, for the settings (opens and closes them)."""
        if self.busy is None:
            return []
        from stretchbreak.ui.settings_defer import SignState

        states = [SignState(s.reason.value, s.source, s.problem) for s in self.busy.states()]
        if not self.coordinator.deferred_by:
            self.busy.release()  # nothing waits: keep no connection open
        return states

    def _on_runner_session_ended(self, summary: SessionSummary) -> None:
        self.coordinator.break_ended(summary.outcome is Outcome.COMPLETED)
