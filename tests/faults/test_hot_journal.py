"""A writer killed in the middle of a transaction on a file system without WAL.

On such a file system (some network and FUSE mounts) SQLite keeps a rollback journal,
``stretchbreak.sqlite3-journal``. A writer killed after some of its changes reached the
database file leaves that journal "hot": the file is half-written until a read-write
connection rolls the journal back, which SQLite does on its own at the first read. A
read-only connection cannot, and reports the file as read-only or malformed.

The writer here is a real child process in ``journal_mode=DELETE`` with a tiny page cache,
so its changes spill into the file before it commits; it is killed with SIGKILL while the
transaction is open. ``history`` (which must not write) and the app (which may) must then
both show every row as it was before that transaction.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stretchbreak.core.export import CSV_HEADER_LINE
from stretchbreak.infra.store_open import open_store
from tests.app_process import LOG_NAME, cli, quit_app, running_app
from tests.integration.store.store_samples import a_real_database, read_only

pytestmark = pytest.mark.slow

ROWS = 1200  # the sets of a_real_database
WRITER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA cache_size = 2")
connection.execute("BEGIN")
connection.execute("DELETE FROM sets")
connection.execute("UPDATE sessions SET goal = 'gone'")
print("dirty", flush=True)
sys.stdin.readline()
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hot_journal(data: Path) -> Path:
    """A database with ``ROWS`` sets whose last writer died mid-transaction."""
    database = data / "stretchbreak.sqlite3"
    a_real_database(database)
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    finally:
        connection.close()
    before = digest(database)
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout is not None
        try:
            assert writer.stdout.readline().strip() == "dirty"
        finally:
            os.kill(writer.pid, signal.SIGKILL)
            writer.wait(timeout=60)
    journal = data / "stretchbreak.sqlite3-journal"
    assert journal.stat().st_size > 0, "the journal is hot"
    assert digest(database) != before, "changes reached the file before the kill"
    return database


def test_history_and_the_app_roll_a_hot_journal_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = hot_journal(data)
    journal = data / "stretchbreak.sqlite3-journal"
    found = {path: digest(path) for path in (database, journal)}

    history = cli(data, "history", "--format", "csv")
    assert history.returncode == 0, history.stderr
    assert history.stdout.startswith(CSV_HEADER_LINE + "\n")
    assert len(history.stdout.splitlines()) == 1 + ROWS
    assert "gone" not in history.stdout
    assert {path: digest(path) for path in found} == found, "history wrote to the user's files"

    (data / LOG_NAME.parent).mkdir()
    with running_app(data, "--no-tray") as app:
        _, stderr = quit_app(data, app)
    log = (data / LOG_NAME).read_text()
    for said in (stderr, log):
        assert "read-only" not in said
        assert "malformed" not in said
        assert "Traceback" not in said
    assert list(data.glob("*.corrupt-*")) == []
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT count(*) FROM sets").fetchone() == (ROWS,)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def test_a_hot_journal_that_cannot_be_rolled_back_is_explained(tmp_path: Path) -> None:
    """In a folder the app may not write, the journal cannot be rolled back: the app says
    so (and keeps trying), ``history`` still reads the rolled-back state from a copy."""
    data = tmp_path / "data"
    (data / LOG_NAME.parent).mkdir(parents=True)
    database = hot_journal(data)
    with read_only(data):
        opening = open_store(database, lambda: datetime(2026, 11, 24, tzinfo=UTC))
        history = cli(data, "history", "--format", "csv")
    assert (opening.store, opening.retry) == (None, True)
    assert opening.notice is not None
    assert f"{database}-journal holds a transaction its writer left unfinished" in opening.notice
    assert "needs write access" in opening.notice
    assert history.returncode == 0, history.stderr
    assert len(history.stdout.splitlines()) == 1 + ROWS
