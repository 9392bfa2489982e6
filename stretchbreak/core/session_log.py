"""What a session needs from the log of past sessions, and an in-memory log that keeps it.

The SQLite store implements the same protocol; the in-memory log serves tests and any run
where the database cannot be opened, so a session is never refused for want of storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from stretchbreak.core.history import CompletedSet, Feeling
from stretchbreak.core.session_values import (
    SessionStarted,
    SessionSummary,
    TempoMode,
)
from stretchbreak.core.target import Target


@dataclass(frozen=True)
class LastSession:
    """The most recent session of a goal (or of any goal), for defaults and progression."""

    session_id: str
    goal: str
    target: Target
    tempo: TempoMode
    feeling: Feeling | None
    started_at: datetime


class SessionLog(Protocol):
    def record_session_started(self, started: SessionStarted) -> None: ...

    def record_set(self, record: CompletedSet) -> None:
        """Keep one finished (or partial) set; called the moment it finishes."""
        ...

    def record_session_ended(self, summary: SessionSummary) -> None: ...

    def record_feeling(self, session_id: str, feeling: Feeling) -> None: ...

    def last_session(
        self, exercise: str, goal: str | None = None, *, with_sets: bool = False
    ) -> LastSession | None:
        """The latest session, optionally of one goal and only among those with a set logged."""
        ...

    def session_sets(self, session_id: str) -> list[CompletedSet]: ...


class MemorySessionLog:
    def __init__(self) -> None:
        self._sessions: dict[str, LastSession] = {}
        self._exercise: dict[str, str] = {}
        self._sets: dict[str, list[CompletedSet]] = {}

    def record_session_started(self, started: SessionStarted) -> None:
        self._sessions[started.session_id] = LastSession(
            started.session_id,
            started.goal,
            started.target,
            started.tempo,
            None,
            started.at,
        )
        self._exercise[started.session_id] = started.exercise
        self._sets.setdefault(started.session_id, [])

    def record_set(self, record: CompletedSet) -> None:
        self._sets.setdefault(record.session_id, []).append(record)

    def record_session_ended(self, summary: SessionSummary) -> None:
        """Nothing to add in memory: the sets are already kept as they finished."""

    def record_feeling(self, session_id: str, feeling: Feeling) -> None:
        last = self._sessions[session_id]
        self._sessions[session_id] = LastSession(
            last.session_id, last.goal, last.target, last.tempo, feeling, last.started_at
        )

    def last_session(
        self, exercise: str, goal: str | None = None, *, with_sets: bool = False
    ) -> LastSession | None:
        matching = [
            (s.started_at, order, s)
            for order, s in enumerate(self._sessions.values())
            if self._exercise[s.session_id] == exercise
            and goal in (None, s.goal)
            and (self._sets[s.session_id] or not with_sets)
        ]
        return max(matching, key=lambda m: m[:2], default=(None, 0, None))[2]

    def session_sets(self, session_id: str) -> list[CompletedSet]:
        return list(self._sets.get(session_id, []))
