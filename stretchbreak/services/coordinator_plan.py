"""The coordinator's alarm side: its state, its one alarm, and what it does when that rings
(a heads-up, a prompt at a calm moment, a natural break, a wait for a call); ``Coordinator``
adds what the user and the session tell it. Every change ends in ``commit`` (save, plan).
Every alarm is a hint: waking early does nothing, waking late catches up at once.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Signal

from stretchbreak.core import coordinator_state as phases
from stretchbreak.core import schedule, schedule_state
from stretchbreak.core.coordinator_state import Phase, Reminder
from stretchbreak.core.deferral import Verdict
from stretchbreak.core.history import PromptOutcome, PromptRecord
from stretchbreak.core.schedule import Status
from stretchbreak.core.schedule_state import ScheduleState
from stretchbreak.infra.schedule_file import ScheduleFile
from stretchbreak.services.coordinator_inputs import (
    IdleReader,
    ScheduleAdapters,
    ScheduleInputs,
)
from stretchbreak.services.deferral_watch import BusyReader, DeferralWatch

log = logging.getLogger(__name__)

#: How often the lull check looks at idle time while a due prompt waits for a pause in typing.
LULL_POLL = timedelta(seconds=1)
#: Away detection looks at idle time only this close to a prompt, and then this often.
AWAY_WATCH = timedelta(minutes=3)
AWAY_POLL = timedelta(seconds=10)


class PromptPlanner(QObject):
    """The alarm side of ``Coordinator``. Signals: ``status_changed()``, ``heads_up(datetime
    due)``, ``prompt_requested()``, ``prompt_withdrawn()``, ``deferral_gave_up()`` (a call
    outlasted the limit: a quiet notification instead of a prompt).
    """

    status_changed = Signal()
    heads_up = Signal(object)
    prompt_requested = Signal()
    prompt_withdrawn = Signal()
    deferral_gave_up = Signal()

    def __init__(
        self,
        inputs: ScheduleInputs,
        adapters: ScheduleAdapters,
        *,
        idle: IdleReader | None = None,
        busy: BusyReader | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``idle`` (away detection) and ``busy`` (in a call, presenting) are read only when
        a prompt is near; None: the app cannot see them here."""
        super().__init__(parent)
        clock = inputs.clock
        self._clock = clock
        self._settings = inputs.settings
        self._zone = inputs.zone
        self._speed = inputs.speed
        self._alarm = adapters.alarm
        self._prompts = adapters.prompts
        self._file = ScheduleFile(adapters.state_file)
        self._idle = idle
        self._reminder = Reminder()
        self._busy = DeferralWatch(busy, inputs.speed)
        self._state = schedule_state.after_start(self._file.load(clock.now()), clock.now())
        self._saved: ScheduleState | None = None
        self._save()

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> ScheduleState:
        return self._state

    @property
    def phase(self) -> Phase:
        """Where the next prompt stands (see ``core.coordinator_state``)."""
        return self._reminder.phase

    @property
    def prompt_showing(self) -> bool:
        return self._reminder.phase is Phase.SHOWN

    @property
    def deferred_by(self) -> list[str]:
        """The busy signals a waiting break waits for ("microphone", …); empty if none."""
        return self._busy.reasons

    def status(self) -> Status:
        return schedule.status(
            self._settings.reminders, self._state, self._clock.now(), self._zone(), self._speed
        )

    def status_dict(self) -> dict[str, object]:
        """The answer of ``stretchbreak status --json``."""
        data: dict[str, object] = dict(self.status().to_dict())
        if self._reminder.phase is Phase.IN_BREAK:
            data["state"] = "in_break"
        data["deferred_by"] = self.deferred_by
        return data

    # ------------------------------------------------------------------ planning
    def commit(self, state: ScheduleState | None = None) -> None:
        """The one end of every change: take the new schedule state (if any), save it when it
        differs from what is on disk, and plan the next alarm."""
        if state is not None:
            self._state = state
        self._save()
        self.plan()

    def plan(self) -> None:
        """Set the one alarm for the next thing that can happen; called after every change."""
        now = self._clock.now()
        reminder = self._reminder
        if reminder.phase is Phase.IN_BREAK:
            # Nothing interrupts a break; its end plans the next prompt.
            self._alarm.cancel()
        elif reminder.shown_at is not None:
            # Never in the past (after a suspend): the alarm clock drops a job that late.
            wake = max(schedule.missed_at(reminder.shown_at, self._speed), now)
            if self._busy.watching(self._settings.defer):  # a call may start meanwhile
                wake = min(wake, self._busy.poll(now))
            self._alarm.schedule_at(wake, self._wake)
        elif reminder.due is not None:
            waiting = self._busy.next_check(now, self._settings.defer)
            self._alarm.schedule_at(waiting or now + LULL_POLL, self._wake)
        else:
            due = schedule.next_prompt(
                self._settings.reminders, self._state, now, self._zone(), self._speed
            )
            if due is None:
                self._alarm.cancel()
            else:
                warn = schedule.heads_up_at(due, self._settings.reminders, self._speed)
                fresh = reminder.warned_for != due
                early = warn if warn is not None and warn > now and fresh else due
                if self._idle is not None and self._settings.away.enabled:
                    # Shortly before a prompt, look every few seconds whether the user is away.
                    watch_from = due - schedule_state.scaled(AWAY_WATCH, self._speed)
                    poll = now + schedule_state.scaled(AWAY_POLL, self._speed)
                    early = min(early, max(watch_from, poll))
                self._alarm.schedule_at(early, self._wake)
        self.status_changed.emit()

    def _wake(self) -> None:
        """The alarm rang (perhaps late): act on whatever is due now, then plan again."""
        now = self._clock.now()
        shown_at = self._reminder.shown_at
        if shown_at is not None:
            if schedule.is_missed(shown_at, now, self._speed):
                self._decide(PromptOutcome.MISSED, now)
                # From when it was shown, or from a later restart (a suspend that was a break).
                since = max(shown_at, self._state.interval_anchor)
                self._state = schedule_state.after_missed(self._state, since)
                self._withdraw()
            else:
                self._held_back(now)  # a call that starts now hides the prompt until after
            self.commit()
            return
        due = self._reminder.due
        if due is None:
            due = schedule.next_prompt(
                self._settings.reminders, self._state, now, self._zone(), self._speed
            )
            if due is None:
                self.commit()
                return
            if now < due and self._away_now():
                self._record(due, None, PromptOutcome.NATURAL_BREAK, now)
                self._busy.end()  # the look at the signals (not busy) is over
                self.commit(schedule_state.after_natural_break(self._state, now))
                return
            if now < due:
                warn = schedule.heads_up_at(due, self._settings.reminders, self._speed)
                if warn is not None and now >= warn and self._reminder.warned_for != due:
                    self._step(phases.Warned(due))
                    self.heads_up.emit(due)
                self.commit()
                return
        self._consider_showing(due, now)

    def _away_now(self) -> bool:
        if self._idle is None or not self._settings.away.enabled:
            return False
        idle = self._idle.idle_seconds()
        away = schedule.natural_break_due(idle, self._settings.away.minutes, self._speed)
        return away and not self._busy.busy_now(self._settings.defer)

    def _consider_showing(self, due: datetime, now: datetime) -> None:
        idle = self._idle.idle_seconds() if self._idle is not None else None
        away = self._settings.away
        if self._reminder.phase is Phase.IN_BREAK:
            self._record(due, None, PromptOutcome.DEFERRED, now)
            self._state = schedule_state.after_skip(self._state, now)
            self.commit()
            return
        self._step(phases.FellDue(due))
        if self._held_back(now):
            pass  # waits for the call (recorded), or gave up
        elif self._busy.resumed_at is None and schedule.natural_break_due(
            idle, away.minutes if away.enabled else None, self._speed
        ):  # after a call, time without typing was the call, not a break
            self._record(due, None, PromptOutcome.NATURAL_BREAK, now)
            self._state = schedule_state.after_natural_break(self._state, now)
            self._step(phases.Settled())
            self._busy.end()
        elif schedule.should_show_now(
            self._busy.lull_from(due), now, idle, self._settings.reminders.lull_seconds, self._speed
        ):
            self._step(phases.Shown())
            self.prompt_requested.emit()
        self.commit()

    def _held_back(self, now: datetime) -> bool:
        """Whether the due break waits for a call (see ``core.deferral``); records the
        deferral once, and hides a prompt that was on screen when the call started."""
        verdict = self._busy.consult(now, self._settings.defer)
        if verdict is Verdict.GO:
            return False
        due, shown_at = self._reminder.due, self._reminder.shown_at
        assert due is not None
        if verdict is Verdict.DEFER:
            log.info("the break due at %s waits: busy (%s)", due, ", ".join(self.deferred_by))
            self._record(due, shown_at, PromptOutcome.DEFERRED, now, self._busy.reason)
            if shown_at is not None:
                self._step(phases.Hidden())
                self.prompt_withdrawn.emit()
        elif verdict is Verdict.GIVE_UP:
            self._decide(PromptOutcome.MISSED, now)
            self._state = schedule_state.after_missed(self._state, now)
            self._withdraw()
            self.deferral_gave_up.emit()
        return True

    # ------------------------------------------------------------------ internals
    def _step(self, event: phases.Event) -> None:
        """Move the prompt's phase; the transition itself is pure (``core.coordinator_state``)."""
        self._reminder = phases.advance(self._reminder, event, self._clock.now())

    def _answer(self, outcome: PromptOutcome) -> None:
        if self._reminder.due is None:
            return
        self._decide(outcome, self._clock.now())
        self._withdraw()

    def _decide(self, outcome: PromptOutcome, at: datetime) -> None:
        due = self._reminder.due
        assert due is not None
        self._record(due, self._reminder.shown_at, outcome, at)
        self._state = replace(self._state, last_prompt_at=due)

    def _withdraw(self) -> None:
        self._step(phases.Settled())
        self._busy.end()
        self.prompt_withdrawn.emit()

    def _record(
        self,
        due: datetime,
        shown: datetime | None,
        outcome: PromptOutcome,
        at: datetime,
        reason: str | None = None,
    ) -> None:
        log.info("prompt due at %s: %s%s", due, outcome, f" ({reason})" if reason else "")
        if self._prompts is None:
            return
        try:
            self._prompts.record_prompt(PromptRecord(due, shown, outcome, at, reason))
        except Exception:  # the schedule goes on even when the log cannot be written
            log.exception("could not record the prompt outcome %s", outcome)

    def _save(self) -> None:
        """Write the schedule state only when it changed: most alarms change nothing."""
        if self._state != self._saved:
            self._file.save(self._state)
            self._saved = self._state
