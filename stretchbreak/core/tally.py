"""What counts: the one definition of a finished, an ended-early and an empty session.

Every view that counts sessions, sets, reps or time — the summary after a session, the
history window's totals, heatmap tooltip, weekly bars and table, ``stretchbreak history`` and
the export and import messages — counts with the functions here, so the same log gives the
same numbers everywhere.

* **A finished session** has outcome ``COMPLETED`` and at least one finished set.
* **A session ended early** is any other session that holds a set: one cancelled after a
  finished set, one cut short in the middle of a set (that set is kept, marked partial, with
  the reps finished in it), or one the app never saw end (it was killed) with sets in it.
* **An empty session** holds no set at all: it was ended before its first rep was over. A
  rep counts once its return ends, so nothing of it is kept but its start and end; it is in
  the log (and in a JSON export) but no count, table or figure shows it.

Of each session that counts:

* **sets** are finished sets only; a set cut short is not a set done.
* **reps** are every rep done: those of finished sets and those of a set cut short.
* **active time** is the time inside every set, cut-short ones included, pauses excluded.

A message about a file (export, import) counts the sessions the file holds the same way:
``tally(records).sessions``, with ``.empty`` for sessions with no set that a JSON file may
hold and a CSV file cannot (it has one row per set).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from stretchbreak.core.history import Outcome


class SessionKind(StrEnum):
    FINISHED = "finished"
    ENDED_EARLY = "ended-early"
    EMPTY = "empty"


class SetSums(Protocol):
    """What counting reads of a session: a record, a digest or a session's summary."""

    @property
    def outcome(self) -> Outcome | None: ...

    @property
    def sets_done(self) -> int: ...

    @property
    def reps_done(self) -> int: ...

    @property
    def partial_sets(self) -> int: ...

    @property
    def partial_reps(self) -> int: ...


class TimedSetSums(SetSums, Protocol):
    @property
    def active_seconds(self) -> float: ...


def session_kind(session: SetSums) -> SessionKind:
    """Which of the three kinds in the module docstring ``session`` is."""
    if session.sets_done > 0 and session.outcome is Outcome.COMPLETED:
        return SessionKind.FINISHED
    if session.sets_done > 0 or session.partial_sets > 0:
        return SessionKind.ENDED_EARLY
    return SessionKind.EMPTY


def is_finished(session: SetSums) -> bool:
    """What keeps a streak alive and makes a prompt followed: a finished session."""
    return session.sets_done > 0 and session.outcome is Outcome.COMPLETED


def is_counted(session: SetSums) -> bool:
    """True for a finished or ended-early session: one with something done."""
    return session.sets_done > 0 or session.partial_sets > 0


def reps_of(session: SetSums) -> int:
    """Every rep done in ``session``: finished sets' and a cut-short set's."""
    return session.reps_done + session.partial_reps


@dataclass(frozen=True)
class Tally:
    """Sessions added up by the rules in the module docstring.

    ``sessions`` = ``finished`` + ``ended_early``; ``empty`` ones are counted apart and add
    nothing else. ``reps`` includes ``partial_reps``; ``sets`` excludes ``partial_sets``.
    """

    sessions: int
    finished: int
    ended_early: int
    empty: int
    sets: int
    partial_sets: int
    reps: int
    partial_reps: int
    active_seconds: float


def tally(sessions: Iterable[TimedSetSums]) -> Tally:
    """Add up ``sessions``: what every "N sessions · N sets · N reps" in the app says."""
    finished = early = empty = sets = partial_sets = reps = partial_reps = 0
    active = 0.0
    for session in sessions:
        kind = session_kind(session)
        if kind is SessionKind.EMPTY:
            empty += 1
            continue
        if kind is SessionKind.FINISHED:
            finished += 1
        else:
            early += 1
        sets += session.sets_done
        partial_sets += session.partial_sets
        reps += session.reps_done + session.partial_reps
        partial_reps += session.partial_reps
        active += session.active_seconds
    return Tally(
        sessions=finished + early,
        finished=finished,
        ended_early=early,
        empty=empty,
        sets=sets,
        partial_sets=partial_sets,
        reps=reps,
        partial_reps=partial_reps,
        active_seconds=active,
    )
