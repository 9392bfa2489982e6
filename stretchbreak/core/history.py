"""What the user did, as values shared by the session engine, the store and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
    def reps_done(self) -> int:
        return sum(s.reps for s in self.completed_sets)

    @property
    def active_seconds(self) -> float:
        return sum(s.active_seconds for s in self.sets)


@dataclass(frozen=True)
class PromptRecord:
    due_at: datetime
    shown_at: datetime | None
    outcome: PromptOutcome
    decided_at: datetime
