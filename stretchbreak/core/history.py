"""What the user did, as values shared by the session engine, the store and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol


class Source(StrEnum):
    """Why a session started: answering a prompt, or on the user's own initiative."""

    PROMPT = "prompt"
    MANUAL = "manual"


class Feeling(StrEnum):
    """The user's answer to "How did it feel?", used to steer the next target."""

    EASY = "easy"
    JUST_RIGHT = "just-right"
    HARD = "hard"
    PAINFUL = "painful"


@dataclass(frozen=True)
class CompletedSet:
    """One set as it happened; ``partial`` marks a set cut short, which never counts as done.

    Times are aware UTC datetimes; ``active_seconds + paused_seconds`` spans the set from its
    first movement to its last return.
    """

    session_id: str
    exercise: str
    goal: str
    set_index: int
    reps: int
    hold_seconds: int
    started_at: datetime
    completed_at: datetime
    active_seconds: float
    paused_seconds: float
    source: Source
    partial: bool = False


class Outcome(StrEnum):
    """How a session ended; a session still open (the app was killed) has none yet."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PromptOutcome(StrEnum):
    """What became of one break prompt."""

    STARTED = "started"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    MISSED = "missed"
    NATURAL_BREAK = "natural_break"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class SessionRecord:
    """One session as the log keeps it, with its sets in order."""

    session_id: str
    exercise: str
    goal: str
    source: Source
    tempo: str
    target_sets: int
    target_reps: int
    target_hold_seconds: int
    started_at: datetime
    ended_at: datetime | None
    outcome: Outcome | None
    feeling: Feeling | None
    sets: tuple[CompletedSet, ...]

    @property
    def completed_sets(self) -> tuple[CompletedSet, ...]:
        return tuple(s for s in self.sets if not s.partial)

    @property
    def sets_done(self) -> int:
        return sum(not s.partial for s in self.sets)

    @property
    def reps_done(self) -> int:
        return sum(s.reps for s in self.sets if not s.partial)

    @property
    def max_reps(self) -> int:
        return max((s.reps for s in self.sets if not s.partial), default=0)

    @property
    def partial_sets(self) -> int:
        return sum(s.partial for s in self.sets)

    @property
    def partial_reps(self) -> int:
        """The reps finished in sets cut short; ``core.tally`` says how they count."""
        return sum(s.reps for s in self.sets if s.partial)

    @property
    def active_seconds(self) -> float:
        """Partial sets included: that time was really spent stretching."""
        return sum((s.active_seconds for s in self.sets), 0.0)

    def digest(self) -> SessionDigest:
        return SessionDigest(
            session_id=self.session_id,
            exercise=self.exercise,
            goal=self.goal,
            source=self.source,
            started_at=self.started_at,
            ended_at=self.ended_at,
            outcome=self.outcome,
            feeling=self.feeling,
            target_hold_seconds=self.target_hold_seconds,
            sets_done=self.sets_done,
            reps_done=self.reps_done,
            max_reps=self.max_reps,
            partial_sets=self.partial_sets,
            partial_reps=self.partial_reps,
            active_seconds=self.active_seconds,
        )


class SessionDigest(NamedTuple):
    """A session without its sets, only their sums: what lists and statistics need.

    Loading these instead of ``SessionRecord``s keeps a 100 000-set history quick to open:
    the store adds the sets up in SQL, and no ``CompletedSet`` is built. It equals
    ``record.digest()`` of the same session, except that ``active_seconds`` may differ in its
    last bits where the database adds floats in another way than Python does.

    A ``NamedTuple`` rather than a frozen dataclass because the history builds 20 000 of them
    at a time, and a frozen dataclass' ``__init__`` (an ``object.__setattr__`` per field) is
    about seven times slower. Being a tuple, it also equals a plain tuple of the same values;
    compare digests with digests only.
    """

    session_id: str
    exercise: str
    goal: str
    source: Source
    started_at: datetime
    ended_at: datetime | None
    outcome: Outcome | None
    feeling: Feeling | None
    target_hold_seconds: int
    #: Non-partial sets, their reps and the most reps in one of them (0 without any).
    sets_done: int
    reps_done: int
    max_reps: int
    #: Sets cut short and the reps finished in them.
    partial_sets: int
    partial_reps: int
    #: Over all sets, partial ones included.
    active_seconds: float


class SessionLike(Protocol):
    """What statistics and the session table read of a session: a record or a digest."""

    @property
    def session_id(self) -> str: ...

    @property
    def goal(self) -> str: ...

    @property
    def source(self) -> Source: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def outcome(self) -> Outcome | None: ...

    @property
    def feeling(self) -> Feeling | None: ...

    @property
    def target_hold_seconds(self) -> int: ...

    @property
    def sets_done(self) -> int: ...

    @property
    def reps_done(self) -> int: ...

    @property
    def max_reps(self) -> int: ...

    @property
    def partial_sets(self) -> int: ...

    @property
    def partial_reps(self) -> int: ...

    @property
    def active_seconds(self) -> float: ...


@dataclass(frozen=True)
class PromptRecord:
    due_at: datetime
    shown_at: datetime | None
    outcome: PromptOutcome
    decided_at: datetime
    #: Why a ``DEFERRED`` prompt waited: a ``core.deferral.BusyReason`` value, or None.
    reason: str | None = None
