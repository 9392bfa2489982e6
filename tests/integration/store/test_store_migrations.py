"""Migrations: a copy first, one transaction per step, never a step back, never a newer file."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from stretchbreak.core.history import PromptOutcome, PromptRecord
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_migrations import (
    MigrationError,
    bundled_migrations,
    load_migrations,
)
from stretchbreak.infra.store_open import OpeningKind, open_store
from stretchbreak.infra.store_schema import DatabaseTooNew
from tests.integration.store.store_samples import T0, record

INITIAL = (bundled_migrations() / "0001_initial.sql").read_text(encoding="utf-8")
#: The version this stretchbreak creates and knows up to.
LATEST = len(load_migrations())
NEXT = LATEST + 1
ADD_NOTE = "ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';\n"


def version_1_database(path: Path) -> None:
    """Built from the 0001 SQL by hand, as an older stretchbreak would have left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(f"BEGIN; {INITIAL}; PRAGMA user_version = 1; COMMIT;")
        connection.execute(
            "INSERT INTO sessions VALUES ('s1', 'dynamic-back-stretch', 'recovery', 'prompt',"
            " 'guided', 2, 6, 3, '2026-11-24T09:00:00.000000+00:00',"
            " '2026-11-24T09:05:00.000000+00:00', 'completed', 'easy', 0)"
        )
        for index in (1, 2):
            connection.execute(
                "INSERT INTO sets (session_id, set_index, reps, hold_s, started_at, completed_at,"
                " active_s, paused_s, partial) VALUES ('s1', ?, 6, 3,"
                " '2026-11-24T09:01:00.000000+00:00', '2026-11-24T09:02:00.000000+00:00',"
                " 55.5, 4.5, 0)",
                (index,),
            )
        connection.execute(
            "INSERT INTO prompts (due_at, shown_at, outcome, decided_at) VALUES"
            " ('2026-11-24T08:59:00.000000+00:00', NULL, 'started',"
            " '2026-11-24T09:00:00.000000+00:00')"
        )
    finally:
        connection.close()


def latest_database(path: Path) -> None:
    """The version 1 database, upgraded by this stretchbreak (its copy removed again)."""
    version_1_database(path)
    Store.open(path).close()
    path.with_name(f"{path.name}.bak-v1").unlink()


def migrations_with(tmp_path: Path, step: str | None) -> Path:
    """The bundled migrations plus, for these tests only, a next step (``NEXT``)."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for migration in load_migrations():
        (folder / migration.name).write_text(migration.sql, encoding="utf-8")
    if step is not None:
        (folder / f"{NEXT:04}_next.sql").write_text(step, encoding="utf-8")
    (folder / "README.txt").write_text("not a migration", encoding="utf-8")
    return folder


def user_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def columns(path: Path, table: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
        return {row[0] for row in rows}
    finally:
        connection.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "stretchbreak.sqlite3"


def backups(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".bak-" in p.name)


def test_the_bundled_migrations_are_found_as_package_data() -> None:
    first, sums, reason = load_migrations()
    assert (first.version, first.name) == (1, "0001_initial.sql")
    assert "CREATE TABLE sessions" in first.sql
    assert (sums.version, sums.name) == (2, "0002_session_sums.sql")
    assert "CREATE TRIGGER" in sums.sql
    assert (reason.version, reason.name) == (3, "0003_prompt_reason.sql")


def test_a_gap_in_the_numbering_is_refused(tmp_path: Path) -> None:
    folder = migrations_with(tmp_path, None)
    (folder / f"{NEXT + 1:04}_later.sql").write_text("SELECT 1;", encoding="utf-8")
    found = [*range(1, NEXT), NEXT + 1]
    with pytest.raises(ValueError, match=rf"without gaps; found \[{', '.join(map(str, found))}\]"):
        load_migrations(folder)


def test_a_new_database_is_created_at_the_latest_version_without_a_copy(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.backup is None
    assert user_version(db_path) == LATEST
    assert backups(db_path) == []


def test_an_empty_file_is_a_new_database(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.write_bytes(b"")
    with Store.open(db_path) as store:
        assert store.sessions() == []
    assert user_version(db_path) == LATEST
    assert backups(db_path) == []


def test_a_version_1_database_opens_with_all_its_data_after_a_copy(db_path: Path) -> None:
    version_1_database(db_path)
    with Store.open(db_path) as store:
        [session] = store.sessions()
        assert store.backup == db_path.with_name("stretchbreak.sqlite3.bak-v1")
        assert [s.active_seconds for s in session.sets] == [55.5, 55.5]
        assert session.feeling == "easy"
        [prompt] = store.prompts()
        assert (prompt.outcome, prompt.reason) == (PromptOutcome.STARTED, None)
    assert user_version(db_path) == LATEST
    assert backups(db_path) == ["stretchbreak.sqlite3.bak-v1"]


def test_a_deferred_prompt_keeps_its_reason_and_only_a_deferral_may_have_one(
    db_path: Path,
) -> None:
    """Version 3: the busy signal that held a break back is kept with its ``deferred`` row."""
    latest_database(db_path)
    waited = PromptRecord(T0, None, PromptOutcome.DEFERRED, T0, reason="microphone")
    shown = PromptRecord(T0, T0, PromptOutcome.STARTED, T0)
    with Store.open(db_path) as store:
        store.record_prompt(waited)
        store.record_prompt(shown)
        assert store.prompts()[-2:] == [waited, shown]
    connection = sqlite3.connect(db_path)
    try:
        for outcome, reason in (("started", "camera"), ("deferred", "lunch")):
            with pytest.raises(sqlite3.IntegrityError):
                connection.execute(
                    "INSERT INTO prompts (due_at, shown_at, outcome, decided_at, reason) VALUES"
                    " ('2026-11-24T08:59:00.000000+00:00', NULL, ?,"
                    " '2026-11-24T09:00:00.000000+00:00', ?)",
                    (outcome, reason),
                )
    finally:
        connection.close()


def test_a_database_at_the_latest_version_opens_without_a_copy(db_path: Path) -> None:
    version_1_database(db_path)
    Store.open(db_path).close()
    with Store.open(db_path) as store:
        assert store.backup is None  # nothing to migrate, nothing copied
        assert len(store.sessions()) == 1
    assert backups(db_path) == ["stretchbreak.sqlite3.bak-v1"]


def test_an_upgrade_copies_the_file_first_and_keeps_every_row(
    db_path: Path, tmp_path: Path
) -> None:
    latest_database(db_path)
    with Store.open(db_path) as before:
        expected = before.sessions()
    name = f"stretchbreak.sqlite3.bak-v{LATEST}"
    with Store.open(db_path, migrations=migrations_with(tmp_path, ADD_NOTE)) as store:
        assert store.backup == db_path.with_name(name)
        assert store.sessions() == expected
        assert len(store.prompts()) == 1
    assert user_version(db_path) == NEXT
    assert "note" in columns(db_path, "sessions")

    backup = db_path.with_name(name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert user_version(backup) == LATEST
    assert "note" not in columns(backup, "sessions")
    with Store.open(backup) as copy:
        assert copy.sessions() == expected


def test_a_copy_never_overwrites_an_older_copy(db_path: Path) -> None:
    version_1_database(db_path)
    taken = db_path.with_name("stretchbreak.sqlite3.bak-v1")
    taken.write_bytes(b"an older copy")
    with Store.open(db_path) as store:
        assert store.backup == db_path.with_name("stretchbreak.sqlite3.bak-v1-2")
    assert taken.read_bytes() == b"an older copy"


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(ADD_NOTE + "INSERT INTO nowhere VALUES (1);\n", id="a-bad-statement"),
        pytest.param(ADD_NOTE + "DELETE FROM sessions;\n", id="dangling-sets"),
    ],
)
def test_a_failing_step_rolls_back_to_the_version_before_with_the_data_intact(
    db_path: Path, tmp_path: Path, second: str
) -> None:
    latest_database(db_path)
    with Store.open(db_path) as before:
        expected = before.sessions()
    folder = migrations_with(tmp_path, second)
    failed = rf"from version {LATEST} to {NEXT}: {NEXT:04}_next\.sql"
    with pytest.raises(MigrationError, match=failed) as raised:
        Store.open(db_path, migrations=folder)
    assert raised.value.backup == db_path.with_name(f"stretchbreak.sqlite3.bak-v{LATEST}")
    assert user_version(db_path) == LATEST
    assert "note" not in columns(db_path, "sessions")
    with Store.open(db_path) as after:
        assert after.sessions() == expected

    opening = open_store(db_path, lambda: T0, migrations=folder)
    assert (opening.store, opening.kind) == (None, OpeningKind.UNAVAILABLE)
    assert opening.notice is not None
    assert str(db_path) in opening.notice
    assert f"left at version {LATEST}" in opening.notice
    assert f"bak-v{LATEST}" in opening.notice
    assert "kept in memory only until this is fixed" in opening.notice
    assert not opening.retry, "each try would only make another backup copy"


def test_a_version_0_file_with_content_is_copied_before_the_first_step(db_path: Path) -> None:
    db_path.parent.mkdir()
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()
    with Store.open(db_path) as store:
        assert store.backup == db_path.with_name("stretchbreak.sqlite3.bak-v0")
    assert user_version(db_path) == LATEST
    assert {"notes", "sessions"} <= tables(db_path)
    assert tables(db_path.with_name("stretchbreak.sqlite3.bak-v0")) == {"notes"}


@pytest.mark.parametrize("newer", [NEXT, 7])
def test_a_newer_database_is_refused_and_left_exactly_as_it_was(db_path: Path, newer: int) -> None:
    latest_database(db_path)
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {newer}")
    connection.close()
    os.utime(db_path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    names = sorted(p.name for p in db_path.parent.iterdir())

    with pytest.raises(DatabaseTooNew) as raised:
        Store.open(db_path)
    assert (raised.value.version, raised.value.known) == (newer, LATEST)
    message = str(raised.value)
    assert str(db_path) in message
    assert f"version {newer}" in message
    assert f"up to {LATEST}" in message

    opening = open_store(db_path, lambda: T0)
    assert (opening.store, opening.kind) == (None, OpeningKind.TOO_NEW)
    assert opening.notice is not None
    assert str(db_path) in opening.notice
    assert f"database version {newer}; this version knows up to {LATEST}" in opening.notice
    assert "your sets are kept in memory only until you update stretchbreak" in opening.notice

    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == names


def test_imported_records_survive_an_upgrade(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        store.import_sessions([record("a"), record("b", 60)])
        expected = store.sessions()
    with Store.open(db_path, migrations=migrations_with(tmp_path, ADD_NOTE)) as store:
        assert store.sessions() == expected
