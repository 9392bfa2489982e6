"""The daily life of the app: plan the next prompt, show it at a calm moment, record what the
user did with it, and plan again.

*When* is decided by ``core.schedule``; where the prompt stands (planned, warned, due, shown,
in a break) is one ``core.coordinator_state.Reminder`` moved by its one transition function.
This service keeps both, sets one alarm for the next thing that can happen, and turns each
outcome into a record and a new plan; every change ends in ``commit``, which saves and plans.
Every alarm is a hint: waking early does nothing, waking late catches up at once.
"""

from __future__ import annotations

from datetime import timedelta

from stretchbreak.core import coordinator_state as phases
from stretchbreak.core import schedule, schedule_state
from stretchbreak.core.coordinator_state import Phase
from stretchbreak.core.history import PromptOutcome
from stretchbreak.core.settings import Settings
from stretchbreak.services.coordinator_inputs import (
    Alarm,
    IdleReader,
    PromptLog,
    ScheduleAdapters,
    ScheduleInputs,
)
from stretchbreak.services.coordinator_plan import PromptPlanner

__all__ = ["Alarm", "Coordinator", "IdleReader", "PromptLog", "ScheduleAdapters", "ScheduleInputs"]


class Coordinator(PromptPlanner):
    """Plans and rings (``PromptPlanner``), and follows what the user and the session say:
    an answer to the prompt, a break begun or ended, a pause, a suspend, a clock jump, new
    settings. Signals: those of ``PromptPlanner``.
    """

    def start_from_prompt(self) -> None:
        """The guided window opens; the break itself begins when its session starts."""
        now = self._clock.now()
        self._answer(PromptOutcome.STARTED)
        # Counting restarts now, so closing the window unused does not re-prompt at once.
        self.commit(schedule_state.after_skip(self._state, now))

    def snooze(self, minutes: int) -> None:
        now = self._clock.now()
        self._answer(PromptOutcome.SNOOZED)
        self.commit(schedule_state.after_snooze(self._state, now, minutes, self._speed))

    def skip(self) -> None:
        now = self._clock.now()
        self._answer(PromptOutcome.SKIPPED)
        self.commit(schedule_state.after_skip(self._state, now))

    def break_started(self) -> None:
        """A session began (from the prompt or by hand): no prompt interrupts it.

        A prompt on screen is answered by the break; one still waiting for a lull is deferred.
        """
        phase, due = self._reminder.phase, self._reminder.due
        if phase is Phase.SHOWN:
            self._answer(PromptOutcome.STARTED)
        elif due is not None:
            now = self._clock.now()
            if not self._busy.held_back:  # one that waited for a call keeps its row, and why
                self._record(due, None, PromptOutcome.DEFERRED, now)
            self._state = schedule_state.after_skip(self._state, now)
        self._busy.end()
        self._step(phases.BreakStarted())
        self.commit()

    def break_ended(self, completed: bool) -> None:
        """A completed break, prompted or manual, counts as the scheduled one."""
        self._step(phases.BreakEnded())
        if completed:
            self._state = schedule_state.after_break_completed(self._state, self._clock.now())
        self.commit()

    def pause(self, minutes: int | None) -> None:
        """Pause for some minutes, or (None) until the next working-hours start."""
        now = self._clock.now()
        if minutes is None:
            self._state = schedule.pause_until_tomorrow(
                self._settings.reminders, self._state, now, self._zone()
            )
        else:
            until = now + schedule_state.scaled(timedelta(minutes=minutes), self._speed)
            self._state = schedule_state.pause(self._state, until)
        if self._reminder.phase is Phase.SHOWN:
            self._answer(PromptOutcome.DEFERRED)
        elif self._busy.deferral is not None:  # a pause wins: the waiting break goes
            self._withdraw()
        self.commit()

    def resume(self) -> None:
        self.commit(schedule_state.resume(self._state))

    def woke(self, gap_seconds: float) -> None:
        """After a suspend: one prompt at most, or a natural break if the gap was long."""
        away = self._settings.away
        natural = schedule.natural_break_due(
            gap_seconds, away.minutes if away.enabled else None, self._speed
        )
        due = self._reminder.due
        if natural and self._busy.deferral is not None and due is not None:
            self._record(due, None, PromptOutcome.NATURAL_BREAK, self._clock.now())
            self._withdraw()
        self._busy.suspended(gap_seconds, natural)
        state = schedule.after_wake(
            self._state,
            self._settings.reminders,
            self._clock.now(),
            gap_seconds,
            away.minutes if away.enabled else None,
            self._speed,
        )
        self.commit(state)

    def clock_jumped(self, seconds: float) -> None:
        """The plan, and a prompt waiting or on screen, move with the wall clock, so a shown
        prompt still stays its full time and the next one keeps the real time it had left."""
        now = self._clock.now()
        self._state = schedule.after_clock_jump(self._state, now, seconds)
        self._step(phases.ClockJumped(seconds))
        self._busy.clock_jumped(now, seconds)
        self.commit()

    def change_settings(self, settings: Settings) -> None:
        """New interval or working hours take effect at once."""
        self._settings = settings
        self.commit()
