"""The SQLite store: what goes in comes back out, exactly, and nothing is lost on a bad disk."""

from __future__ import annotations

import logging
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.export import csv_text_by_session, sets_to_csv
from stretchbreak.core.history import (
    Feeling,
    Outcome,
    PromptOutcome,
    SessionRecord,
    Source,
)
from stretchbreak.core.session_log import MemorySessionLog, SessionLog
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.stats import Outline
from stretchbreak.core.tally import is_counted
from stretchbreak.core.target import Target
from stretchbreak.infra import store_sql
from stretchbreak.infra.store import ImportResult, Store, StoreWriteError
from tests.integration.store_samples import (
    EXERCISE,
    T0,
    a_set,
    at,
    prompt,
    record,
    started,
    summary,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "stretchbreak.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, tz=UTC) as opened:
        yield opened


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the file with a connection of its own: what is on disk, not in our cache."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# --------------------------------------------------------------------- protocol conformance
LogFactory = Callable[[Path], SessionLog]


def _memory(_: Path) -> SessionLog:
    return MemorySessionLog()


def _store(path: Path) -> SessionLog:
    return Store.open(path / "stretchbreak.sqlite3", tz=UTC)


@pytest.fixture(params=[_memory, _store], ids=["memory", "store"])
def session_log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionLog]:
    made: SessionLog = request.param(tmp_path)
    yield made
    if isinstance(made, Store):
        made.close()


def test_the_latest_session_per_exercise_and_goal(session_log: SessionLog) -> None:
    session_log.record_session_started(started("a", 0, "warmup"))
    session_log.record_session_started(started("b", 10, "recovery"))
    session_log.record_session_started(started("c", 20, "warmup", exercise="other"))
    assert session_log.last_session("nothing") is None
    assert session_log.last_session(EXERCISE).session_id == "b"  # type: ignore[union-attr]
    warmup = session_log.last_session(EXERCISE, "warmup")
    assert warmup is not None
    assert (warmup.session_id, warmup.goal, warmup.started_at) == ("a", "warmup", at(0))
    assert (warmup.target, warmup.tempo, warmup.feeling) == (Target(2, 6, 3), "guided", None)
    assert session_log.last_session(EXERCISE, "mobility") is None


def test_ties_go_to_the_session_recorded_last(session_log: SessionLog) -> None:
    for session_id in ("a", "b", "c"):
        session_log.record_session_started(started(session_id, 0))
    session_log.record_set(a_set("b"))
    assert session_log.last_session(EXERCISE).session_id == "c"  # type: ignore[union-attr]
    with_sets = session_log.last_session(EXERCISE, with_sets=True)
    assert with_sets.session_id == "b"  # type: ignore[union-attr]
    assert session_log.last_session(EXERCISE, "recovery", with_sets=True) == with_sets


def test_sets_feelings_and_the_end_are_kept_per_session(session_log: SessionLog) -> None:
    start = started("a", 0, tempo=TempoMode.SELF_PACED)
    sets = (a_set("a", 1, 1), a_set("a", 2, 2, reps=3, partial=True))
    session_log.record_session_started(start)
    for done in sets:
        session_log.record_set(done)
    session_log.record_session_ended(summary(start, sets, Outcome.CANCELLED))
    session_log.record_feeling("a", Feeling.HARD)
    assert session_log.session_sets("a") == list(sets)
    assert session_log.session_sets("missing") == []
    last = session_log.last_session(EXERCISE)
    assert last is not None
    assert (last.feeling, last.tempo) == (Feeling.HARD, TempoMode.SELF_PACED)


def test_a_feeling_for_an_unknown_session_is_a_key_error(session_log: SessionLog) -> None:
    with pytest.raises(KeyError):
        session_log.record_feeling("missing", Feeling.EASY)


def test_the_store_is_a_session_log(store: Store) -> None:
    typed: SessionLog = store  # mypy checks the protocol here
    assert typed is store


# --------------------------------------------------------------------- round trips
def test_a_whole_session_reads_back_exactly(store: Store) -> None:
    start = started("a", 0, source=Source.PROMPT)
    sets = (a_set("a", 1, 1, source=Source.PROMPT), a_set("a", 2, 2, source=Source.PROMPT))
    store.record_session_started(start)
    for done in sets:
        store.record_set(done)
    store.record_session_ended(summary(start, sets))
    store.record_feeling("a", Feeling.EASY)

    [back] = store.sessions()
    assert back == SessionRecord(
        session_id="a",
        exercise=EXERCISE,
        goal="recovery",
        source=Source.PROMPT,
        tempo="guided",
        target_sets=2,
        target_reps=6,
        target_hold_seconds=3,
        started_at=at(0),
        ended_at=at(3),
        outcome=Outcome.COMPLETED,
        feeling=Feeling.EASY,
        sets=sets,
    )
    assert back.started_at.tzinfo is UTC
    assert all(s.completed_at.tzinfo is UTC for s in back.sets)
    assert store.count_sets() == 2


def test_timestamps_are_stored_as_utc_text_with_microseconds(store: Store) -> None:
    berlin = timezone(timedelta(hours=1))
    store.record_session_started(
        replace(started("a"), at=datetime(2026, 11, 24, 10, tzinfo=berlin))
    )
    store.record_set(a_set("a"))
    assert raw(store.path, "SELECT started_at FROM sessions") == [
        ("2026-11-24T09:00:00.000000+00:00",)
    ]
    assert raw(store.path, "SELECT started_at FROM sets") == [("2026-11-24T09:00:00.123456+00:00",)]
    assert store.sessions()[0].started_at == T0


def test_a_naive_time_is_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.record_session_started(replace(started("a"), at=datetime(2026, 11, 24, 9)))
    assert store.sessions() == []
    assert store.pending_count == 0


def test_partial_sets_are_listed_and_flagged(store: Store) -> None:
    store.record_session_started(started("a"))
    store.record_set(a_set("a", 1))
    store.record_set(a_set("a", 2, reps=2, partial=True))
    [back] = store.sessions()
    assert [s.partial for s in back.sets] == [False, True]
    assert back.completed_sets == (a_set("a", 1),)
    assert store.count_sets() == 2


def test_a_set_without_its_session_row_is_kept_with_a_rebuilt_one(store: Store) -> None:
    store.record_set(a_set("lost", 1, 1))
    store.record_set(a_set("lost", 2, 2))
    [back] = store.sessions()
    assert (back.session_id, back.exercise, back.goal, back.source) == (
        "lost",
        EXERCISE,
        "recovery",
        Source.MANUAL,
    )
    assert (back.target_sets, back.target_reps, back.started_at) == (
        2,
        6,
        a_set("lost", 1, 1).started_at,
    )
    assert back.sets == (a_set("lost", 1, 1), a_set("lost", 2, 2))
    assert raw(store.path, "SELECT reconstructed FROM sessions") == [(1,)]

    store.record_session_started(started("lost", 0, target=Target(4, 8, 5)))
    assert store.sessions()[0].target_sets == 4
    assert raw(store.path, "SELECT reconstructed FROM sessions") == [(0,)]
    store.record_set(a_set("lost", 3, 3))
    assert store.sessions()[0].target_sets == 4  # real targets are not raised by later sets


def test_the_end_of_a_session_adds_missing_sets_and_keeps_a_feeling(store: Store) -> None:
    start = started("a", 0, tempo=TempoMode.SELF_PACED)
    first, second = a_set("a", 1, 1), a_set("a", 2, 2)
    store.record_set(first)  # its start never arrived: the row is rebuilt, then corrected
    store.record_feeling("a", Feeling.PAINFUL)
    store.record_session_ended(summary(start, (replace(first, reps=1), second)))
    [back] = store.sessions()
    assert back.sets == (first, second)  # the stored set wins over the summary's copy
    assert (back.tempo, back.started_at, back.feeling) == ("self-paced", at(0), Feeling.PAINFUL)
    assert (back.ended_at, back.outcome) == (at(3), Outcome.COMPLETED)


def test_the_end_of_a_session_never_seen_creates_it(store: Store) -> None:
    start = started("a", 0)
    store.record_session_ended(summary(start, (a_set("a"),), Outcome.CANCELLED, Feeling.EASY))
    [back] = store.sessions()
    assert (back.outcome, back.feeling, back.sets) == (
        Outcome.CANCELLED,
        Feeling.EASY,
        (a_set("a"),),
    )


def test_writing_the_same_set_twice_keeps_one_row_with_the_latest_values(store: Store) -> None:
    store.record_session_started(started("a"))
    store.record_set(a_set("a", 1, reps=2, partial=True))
    store.record_set(a_set("a", 1, reps=6))
    assert store.session_sets("a") == [a_set("a", 1, reps=6)]


def test_prompts_read_back_in_due_order(store: Store) -> None:
    later, earlier = prompt(30, PromptOutcome.SNOOZED), prompt(0, PromptOutcome.MISSED)
    store.record_prompt(later)
    store.record_prompt(earlier)
    store.record_prompt(prompt(24 * 60, PromptOutcome.NATURAL_BREAK))
    assert store.prompts(until=date(2026, 11, 24)) == [earlier, later]
    assert [p.outcome for p in store.prompts(since=date(2026, 11, 25))] == ["natural_break"]
    assert earlier.shown_at is None
    assert store.prompts()[0] == earlier


# --------------------------------------------------------------------- local days
def _started_at(store: Store, *moments: datetime) -> None:
    for number, moment in enumerate(moments):
        store.record_session_started(replace(started(f"s{number}"), at=moment))


def _ids(records: list[SessionRecord]) -> list[str]:
    return [r.session_id for r in records]


def test_days_are_local_calendar_days_with_both_ends_included(db_path: Path) -> None:
    with Store.open(db_path, tz=timezone(timedelta(hours=-5))) as store:
        _started_at(
            store,
            datetime(2026, 11, 24, 4, 59, 59, 999999, tzinfo=UTC),  # 23:59:59.999999 on the 23rd
            datetime(2026, 11, 24, 5, 0, tzinfo=UTC),  # 00:00 on the 24th
            datetime(2026, 11, 25, 4, 59, 59, 999999, tzinfo=UTC),  # last instant of the 24th
            datetime(2026, 11, 25, 5, 0, tzinfo=UTC),  # the 25th
        )
        day = date(2026, 11, 24)
        assert _ids(store.sessions(day, day)) == ["s1", "s2"]
        assert _ids(store.sessions(since=day)) == ["s1", "s2", "s3"]
        assert _ids(store.sessions(until=day)) == ["s0", "s1", "s2"]
        assert _ids(store.sessions()) == ["s0", "s1", "s2", "s3"]
        assert store.sessions(date(2026, 11, 26), date(2026, 11, 30)) == []


def test_a_day_with_a_dst_change_is_23_hours_long(db_path: Path) -> None:
    with Store.open(db_path, tz=ZoneInfo("Europe/Berlin")) as store:
        _started_at(
            store,
            datetime(2026, 3, 28, 22, 59, tzinfo=UTC),  # 23:59 CET on the 28th
            datetime(2026, 3, 28, 23, 0, tzinfo=UTC),  # 00:00 CET on the 29th
            datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 CEST on the 29th
            datetime(2026, 3, 29, 22, 0, tzinfo=UTC),  # 00:00 CEST on the 30th
        )
        day = date(2026, 3, 29)
        assert _ids(store.sessions(day, day)) == ["s1", "s2"]


def test_without_a_zone_the_system_rules_apply_to_each_date(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        with monkeypatch.context() as patch, Store.open(db_path) as store:
            patch.setenv("TZ", "America/New_York")
            time.tzset()
            _started_at(
                store,
                datetime(2026, 7, 1, 3, 59, tzinfo=UTC),  # 23:59 EDT on June 30
                datetime(2026, 7, 1, 4, 0, tzinfo=UTC),  # 00:00 EDT on July 1
                datetime(2026, 12, 1, 4, 59, tzinfo=UTC),  # 23:59 EST on November 30
                datetime(2026, 12, 1, 5, 0, tzinfo=UTC),  # 00:00 EST on December 1
            )
            assert _ids(store.sessions(date(2026, 7, 1), date(2026, 11, 30))) == ["s1", "s2"]
    finally:
        time.tzset()


# --------------------------------------------------------------------- digests, ids, CSV
def _varied(store: Store) -> list[SessionRecord]:
    """Sessions with no sets, partial sets only, mixed, whole seconds and odd names."""
    whole = timedelta(seconds=0.123456)  # a_set's fraction, taken off again
    plain = record("plain", 0, 3)
    full = replace(plain, session_id="full", sets=tuple(
        replace(s, session_id="full", partial=False, reps=4 + s.set_index,
                started_at=s.started_at - whole, completed_at=s.completed_at - whole)
        for s in plain.sets
    ))  # fmt: skip
    store.import_sessions(
        [
            plain,
            full,
            record("only-partial", 30, 1, feeling=None),
            record("no-sets", 40, 0),
            record("open", 50, 2, ended=False),
            replace(record("odd", 60, 2), exercise='seated, "slow"\r\nstretch'),
        ]
    )
    store.record_session_started(started("started-only", 70, "warmup"))
    return store.sessions()


def test_digests_add_up_the_sets_exactly_as_records_do(store: Store) -> None:
    records = _varied(store)
    assert [r.session_id for r in records] == [
        "plain", "full", "only-partial", "no-sets", "open", "odd", "started-only"
    ]  # fmt: skip
    assert store.session_digests() == [r.digest() for r in records]
    by_id = {d.session_id: d for d in store.session_digests()}
    assert (by_id["no-sets"].sets_done, by_id["no-sets"].max_reps) == (0, 0)
    assert by_id["no-sets"].active_seconds == 0.0
    assert (by_id["only-partial"].sets_done, by_id["only-partial"].partial_sets) == (0, 1)
    assert by_id["only-partial"].partial_reps == records[2].partial_reps > 0
    assert (by_id["full"].sets_done, by_id["full"].max_reps, by_id["full"].reps_done) == (
        3,
        7,
        18,
    )
    assert by_id["started-only"].outcome is None
    assert by_id["started-only"].ended_at is None


def test_digests_pick_local_days_like_sessions(db_path: Path) -> None:
    with Store.open(db_path, tz=timezone(timedelta(hours=-5))) as store:
        store.import_sessions(
            # 23:59 on the 23rd, midnight starting the 24th, midnight starting the 25th
            [record("late", -4 * 60 - 1), record("next", -4 * 60), record("later", 20 * 60)]
        )
        for since, until in (
            (None, None),
            (date(2026, 11, 23), date(2026, 11, 23)),
            (date(2026, 11, 24), None),
            (None, date(2026, 11, 24)),
        ):
            expected = [r.digest() for r in store.sessions(since, until)]
            assert store.session_digests(since, until) == expected
        assert [d.session_id for d in store.session_digests(since=date(2026, 11, 24))] == [
            "next",
            "later",
        ]


def test_the_digest_query_walks_one_index_and_reads_only_sets_cut_short(store: Store) -> None:
    _varied(store)
    for since, until in ((None, None), (date(2026, 11, 24), date(2026, 11, 25))):
        where, params = store._days("s.started_at", since, until)
        plan = [
            row[3]
            for row in store._connection.execute(
                "EXPLAIN QUERY PLAN " + store_sql.DIGESTS.format(where=where), params
            )
        ]
        assert plan[0].startswith(("SCAN s USING INDEX sessions_started_at",
                                   "SEARCH s USING INDEX sessions_started_at")), plan  # fmt: skip
        # The reps of a set cut short: looked up by session, never a scan of the sets.
        assert plan[1:] == [
            "CORRELATED SCALAR SUBQUERY 1",
            "SEARCH t USING INDEX sqlite_autoindex_sets_1 (session_id=?)",
        ], plan


def test_the_outline_says_what_the_digests_say(db_path: Path) -> None:
    with Store.open(db_path, tz=timezone(timedelta(hours=-5))) as store:
        _varied(store)
        for since, until in ((None, None), (date(2026, 11, 24), date(2026, 11, 24))):
            # Only the sessions that count: those holding a set, finished or cut short.
            digests = [d for d in store.session_digests(since, until) if is_counted(d)]
            assert store.session_outline(since, until) == Outline(
                tuple(d.session_id for d in digests),
                [d.started_at for d in digests],
                tuple(d.sets_done for d in digests),
                [d.outcome is Outcome.COMPLETED for d in digests],
            )
        assert store.session_outline(since=date(2030, 1, 1)) == Outline((), [], (), [])


def test_digests_by_id_in_any_number(store: Store) -> None:
    many = [record(f"s{n:04}", n, 1 + n % 3) for n in range(1200)]
    store.import_sessions(many)
    by_id = {d.session_id: d for d in store.session_digests()}
    wanted = [f"s{n:04}" for n in range(1150, 90, -1)]
    found = store.session_digests_by_id([*wanted, "missing", *wanted[:5]])
    assert sorted(found) == sorted(by_id[i] for i in wanted)
    assert store.session_digests_by_id([]) == []


def test_reads_in_one_reading_see_one_state_of_the_file(store: Store, db_path: Path) -> None:
    store.import_sessions([record("a", 0, 2)])
    with store.reading():
        before = store.session_digests()
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("PRAGMA foreign_keys = ON")
            other.execute("DELETE FROM sessions")
        finally:
            other.close()
        assert store.session_outline().session_ids == ("a",)
        assert store.session_digests() == before
    assert store.session_digests() == []


def test_whole_sessions_by_id_in_any_number(store: Store) -> None:
    many = [record(f"s{n:04}", n, 1 + n % 3) for n in range(1200)]
    store.import_sessions(many)
    wanted = [r.session_id for r in reversed(many[100:1150])]
    asked = [*wanted, "missing", *wanted[:10], *(f"unknown{n}" for n in range(19_000))]
    assert store.sessions_by_id(asked) == many[100:1150]
    assert store.sessions_by_id([]) == []
    assert store.sessions_by_id(["s0007"]) == [many[7]]


def csv_from_sql(store: Store, since: date | None = None, until: date | None = None) -> str:
    with store.csv_rows(since, until) as (sessions, sets):
        return "".join(csv_text_by_session(sessions, sets, lines=3))


def test_csv_rows_make_the_same_bytes_as_sets_to_csv(db_path: Path) -> None:
    with Store.open(db_path, tz=timezone(timedelta(hours=3))) as store:
        _varied(store)
        store.import_sessions([record("tomorrow", 24 * 60, 2)])
        for since, until in ((None, None), (date(2026, 11, 25), None), (None, date(2026, 11, 24))):
            assert csv_from_sql(store, since, until) == sets_to_csv(store.sessions(since, until))
        assert '"seated, ""slow""\r\nstretch"' in csv_from_sql(store)
        assert ",2026-11-24T09:01:00+00:00," in csv_from_sql(store)


def test_csv_rows_walk_indexes_without_a_temporary_b_tree(store: Store) -> None:
    _varied(store)
    where, params = store._days("s.started_at", date(2026, 11, 24), None)

    def plan(sql: str) -> list[str]:
        explain = "EXPLAIN QUERY PLAN " + sql.format(where=where)
        return [row[3] for row in store._connection.execute(explain, params)]

    assert not any("TEMP B-TREE" in step for step in plan(store_sql.CSV_SESSIONS))
    sets = plan(store_sql.CSV_SETS)
    assert len(sets) == 2, sets
    assert sets[0].startswith("SEARCH s USING INDEX sessions_started_at"), sets
    assert sets[1].startswith("SEARCH t USING INDEX sqlite_autoindex_sets_1"), sets


def test_csv_rows_read_one_state_of_the_file(store: Store, db_path: Path) -> None:
    """A set committed by another process while the export runs is in neither part."""
    store.import_sessions([record("a", 0, 2)])
    with store.csv_rows() as (sessions, sets):
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("PRAGMA foreign_keys = ON")
            other.execute("UPDATE sessions SET goal = 'warmup'")
            other.execute("DELETE FROM sets WHERE set_index = 2")
        finally:
            other.close()
        lines = "".join(csv_text_by_session(sessions, sets)).splitlines()
    assert [line.split(",")[2] for line in lines[1:]] == ["recovery", "recovery"]
    assert csv_from_sql(store).count("warmup") == 1


# --------------------------------------------------------------------- delete, undo, import
def test_delete_returns_what_it_removed_and_restore_puts_it_back_exactly(store: Store) -> None:
    originals = [record("a", 0), record("b", 60, 3), record("c", 120, 1, ended=False)]
    store.import_sessions(originals)
    before = store.sessions()
    assert before == originals

    deleted = store.delete_sessions(["c", "a", "missing", "a"])
    assert deleted == [originals[0], originals[2]]
    assert store.sessions() == [originals[1]]
    assert store.count_sets() == 3  # the sets went with their sessions

    store.restore_sessions(deleted)
    assert store.sessions() == before
    store.restore_sessions(deleted)  # twice is harmless: the same rows again
    assert store.sessions() == before
    assert store.count_sets() == 6


def test_many_sessions_are_deleted_in_chunks(store: Store) -> None:
    many = [record(f"s{n:04}", n, 1) for n in range(1200)]
    assert store.import_sessions(many) == ImportResult(added=1200, skipped=0)
    deleted = store.delete_sessions(r.session_id for r in many[:1100])
    assert deleted == many[:1100]
    assert store.sessions() == many[1100:]


def test_import_adds_new_ids_and_skips_known_ones(store: Store) -> None:
    store.record_session_started(started("a"))
    store.record_set(a_set("a"))
    kept = store.sessions()
    result = store.import_sessions([record("a", 5), record("b", 10), record("b", 11), record("c")])
    assert result == ImportResult(added=2, skipped=2)
    assert store.sessions()[0] == kept[0]  # the known session was not touched
    assert _ids(store.sessions()) == ["a", "c", "b"]
    assert store.sessions()[2] == record("b", 10)


def test_import_is_all_or_nothing(store: Store) -> None:
    bad = replace(record("b", 10), tempo="sprinting")  # the schema refuses it
    with pytest.raises(StoreWriteError, match="nothing was changed"):
        store.import_sessions([record("a"), bad])
    twice = replace(record("c"), sets=(a_set("c", 1), a_set("c", 1)))
    with pytest.raises(StoreWriteError, match="UNIQUE"):
        store.import_sessions([record("a"), twice])
    naive = replace(record("d"), started_at=datetime(2026, 11, 24, 9))
    with pytest.raises(ValueError, match="naive"):
        store.import_sessions([record("a"), naive])
    assert store.sessions() == []
    assert store.count_sets() == 0


# --------------------------------------------------------------------- files
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_and_folder_are_private(store: Store, db_path: Path) -> None:
    store.record_session_started(started("a"))
    assert _mode(db_path.parent) == 0o700
    for name in ("", "-wal", "-shm"):
        assert _mode(db_path.with_name(db_path.name + name)) == 0o600, name


def test_an_existing_file_with_loose_modes_is_made_private(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.touch(mode=0o644)
    db_path.chmod(0o644)
    with Store.open(db_path):
        assert _mode(db_path) == 0o600


def test_the_database_runs_in_wal_mode_with_foreign_keys(store: Store) -> None:
    connection = store._connection
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert connection.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    # Another process's lock is waited for, briefly: the event loop must not stand still.
    assert 100 <= connection.execute("PRAGMA busy_timeout").fetchone()[0] <= 500


# --------------------------------------------------------------------- failing writes
def _fail_writes(store: Store, failing: bool = True) -> None:
    """SQLite itself refuses every write (SQLITE_READONLY), as with a file made read-only."""
    store._connection.execute(f"PRAGMA query_only = {int(failing)}")


def test_failed_writes_wait_in_memory_and_are_written_in_order(store: Store) -> None:
    store.record_session_started(started("a"))
    store.record_set(a_set("a", 1))
    _fail_writes(store)
    with pytest.raises(StoreWriteError, match=r"set 2 of session a .*readonly.* 0 other"):
        store.record_set(a_set("a", 2))
    with pytest.raises(StoreWriteError, match=r"the end of session a .*with 1 other unsaved"):
        store.record_session_ended(summary(started("a"), (a_set("a", 1),)))
    with pytest.raises(StoreWriteError, match=r"the prompt due at .* 2 other unsaved changes"):
        store.record_prompt(prompt(0))
    assert store.pending_count == 3
    assert store.pending[0] == "set 2 of session a"
    assert store.retry_pending() is False
    assert store.count_sets() == 1

    _fail_writes(store, False)
    store.record_set(a_set("a", 3))  # the next write writes what waits first
    assert store.pending_count == 0
    assert store.session_sets("a") == [a_set("a", i) for i in (1, 2, 3)]
    assert store.sessions()[0].outcome is Outcome.COMPLETED
    assert len(store.prompts()) == 1


def test_a_full_disk_keeps_the_set_until_there_is_room(store: Store) -> None:
    """A real SQLITE_FULL: the database may not grow past its current pages."""
    connection = store._connection
    store.record_session_started(started("a"))
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    written = 0
    with pytest.raises(StoreWriteError, match="full") as raised:  # noqa: PT012
        for index in range(1, 2000):
            store.record_set(a_set("a", index))
            written += 1
    assert "set" in str(raised.value)
    assert store.pending_count == 1
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert store.retry_pending() is True
    assert store.count_sets() == written + 1


def test_user_changes_are_not_queued_but_refused_while_writes_wait(store: Store) -> None:
    store.import_sessions([record("a")])
    _fail_writes(store)
    with pytest.raises(StoreWriteError, match="deleting 1 sessions failed, nothing was changed"):
        store.delete_sessions(["a"])
    with pytest.raises(StoreWriteError):
        store.record_set(a_set("a", 5, source=Source.PROMPT))
    with pytest.raises(StoreWriteError, match="importing 1 sessions was not done: 1 earlier"):
        store.import_sessions([record("b")])
    _fail_writes(store, False)
    assert store.delete_sessions(["a"])[0].sets[-1] == a_set("a", 5, source=Source.PROMPT)
    assert store.pending_count == 0


def test_a_value_the_schema_rejects_is_reported_not_queued(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(StoreWriteError, match="rejected"):
        store.record_set(a_set("a", reps=-1))
    assert store.pending_count == 0
    assert "reps=-1" in caplog.text  # the whole value is in the log file


def test_a_waiting_write_that_can_never_succeed_does_not_block_the_rest(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    _fail_writes(store)
    writes: list[Callable[[], None]] = [
        lambda: store.record_feeling("never-started", Feeling.EASY),
        lambda: store.record_set(a_set("a", reps=-1)),
        lambda: store.record_set(a_set("a", 2)),
    ]
    for write in writes:
        with pytest.raises(StoreWriteError):
            write()
    _fail_writes(store, False)
    with caplog.at_level(logging.ERROR):
        assert store.retry_pending() is True
    assert "dropping the feeling of session never-started" in caplog.text
    assert "dropping set 1 of session a" in caplog.text
    assert store.session_sets("a") == [a_set("a", 2)]


def test_closing_writes_what_waits_or_logs_it(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(db_path)
    _fail_writes(store)
    with pytest.raises(StoreWriteError):
        store.record_set(a_set("a", 1))
    _fail_writes(store, False)
    store.close()
    with Store.open(db_path) as again:
        assert again.count_sets() == 1

    store = Store.open(db_path)
    _fail_writes(store)
    with pytest.raises(StoreWriteError):
        store.record_set(a_set("a", 2))
    store.close()
    store.close()  # idempotent
    assert "not saved to" in caplog.text
    assert "set 2 of session a" in caplog.text
    with pytest.raises(StoreWriteError, match="closed"):
        store.record_set(a_set("a", 3))
    with pytest.raises(StoreWriteError, match="closed"):
        store.retry_pending()


def test_damage_found_while_running_keeps_the_write(store: Store) -> None:
    """A plain DatabaseError (a page gone bad under us) is kept like a full disk."""

    def damaged(_: sqlite3.Connection) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    with pytest.raises(StoreWriteError, match="malformed"):
        store._writer.write("a damaged write", damaged, None)
    assert store.pending == ("a damaged write",)


def test_a_set_takes_exercise_goal_and_source_from_its_session(store: Store) -> None:
    """Stored once per session: a set cannot disagree with the session it belongs to."""
    claims = a_set("a", 1, exercise="other", goal="warmup", source=Source.MANUAL)
    store.import_sessions([replace(record("a"), sets=(claims,))])
    [back] = store.sessions()[0].sets
    assert back == replace(claims, exercise=EXERCISE, goal="recovery", source=Source.PROMPT)
