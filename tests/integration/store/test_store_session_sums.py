"""Each session row keeps its sets added up (migration 0002), whoever changes the sets.

The history window reads these sums instead of the sets, so every figure it shows depends
on them being exactly what adding the sets up gives: after every kind of write, by the app
or by anyone with a SQLite shell, and after an upgrade from a log without them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest

from stretchbreak.core.history import Feeling, Outcome
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_migrations import MigrationError
from tests.integration.store.store_samples import a_set, record, started, summary
from tests.integration.store.test_store_migrations import columns, user_version, version_1_database

SUMS = ("sets_done", "reps_done", "max_reps", "partial_sets", "active_s")
#: The sums as adding the sets up at read time gives them (what the history read before).
ADDED_UP = """
    SELECT s.id, count(t.id) - coalesce(sum(t.partial), 0),
        coalesce(sum(iif(t.partial, 0, t.reps)), 0), coalesce(max(iif(t.partial, 0, t.reps)), 0),
        coalesce(sum(t.partial), 0), total(t.active_s)
    FROM sessions AS s LEFT JOIN sets AS t ON t.session_id = s.id
    GROUP BY s.id ORDER BY s.id
"""


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What a connection of its own reads, not what the store may have cached."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def kept(path: Path) -> list[tuple[object, ...]]:
    """The sums on the session rows."""
    return query(path, f"SELECT id, {', '.join(SUMS)} FROM sessions ORDER BY id")


def added_up(path: Path) -> list[tuple[object, ...]]:
    return query(path, ADDED_UP)


def write(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in statements:
            connection.execute(statement)


def assert_sums_right(store: Store) -> None:
    """Kept sums equal the sets added up, and the digests equal the records' own sums."""
    assert kept(store.path) == added_up(store.path)
    assert store.session_digests() == [r.digest() for r in store.sessions()]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "stretchbreak.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, tz=UTC) as opened:
        yield opened


@pytest.fixture
def shell(store: Store) -> Iterator[sqlite3.Connection]:
    """Someone else's connection to the same file, as a SQLite shell would be."""
    connection = sqlite3.connect(store.path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def test_a_session_as_the_app_records_it_keeps_its_sums(store: Store) -> None:
    start = started("live")
    store.record_session_started(start)
    assert kept(store.path) == [("live", 0, 0, 0, 0, 0.0)]
    store.record_set(a_set("live", 1, 1, reps=6))
    assert kept(store.path) == [("live", 1, 6, 6, 0, 39.25)]
    store.record_set(a_set("live", 2, 2, reps=8))
    store.record_set(a_set("live", 2, 2, reps=7))  # the same set written again
    assert kept(store.path) == [("live", 2, 13, 7, 0, 78.5)]
    cut = a_set("live", 3, 3, reps=2, partial=True)
    store.record_session_ended(
        summary(start, (a_set("live", 1, 1, reps=6), cut), Outcome.CANCELLED)
    )  # adds the set it has not seen, changes none
    store.record_feeling("live", Feeling.HARD)
    assert kept(store.path) == [("live", 2, 13, 7, 1, 117.75)]
    assert_sums_right(store)


def test_a_rebuilt_session_row_counts_the_set_that_made_it(store: Store) -> None:
    store.record_set(a_set("lost", 1, 1))
    store.record_set(a_set("lost", 2, 2, reps=9))
    store.record_session_started(started("lost"))
    assert kept(store.path) == [("lost", 2, 15, 9, 0, 78.5)]
    assert_sums_right(store)


def test_import_delete_and_undo_keep_every_sum(store: Store) -> None:
    originals = [
        record("a", 0, 3),
        record("b", 60, 1),  # its only set is partial
        replace(record("c", 120), sets=()),
        record("d", 180, 4, ended=False),
    ]
    result = store.import_sessions([*originals, record("a", 300, 5)])  # "a" again: skipped
    assert (result.added, result.skipped) == (4, 1)
    assert kept(store.path)[:2] == [("a", 2, 12, 6, 1, 117.75), ("b", 0, 0, 0, 1, 39.25)]
    assert_sums_right(store)

    deleted = store.delete_sessions(["a", "c"])
    assert [k[0] for k in kept(store.path)] == ["b", "d"]
    assert_sums_right(store)

    store.restore_sessions(deleted)
    assert store.sessions() == sorted(originals, key=lambda r: r.started_at)
    assert_sums_right(store)


def test_the_total_of_active_seconds_is_the_one_adding_the_sets_up_gives(store: Store) -> None:
    """Rewriting a set recomputes the total instead of correcting it, so no rounding error
    creeps in however often a set is written (0.1 + 0.2 - 0.2 is not 0.1 in floats)."""
    odd = (0.1, 0.2, 0.7, 1e-9, 123.456)
    sets = tuple(
        replace(a_set("f", i, i), active_seconds=seconds) for i, seconds in enumerate(odd, 1)
    )
    store.import_sessions([replace(record("f"), sets=sets)])
    for seconds in (0.3, 1e9, 0.2):
        store.record_set(replace(sets[1], active_seconds=seconds))
    assert kept(store.path) == added_up(store.path)
    [digest] = store.session_digests()
    assert digest.active_seconds == added_up(store.path)[0][5]


def test_changes_from_another_connection_keep_the_sums(
    store: Store, shell: sqlite3.Connection
) -> None:
    store.import_sessions([record("a", 0, 3), record("b", 60, 2)])
    shell.execute("UPDATE sets SET reps = 11, partial = 0 WHERE session_id = 'a' AND set_index = 3")
    shell.execute("UPDATE sets SET active_s = active_s * 3 WHERE session_id = 'b'")
    shell.execute(
        "UPDATE sets SET session_id = 'b', set_index = 9 WHERE session_id = 'a' AND set_index = 1"
    )
    shell.execute("DELETE FROM sets WHERE session_id = 'b' AND set_index = 1")
    assert kept(store.path) == [("a", 2, 17, 11, 0, 78.5), ("b", 1, 6, 6, 1, 157.0)]
    assert_sums_right(store)


def test_sets_written_before_their_session_row_are_counted_when_it_arrives(
    store: Store, shell: sqlite3.Connection
) -> None:
    """Possible only with foreign keys off (a repair, an import by hand), but not wrong then:
    a session row inserted, or renamed, after its sets takes their sums."""
    shell.execute("PRAGMA foreign_keys = OFF")
    for session_id in ("late", "renamed"):
        for done in record(session_id, 0, 3).sets:
            shell.execute(
                "INSERT INTO sets (session_id, set_index, reps, hold_s, started_at, completed_at,"
                " active_s, paused_s, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, done.set_index, done.reps, done.hold_seconds,
                 done.started_at.isoformat(timespec="microseconds"),
                 done.completed_at.isoformat(timespec="microseconds"),
                 done.active_seconds, done.paused_seconds, int(done.partial)),
            )  # fmt: skip
    store.import_sessions(
        [replace(record("late", 0), sets=()), replace(record("other", 60), sets=())]
    )
    assert kept(store.path) == [("late", 2, 12, 6, 1, 117.75), ("other", 0, 0, 0, 0, 0.0)]
    shell.execute("UPDATE sessions SET id = 'renamed' WHERE id = 'other'")
    assert kept(store.path) == [("late", 2, 12, 6, 1, 117.75), ("renamed", 2, 12, 6, 1, 117.75)]
    assert_sums_right(store)


def test_a_version_1_log_is_added_up_once_on_upgrade(db_path: Path) -> None:
    version_1_database(db_path)  # one session of two sets
    write(
        db_path,
        "INSERT INTO sessions (id, exercise, goal, source, tempo, target_sets, target_reps,"
        " target_hold_s, started_at) VALUES ('bare', 'dynamic-back-stretch', 'warmup',"
        " 'manual', 'guided', 1, 1, 1, '2026-11-24T10:00:00.000000+00:00')",
        "UPDATE sets SET partial = 1, reps = 2, active_s = 0.1 WHERE set_index = 2",
    )
    assert "sets_done" not in columns(db_path, "sessions")
    with Store.open(db_path, tz=UTC) as store:
        assert store.backup == db_path.with_name("stretchbreak.sqlite3.bak-v1")
        assert kept(db_path) == [("bare", 0, 0, 0, 0, 0.0), ("s1", 1, 6, 6, 1, 55.6)]
        assert_sums_right(store)
        store.record_set(a_set("bare", 1, 61, reps=4))  # and kept from then on
        assert kept(db_path)[0] == ("bare", 1, 4, 4, 0, 39.25)
        assert_sums_right(store)
    assert "sets_done" not in columns(db_path.with_name("stretchbreak.sqlite3.bak-v1"), "sessions")


def test_an_upgrade_that_fails_leaves_the_version_1_log_as_it_was(db_path: Path) -> None:
    """Adding the columns, filling them and the triggers are one step: all of it or nothing."""
    version_1_database(db_path)
    write(
        db_path,
        "CREATE TRIGGER refuse BEFORE UPDATE ON sessions BEGIN SELECT raise(ABORT, 'no'); END",
    )
    everything = "SELECT * FROM sessions", "SELECT * FROM sets", "SELECT sql FROM sqlite_schema"
    before = [query(db_path, sql) for sql in everything]
    with pytest.raises(MigrationError, match=r"from version 1 to \d+: 0002_session_sums\.sql"):
        Store.open(db_path)
    assert user_version(db_path) == 1
    assert [query(db_path, sql) for sql in everything] == before
    assert db_path.with_name("stretchbreak.sqlite3.bak-v1").exists()
