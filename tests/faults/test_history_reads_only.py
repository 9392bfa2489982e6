"""``stretchbreak history`` is a read command: whatever is at the database's place, it
writes nothing (no upgrade, no ``.bak-v*`` copy, no rolled-back journal) and never waits on
something that is not a file.

Each case runs the real command line twice and compares every file of the data folder
(names and SHA-256) before and after.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from stretchbreak.core.export import CSV_HEADER_LINE
from tests.app_process import cli
from tests.integration.store.store_samples import a_real_database
from tests.integration.store.test_store_migrations import version_1_database

pytestmark = pytest.mark.slow

DB_NAME = "stretchbreak.sqlite3"
#: A FIFO would hang a command that opens it blocking: give up well before the CLI default.
PATIENCE_S = 30


def folder_state(folder: Path) -> dict[str, str]:
    """Every entry below ``folder``: a regular file by its hash, anything else by its kind."""
    found = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and not entry.is_symlink():
            found[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
        else:
            found[entry.name] = "folder" if entry.is_dir() else "other"
    return found


def history_twice(data: Path) -> list[tuple[int, str, str]]:
    before = folder_state(data)
    results = []
    for _ in range(2):
        done = cli(data, "history", "--format", "csv", timeout=PATIENCE_S)
        assert "Traceback" not in done.stderr
        results.append((done.returncode, done.stdout, done.stderr))
        assert folder_state(data) == before, "history changed the data folder"
    return results


def test_an_older_database_is_read_as_it_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    version_1_database(data / DB_NAME)
    for status, out, err in history_twice(data):
        assert status == 0, err
        assert out.startswith(CSV_HEADER_LINE + "\n")
        assert len(out.splitlines()) == 3  # the header and two sets
    with sqlite3.connect(data / DB_NAME) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (1,)
    connection.close()


def test_another_programs_database_is_named_not_upgraded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / DB_NAME) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('the user''s own')")
    connection.close()
    for status, out, err in history_twice(data):
        assert status == 1
        assert out == ""
        assert err.startswith(f"stretchbreak: error: cannot read {data / DB_NAME}: ")
        assert "not a stretchbreak history" in err


def test_a_current_database_lacking_a_column_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    a_real_database(data / DB_NAME)
    with sqlite3.connect(data / DB_NAME) as connection:
        connection.execute("ALTER TABLE sessions DROP COLUMN feeling")
    connection.close()
    for status, _, err in history_twice(data):
        assert status == 1
        assert "the table sessions lacks the column feeling" in err


@pytest.mark.parametrize("where", ["", "-wal", "-journal"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    if where:
        a_real_database(data / DB_NAME)
    else:
        data.mkdir()
    fifo = data / f"{DB_NAME}{where}"
    os.mkfifo(fifo)
    for status, out, err in history_twice(data):
        assert status == 1
        assert out == ""
        assert err.startswith(f"stretchbreak: error: cannot read {data / DB_NAME}: ")
        assert ("a FIFO" if not where else f"{fifo} is not a regular file") in err


def test_a_link_to_nowhere_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    target = tmp_path / "not-mounted" / DB_NAME
    (data / DB_NAME).symlink_to(target)
    for status, _, err in history_twice(data):
        assert status == 1
        assert f"it is a link to {target}, which does not exist" in err
    assert not target.parent.exists()
