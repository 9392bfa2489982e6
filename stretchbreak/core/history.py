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
