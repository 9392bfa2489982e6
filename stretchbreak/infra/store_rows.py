"""How the store's rows and the core's values map onto each other, timestamps included.

The SQL that reads and writes those rows is ``store_sql``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionDigest,
    SessionRecord,
    Source,
)

if TYPE_CHECKING:  # types only: ``history --format csv`` loads neither module
    from stretchbreak.core.session_values import SessionStarted, SessionSummary
    from stretchbreak.core.stats import Outline

#: One row as sqlite3 hands it out; the column order is fixed by the SELECTs of ``store_sql``.
Row = Sequence[Any]

_SOURCES = {member.value: member for member in Source}
_OUTCOMES = {member.value: member for member in Outcome}
_FEELINGS = {member.value: member for member in Feeling}


def to_text(moment: datetime) -> str:
    """UTC, always with microseconds, so that text order is time order in every index.

    A naive datetime is refused: guessing its zone would silently shift the user's history.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"refusing to store a naive datetime ({moment.isoformat()})")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def optional_text(moment: datetime | None) -> str | None:
    return None if moment is None else to_text(moment)


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def day_start(day: date, tz: tzinfo | None) -> str:
    """The first instant of a local calendar day, as stored text.

    Without a zone the system's rules apply to that very date (so a DST change between now
    and then is honoured), which a fixed "current offset" would get wrong.
    """
    midnight = datetime.combine(day, time.min)
    aware = midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()
    return to_text(aware)


def started_params(started: SessionStarted) -> tuple[object, ...]:
    """For ``UPSERT_STARTED``."""
    target = started.target
    return (
        started.session_id,
        started.exercise,
        started.goal,
        started.source.value,
        started.tempo.value,
        target.sets,
        target.reps,
        target.hold_seconds,
        to_text(started.at),
    )


def session_from_set_params(record: CompletedSet) -> tuple[object, ...]:
    """For ``UPSERT_SESSION_FROM_SET``: the set's index stands in for the target's sets."""
    return (
        record.session_id,
        record.exercise,
        record.goal,
        record.source.value,
        record.set_index,
        record.reps,
        record.hold_seconds,
        to_text(record.started_at),
    )


def ended_params(summary: SessionSummary) -> tuple[object, ...]:
    """For ``UPSERT_ENDED`` (the ``SESSION_COLUMNS`` order)."""
    target = summary.target
    return (
        summary.session_id,
        summary.exercise,
        summary.goal,
        summary.source.value,
        summary.tempo.value,
        target.sets,
        target.reps,
        target.hold_seconds,
        to_text(summary.started_at),
        to_text(summary.ended_at),
        summary.outcome.value,
        None if summary.feeling is None else summary.feeling.value,
    )


def set_params(record: CompletedSet) -> tuple[object, ...]:
    return (
        record.session_id,
        record.set_index,
        record.reps,
        record.hold_seconds,
        to_text(record.started_at),
        to_text(record.completed_at),
        record.active_seconds,
        record.paused_seconds,
        int(record.partial),
    )


def session_params(record: SessionRecord) -> tuple[object, ...]:
    return (
        record.session_id,
        record.exercise,
        record.goal,
        record.source.value,
        record.tempo,
        record.target_sets,
        record.target_reps,
        record.target_hold_seconds,
        to_text(record.started_at),
        optional_text(record.ended_at),
        None if record.outcome is None else record.outcome.value,
        None if record.feeling is None else record.feeling.value,
    )


def prompt_params(prompt: PromptRecord) -> tuple[object, ...]:
    return (
        to_text(prompt.due_at),
        optional_text(prompt.shown_at),
        prompt.outcome.value,
        to_text(prompt.decided_at),
        prompt.reason,
    )


def prompt_from_row(row: Row) -> PromptRecord:
    return PromptRecord(
        due_at=from_text(row[0]),
        shown_at=optional_from_text(row[1]),
        outcome=PromptOutcome(row[2]),
        decided_at=from_text(row[3]),
        reason=row[4],
    )


def records_from_rows(session_rows: Iterable[Row], set_rows: Iterable[Row]) -> list[SessionRecord]:
    """Sessions (``SESSION_COLUMNS``, in the wanted order) with their sets attached.

    ``set_rows`` (``SET_COLUMNS``) must be the sets of exactly these sessions, in set order.
    This is the hot loop of a 100 000-set history: one pass, enum members looked up in a
    dict rather than constructed, and no call per row beyond the values' own.
    """
    sessions = list(session_rows)
    parse = datetime.fromisoformat
    heads = {row[0]: (row[1], row[2], _SOURCES[row[3]]) for row in sessions}
    sets: dict[str, list[CompletedSet]] = {row[0]: [] for row in sessions}
    for session_id, index, reps, hold, begun, done, active, paused, partial in set_rows:
        exercise, goal, source = heads[session_id]
        sets[session_id].append(
            CompletedSet(
                session_id=session_id,
                exercise=exercise,
                goal=goal,
                set_index=index,
                reps=reps,
                hold_seconds=hold,
                started_at=parse(begun),
                completed_at=parse(done),
                active_seconds=active,
                paused_seconds=paused,
                source=source,
                partial=partial == 1,
            )
        )
    return [
        SessionRecord(
            session_id=row[0],
            exercise=row[1],
            goal=row[2],
            source=heads[row[0]][2],
            tempo=row[4],
            target_sets=row[5],
            target_reps=row[6],
            target_hold_seconds=row[7],
            started_at=parse(row[8]),
            ended_at=None if row[9] is None else parse(row[9]),
            outcome=_OUTCOMES.get(row[10]),
            feeling=_FEELINGS.get(row[11]),
            sets=tuple(sets[row[0]]),
        )
        for row in sessions
    ]


def outline_from_rows(found: Iterable[Row]) -> Outline:
    """``OUTLINE`` rows as columns; ``zip`` and ``map`` keep the loop over 20 000 rows in C."""
    from stretchbreak.core.stats import Outline

    columns = list(zip(*found, strict=True)) or [(), (), (), ()]
    ids, started, sets_done, completed = columns
    return Outline(
        session_ids=ids,
        started_at=list(map(datetime.fromisoformat, started)),
        sets_done=sets_done,
        completed=list(map(bool, completed)),
    )


def digests_from_rows(found: Iterable[Row]) -> list[SessionDigest]:
    """``DIGESTS`` rows as values: 20 000 of them on every history open, so one tight loop."""
    parse = datetime.fromisoformat
    sources, outcomes, feelings = _SOURCES, _OUTCOMES.get, _FEELINGS.get
    make = SessionDigest._make  # skips the keyword handling of the generated __new__
    return [
        make(
            (
                session_id,
                exercise,
                goal,
                sources[source],
                parse(started),
                None if ended is None else parse(ended),
                outcomes(outcome),
                feelings(feeling),
                hold,
                sets_done,
                reps_done,
                max_reps,
                partial_sets,
                partial_reps,
                active,
            )
        )
        for (
            session_id,
            exercise,
            goal,
            source,
            started,
            ended,
            outcome,
            feeling,
            hold,
            sets_done,
            reps_done,
            max_reps,
            partial_sets,
            partial_reps,
            active,
        ) in found
    ]


def days_clause(
    column: str, since: date | None, until: date | None, tz: tzinfo | None
) -> tuple[str, list[str]]:
    """SQL keeping rows whose ``column`` lies on the local days ``since`` … ``until``."""
    clauses, params = ["1"], []
    after = until and date.fromordinal(until.toordinal() + 1)  # the day after ``until``
    for test, day in ((">=", since), ("<", after)):
        if day is not None:
            clauses.append(f"{column} {test} ?")
            params.append(day_start(day, tz))
    return " AND ".join(clauses), params
