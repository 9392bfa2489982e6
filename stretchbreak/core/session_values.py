"""The plain values a break session takes in and hands out: plan, phases, view, events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from stretchbreak.core.exercise import Exercise, Goal, Step
from stretchbreak.core.history import CompletedSet, Feeling, Outcome, Source
from stretchbreak.core.target import Target

#: How much one press of "+15 s" adds to a rest, before the speed factor.
REST_EXTENSION_SECONDS = 15.0
DEFAULT_REST_SECONDS = 30.0


class Phase(StrEnum):
    OVERVIEW = "overview"
    SETUP = "setup"
    MOVE = "move"
    HOLD = "hold"
    RETURN = "return"
    REST = "rest"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def in_rep(self) -> bool:
        return self in (Phase.MOVE, Phase.HOLD, Phase.RETURN)

    @property
    def finished(self) -> bool:
        return self in (Phase.DONE, Phase.CANCELLED)


class TempoMode(StrEnum):
    """Guided: every part of a rep is timed and flows on its own.

    Self-paced: the user moves into the stretch and back at their own pace and presses to
    go on; only the hold and the rest are timed.
    """

    GUIDED = "guided"
    SELF_PACED = "self-paced"


class InvalidTransition(RuntimeError):
    """A command that makes no sense in the current phase; the UI disables it instead."""


@dataclass(frozen=True)
class SessionPlan:
    """Everything fixed when a session is created."""

    session_id: str
    exercise: Exercise
    goal: Goal
    target: Target
    tempo: TempoMode = TempoMode.GUIDED
    source: Source = Source.MANUAL
    rest_seconds: float = DEFAULT_REST_SECONDS
    #: Scales every duration down (2.0 = twice as fast); a developer and demo option.
    speed: float = 1.0


@dataclass(frozen=True)
class SessionView:
    """A snapshot for rendering; countdowns are drawn from ``deadline``, never from ticks."""

    phase: Phase
    tempo: TempoMode
    paused: bool
    set_number: int
    sets_total: int
    rep_number: int
    reps_total: int
    hold_seconds: int
    setup_index: int
    setup_total: int
    step: Step | None
    #: Monotonic instant the current phase ends; None when untimed or paused.
    deadline: float | None
    #: Real length of the current timed phase (after speed), for drawing a ring.
    phase_seconds: float | None
    #: Seconds left in the current timed phase at the moment of the snapshot.
    remaining_seconds: float | None
    #: True when nothing happens until the user acts (self-paced steps, the last setup cue).
    waiting_for_user: bool
    reps_done_in_set: int
    reps_done_total: int
    #: Fraction of all planned reps done, 0.0 to 1.0.
    progress: float
    #: Time since the session began, pauses excluded.
    active_seconds: float
    completed_sets: tuple[CompletedSet, ...]
    feeling: Feeling | None


@dataclass(frozen=True)
class SessionSummary:
    session_id: str
    exercise: str
    goal: str
    target: Target
    tempo: TempoMode
    source: Source
    started_at: datetime
    ended_at: datetime
    outcome: Outcome
    sets: tuple[CompletedSet, ...]
    active_seconds: float
    paused_seconds: float
    feeling: Feeling | None

    @property
    def completed_sets(self) -> tuple[CompletedSet, ...]:
        return tuple(s for s in self.sets if not s.partial)

    @property
    def sets_done(self) -> int:
        return len(self.completed_sets)

    @property
    def reps_done(self) -> int:
        """Reps of finished sets; ``core.tally.reps_of`` adds those of a set cut short."""
        return sum(s.reps for s in self.completed_sets)

    @property
    def partial_sets(self) -> int:
        return sum(s.partial for s in self.sets)

    @property
    def partial_reps(self) -> int:
        return sum(s.reps for s in self.sets if s.partial)

    @property
    def set_seconds(self) -> float:
        """Time spent inside sets, pauses excluded: the stretching itself."""
        return sum(s.active_seconds for s in self.sets)


@dataclass(frozen=True)
class SessionStarted:
    session_id: str
    exercise: str
    goal: str
    target: Target
    tempo: TempoMode
    source: Source
    at: datetime


@dataclass(frozen=True)
class PhaseChanged:
    phase: Phase
    set_number: int
    rep_number: int
    at: datetime


@dataclass(frozen=True)
class PauseChanged:
    paused: bool
    at: datetime


@dataclass(frozen=True)
class SetCompleted:
    record: CompletedSet


@dataclass(frozen=True)
class SetAbandoned:
    """A set cut short by cancel: its record is ``partial`` and never counts as completed."""

    record: CompletedSet


@dataclass(frozen=True)
class SessionEnded:
    summary: SessionSummary


@dataclass(frozen=True)
class FeelingRated:
    session_id: str
    feeling: Feeling
    at: datetime


SessionEvent = (
    SessionStarted
    | PhaseChanged
    | PauseChanged
    | SetCompleted
    | SetAbandoned
    | SessionEnded
    | FeelingRated
)
