"""The break session as a pure, clock-driven state machine.

OVERVIEW → SETUP(cue i)… → per set, per rep: MOVE → HOLD → RETURN → … → REST → … → DONE,
and CANCELLED from anywhere. Every timed phase is a deadline on the monotonic clock; a timer
is only a hint to call ``tick()``, which catches up on every deadline that has passed and does
nothing before. Transitions happen at their deadline, not at the moment ``tick()`` runs, so a
late wake-up never stretches a hold or a rest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from stretchbreak.core.clock import Clock
from stretchbreak.core.exercise import StepPhase
from stretchbreak.core.history import CompletedSet, Feeling, Outcome
from stretchbreak.core.session_values import (
    REST_EXTENSION_SECONDS,
    FeelingRated,
    InvalidTransition,
    PauseChanged,
    Phase,
    PhaseChanged,
    SessionEnded,
    SessionEvent,
    SessionPlan,
    SessionStarted,
    SessionSummary,
    SessionView,
    SetAbandoned,
    SetCompleted,
    TempoMode,
)

_STEP_PHASES = {
    Phase.MOVE: StepPhase.MOVE,
    Phase.HOLD: StepPhase.HOLD,
    Phase.RETURN: StepPhase.RETURN,
}


class BreakSession:
    """One guided run of an exercise for one goal and target."""

    def __init__(self, plan: SessionPlan, clock: Clock) -> None:
        plan.target.check(plan.goal)
        if not plan.speed > 0:
            raise ValueError(f"speed must be above 0, not {plan.speed}")
        if plan.rest_seconds < 0:
            raise ValueError(f"rest must not be negative, not {plan.rest_seconds}")
        self._plan = plan
        self._clock = clock
        self._phase = Phase.OVERVIEW
        self._setup_index = 0
        self._set = 0
        self._rep = 0
        self._reps_in_set = 0
        self._reps_total = 0
        self._deadline: float | None = None
        self._phase_seconds: float | None = None
        self._paused_since: float | None = None
        self._paused_remaining: float | None = None
        self._paused_total = 0.0
        self._begun_at = 0.0
        self._ended_at: float | None = None
        self._set_begun_at = 0.0
        self._set_paused_before = 0.0
        self._records: list[CompletedSet] = []
        self._events: list[SessionEvent] = []
        self._feeling: Feeling | None = None
        self._summary: SessionSummary | None = None

    @property
    def plan(self) -> SessionPlan:
        return self._plan

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    @property
    def summary(self) -> SessionSummary | None:
        """The result once the session has ended, with the latest feeling."""
        return self._summary

    # ------------------------------------------------------------------ commands
    def begin(self) -> None:
        """Leave the overview for the setup cues; the session's clock starts here."""
        self._require("begin", Phase.OVERVIEW)
        now = self._clock.monotonic()
        self._begun_at = now
        plan = self._plan
        self._events.append(
            SessionStarted(
                plan.session_id,
                plan.exercise.id,
                plan.goal.id,
                plan.target,
                plan.tempo,
                plan.source,
                self._wall(now),
            )
        )
        self._enter_setup(0, now)

    def next_cue(self) -> None:
        """Show the next setup cue now instead of waiting for it."""
        self.tick()
        self._require("go to the next cue", Phase.SETUP)
        if self._setup_index + 1 >= self._setup_total:
            raise InvalidTransition("the last setup cue is showing; choose Ready")
        self._enter_setup(self._setup_index + 1, self._clock.monotonic())

    def ready(self) -> None:
        """Finish the setup and start the first rep, from any setup cue."""
        self.tick()
        self._require("start the first rep", Phase.SETUP)
        self._start_set(1, self._clock.monotonic())

    def advance(self) -> None:
        """Self-paced: "I'm in the stretch" during MOVE, "I'm back" during RETURN."""
        self.tick()
        self._require("advance", Phase.MOVE, Phase.RETURN)
        if self._plan.tempo is not TempoMode.SELF_PACED:
            raise InvalidTransition("guided reps flow on their own; advancing is self-paced only")
        now = self._clock.monotonic()
        if self._phase is Phase.MOVE:
            self._enter(Phase.HOLD, now, self._hold_seconds)
        else:
            self._finish_rep(now)

    def pause(self) -> None:
        """Freeze every deadline exactly where it is."""
        self.tick()
        self._require(
            "pause",
            Phase.SETUP,
            Phase.MOVE,
            Phase.HOLD,
            Phase.RETURN,
            Phase.REST,
            allow_paused=False,
        )
        now = self._clock.monotonic()
        self._paused_since = now
        if self._deadline is not None:
            self._paused_remaining = self._deadline - now
            self._deadline = None
        self._events.append(PauseChanged(True, self._wall(now)))

    def resume(self) -> None:
        """Continue with exactly the time that was left when pausing."""
        if self._paused_since is None:
            raise InvalidTransition(f"cannot resume during {self._phase}: not paused")
        now = self._clock.monotonic()
        self._paused_total += now - self._paused_since
        self._paused_since = None
        if self._paused_remaining is not None:
            self._deadline = now + self._paused_remaining
            self._paused_remaining = None
        self._events.append(PauseChanged(False, self._wall(now)))

    def skip_rest(self) -> None:
        self.tick()
        self._require("skip the rest", Phase.REST)
        self._start_set(self._set + 1, self._clock.monotonic())

    def extend_rest(self) -> None:
        """Add fifteen seconds (scaled by speed) to the current rest."""
        self.tick()
        self._require("extend the rest", Phase.REST)
        extra = REST_EXTENSION_SECONDS / self._plan.speed
        assert self._deadline is not None
        assert self._phase_seconds is not None
        self._deadline += extra
        self._phase_seconds += extra

    def cancel(self) -> None:
        """End now; a set in progress with at least one rep done is kept as partial."""
        self.tick()
        if self._phase.finished:
            raise InvalidTransition(f"cannot cancel: the session is already {self._phase}")
        now = self._clock.monotonic()
        if self._paused_since is not None:
            self._paused_total += now - self._paused_since
            self._paused_since = None
            self._paused_remaining = None
        if self._phase is Phase.OVERVIEW:
            self._begun_at = now
        elif self._phase.in_rep and self._reps_in_set > 0:
            record = self._record(now, partial=True)
            self._events.append(SetAbandoned(record))
        self._finish(Phase.CANCELLED, Outcome.CANCELLED, now)

    def rate(self, feeling: Feeling) -> None:
        """Store the answer to "How did it feel?"; it may be changed until the window closes."""
        if self._summary is None:
            raise InvalidTransition(f"cannot rate during {self._phase}: the session has not ended")
        self._feeling = feeling
        self._summary = replace(self._summary, feeling=feeling)
        self._events.append(
            FeelingRated(self._plan.session_id, feeling, self._wall(self._clock.monotonic()))
        )

    def tick(self) -> None:
        """Apply every deadline that has passed, each at its own instant; idempotent."""
        now = self._clock.monotonic()
        while self._deadline is not None and self._deadline <= now:
            self._on_deadline(self._deadline)

    def drain_events(self) -> list[SessionEvent]:
        """Hand out the domain events since the last call, oldest first."""
        events, self._events = self._events, []
        return events

    def view(self) -> SessionView:
        now = self._clock.monotonic()
        plan = self._plan
        if self._deadline is not None:
            remaining: float | None = max(0.0, self._deadline - now)
        else:
            remaining = self._paused_remaining
        step = None
        if self._phase.in_rep:
            step = plan.exercise.step_for(_STEP_PHASES[self._phase])
            step = step.for_hold(plan.target.hold_seconds)
        planned_reps = plan.target.sets * plan.target.reps
        waiting = (
            self._deadline is None
            and self._paused_since is None
            and self._phase in (Phase.OVERVIEW, Phase.SETUP, Phase.MOVE, Phase.RETURN)
        )
        return SessionView(
            phase=self._phase,
            tempo=plan.tempo,
            paused=self.paused,
            set_number=self._set,
            sets_total=plan.target.sets,
            rep_number=self._rep,
            reps_total=plan.target.reps,
            hold_seconds=plan.target.hold_seconds,
            setup_index=self._setup_index,
            setup_total=self._setup_total,
            step=step,
            deadline=self._deadline,
            phase_seconds=self._phase_seconds,
            remaining_seconds=remaining,
            waiting_for_user=waiting,
            reps_done_in_set=self._reps_in_set,
            reps_done_total=self._reps_total,
            progress=self._reps_total / planned_reps,
            active_seconds=self._active_seconds(now),
            completed_sets=tuple(self._records),
            feeling=self._feeling,
        )

    # ------------------------------------------------------------------ internals
    @property
    def _setup_total(self) -> int:
        return len(self._plan.exercise.setup)

    @property
    def _hold_seconds(self) -> float:
        return self._plan.target.hold_seconds / self._plan.speed

    def _guided(self, nominal: float) -> float | None:
        """A duration that only guided tempo times; self-paced waits for the user instead."""
        if self._plan.tempo is TempoMode.GUIDED:
            return nominal / self._plan.speed
        return None

    def _require(self, action: str, *phases: Phase, allow_paused: bool = False) -> None:
        if self._phase not in phases:
            raise InvalidTransition(f"cannot {action} during {self._phase}")
        if self.paused and not allow_paused:
            raise InvalidTransition(f"cannot {action} while paused; resume first")

    def _wall(self, instant: float) -> datetime:
        """The wall-clock time of a past monotonic instant, as seen from now."""
        return self._clock.now() - timedelta(seconds=self._clock.monotonic() - instant)

    def _enter(self, phase: Phase, at: float, seconds: float | None) -> None:
        self._phase = phase
        self._phase_seconds = seconds
        self._deadline = None if seconds is None else at + seconds
        self._events.append(PhaseChanged(phase, self._set, self._rep, self._wall(at)))

    def _enter_setup(self, index: int, at: float) -> None:
        self._setup_index = index
        last = index + 1 >= self._setup_total
        tempo = self._plan.exercise.tempo
        self._enter(Phase.SETUP, at, None if last else self._guided(tempo.setup_cue_seconds))

    def _start_set(self, number: int, at: float) -> None:
        self._set = number
        self._rep = 1
        self._reps_in_set = 0
        self._set_begun_at = at
        self._set_paused_before = self._paused_total
        self._enter(Phase.MOVE, at, self._guided(self._plan.exercise.tempo.move_seconds))

    def _on_deadline(self, at: float) -> None:
        tempo = self._plan.exercise.tempo
        if self._phase is Phase.SETUP:
            self._enter_setup(self._setup_index + 1, at)
        elif self._phase is Phase.MOVE:
            self._enter(Phase.HOLD, at, self._hold_seconds)
        elif self._phase is Phase.HOLD:
            self._enter(Phase.RETURN, at, self._guided(tempo.return_seconds))
        elif self._phase is Phase.RETURN:
            self._finish_rep(at)
        else:  # REST is the only other phase that ever has a deadline
            self._start_set(self._set + 1, at)

    def _finish_rep(self, at: float) -> None:
        self._reps_in_set += 1
        self._reps_total += 1
        target = self._plan.target
        if self._rep < target.reps:
            self._rep += 1
            self._enter(Phase.MOVE, at, self._guided(self._plan.exercise.tempo.move_seconds))
            return
        self._events.append(SetCompleted(self._record(at, partial=False)))
        if self._set >= target.sets:
            self._finish(Phase.DONE, Outcome.COMPLETED, at)
        elif self._plan.rest_seconds > 0:
            self._enter(Phase.REST, at, self._plan.rest_seconds / self._plan.speed)
        else:
            self._start_set(self._set + 1, at)

    def _record(self, at: float, *, partial: bool) -> CompletedSet:
        plan = self._plan
        paused = self._paused_total - self._set_paused_before
        record = CompletedSet(
            session_id=plan.session_id,
            exercise=plan.exercise.id,
            goal=plan.goal.id,
            set_index=self._set,
            reps=self._reps_in_set,
            hold_seconds=plan.target.hold_seconds,
            started_at=self._wall(self._set_begun_at),
            completed_at=self._wall(at),
            active_seconds=(at - self._set_begun_at) - paused,
            paused_seconds=paused,
            source=plan.source,
            partial=partial,
        )
        self._records.append(record)
        return record

    def _finish(self, phase: Phase, outcome: Outcome, at: float) -> None:
        self._enter(phase, at, None)
        self._ended_at = at
        plan = self._plan
        self._summary = SessionSummary(
            session_id=plan.session_id,
            exercise=plan.exercise.id,
            goal=plan.goal.id,
            target=plan.target,
            tempo=plan.tempo,
            source=plan.source,
            started_at=self._wall(self._begun_at),
            ended_at=self._wall(at),
            outcome=outcome,
            sets=tuple(self._records),
            active_seconds=self._active_seconds(at),
            paused_seconds=self._paused_total,
            feeling=self._feeling,
        )
        self._events.append(SessionEnded(self._summary))

    def _active_seconds(self, now: float) -> float:
        if self._phase is Phase.OVERVIEW:
            return 0.0
        end = self._ended_at if self._ended_at is not None else now
        paused = self._paused_total
        if self._paused_since is not None:
            paused += now - self._paused_since
        return (end - self._begun_at) - paused
