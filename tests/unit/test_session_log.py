"""The in-memory log: what progression and the start view's defaults read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stretchbreak.core.history import CompletedSet, Feeling, SessionRecord, Source
from stretchbreak.core.session_log import MemorySessionLog
from stretchbreak.core.session_values import SessionStarted, TempoMode
from stretchbreak.core.target import Target

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def started(session_id: str, goal: str, minutes: int, exercise: str = "ex") -> SessionStarted:
    return SessionStarted(
        session_id,
        exercise,
        goal,
        Target(1, 6, 1),
        TempoMode.GUIDED,
        Source.MANUAL,
        T0 + timedelta(minutes=minutes),
    )


def a_set(session_id: str) -> CompletedSet:
    return CompletedSet(session_id, "ex", "g", 1, 6, 1, T0, T0, 30.0, 0.0, Source.MANUAL)


def test_the_latest_session_per_goal_and_exercise() -> None:
    log = MemorySessionLog()
    log.record_session_started(started("a", "warmup", 0))
    log.record_session_started(started("b", "recovery", 10))
    log.record_session_started(started("c", "warmup", 5, exercise="other"))
    assert log.last_session("ex") is not None
    assert log.last_session("ex").session_id == "b"  # type: ignore[union-attr]
    assert log.last_session("ex", "warmup").session_id == "a"  # type: ignore[union-attr]
    assert log.last_session("ex", "mobility") is None


def test_with_sets_skips_sessions_that_logged_nothing() -> None:
    log = MemorySessionLog()
    log.record_session_started(started("a", "warmup", 0))
    log.record_set(a_set("a"))
    log.record_session_started(started("b", "warmup", 0))  # same minute, later
    assert log.last_session("ex").session_id == "b"  # type: ignore[union-attr]
    assert log.last_session("ex", with_sets=True).session_id == "a"  # type: ignore[union-attr]


def test_feelings_and_sets_are_kept_per_session() -> None:
    log = MemorySessionLog()
    log.record_session_started(started("a", "warmup", 0))
    log.record_set(a_set("a"))
    log.record_feeling("a", Feeling.EASY)
    log.record_session_ended(None)  # type: ignore[arg-type]  # nothing to keep in memory
    assert log.last_session("ex").feeling is Feeling.EASY  # type: ignore[union-attr]
    assert log.session_sets("a") == [a_set("a")]
    assert log.session_sets("missing") == []


def test_a_session_record_counts_only_completed_sets() -> None:
    done = a_set("a")
    partial = CompletedSet("a", "ex", "g", 2, 3, 1, T0, T0, 12.0, 0.0, Source.MANUAL, partial=True)
    record = SessionRecord(
        "a", "ex", "g", Source.MANUAL, "guided", 2, 6, 1, T0, None, None, None, (done, partial)
    )
    assert record.completed_sets == (done,)
    assert record.reps_done == 6
    assert record.active_seconds == 42.0
