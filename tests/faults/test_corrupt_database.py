"""A damaged, unreadable or too-new database, seen from outside: the real app and the CLI.

Each variant is put where the database belongs, then

1. ``stretchbreak history --format csv`` (the reading path) runs first: it either prints the
   history or exits 1 with one line naming the file and the problem, and never changes it;
2. the real app starts on the folder (``--no-tray``), says what it found on stderr and in its
   log (naming the file, the problem and where a damaged file went), answers ``quit`` and
   exits 0.

Afterwards the user's original is still there, byte for byte (SHA-256 before and after):
moved aside as ``stretchbreak.sqlite3.corrupt-<time>`` or left in place untouched. The
library-level rules are in tests/integration/store/test_store_open.py; this is the same from the
outside, with the processes a user would run.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from stretchbreak.core.export import CSV_HEADER_LINE
from tests.app_process import LOG_NAME, cli, quit_app, running_app
from tests.integration.store.store_samples import a_real_database, read_only

pytestmark = pytest.mark.slow

SEED = 20261124
DB_NAME = "stretchbreak.sqlite3"
#: What the app says when it runs on, without saving sets (read-only or too new).
NOT_SAVING = "your sets are kept in memory"


def fingerprint(path: Path) -> dict[str, str]:
    """SHA-256 of the file, or of every file below the folder, by relative name."""
    if path.is_file():
        return {".": hashlib.sha256(path.read_bytes()).hexdigest()}
    return {
        str(file.relative_to(path)): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(path.rglob("*"))
        if file.is_file()
    }


def random_bytes(db: Path) -> None:
    db.write_bytes(random.Random(SEED).randbytes(20_000))


def truncated(keep: Callable[[int], int]) -> Callable[[Path], None]:
    def make(db: Path) -> None:
        whole = a_real_database(db)
        db.write_bytes(whole[: keep(len(whole))])

    return make


def zero_length(db: Path) -> None:
    db.write_bytes(b"")


def a_folder(db: Path) -> None:
    db.mkdir()
    (db / "notes.txt").write_text("the user's own file, which must survive")


def too_new(db: Path) -> None:
    a_real_database(db)
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA user_version = 99")
    finally:
        connection.close()


def a_column_missing(db: Path) -> None:
    """The current version number, but a table without one of its columns (edited by hand)."""
    a_real_database(db)
    connection = sqlite3.connect(db)
    try:
        connection.execute("ALTER TABLE sessions DROP COLUMN feeling")
    finally:
        connection.close()


def no_guard(db: Path) -> AbstractContextManager[None]:
    return nullcontext()


def file_read_only(db: Path) -> AbstractContextManager[None]:
    return read_only(db)


def folder_read_only(db: Path) -> AbstractContextManager[None]:
    return read_only(db.parent)


@dataclass(frozen=True)
class Variant:
    make: Callable[[Path], object]
    #: Words of the app's message besides the file's path; empty: the app says nothing.
    app_says: tuple[str, ...]
    #: Moved aside as .corrupt-<time> (True) or left where it is (False).
    moved: bool
    #: Words of ``history``'s one-line error; None: it prints the history and exits 0.
    history_says: str | None
    guard: Callable[[Path], AbstractContextManager[None]] = no_guard
    #: Sets ``history`` prints when it can read the file.
    rows: int = 0


RECOVERED = ("could not be read", "moved, unchanged, to", "a new, empty history was started")
READ_ONLY = ("is read-only", NOT_SAVING)

VARIANTS = {
    "random-bytes": Variant(
        random_bytes, (*RECOVERED, "file is not a database"), True, "file is not a database"
    ),
    "truncated-in-header": Variant(
        truncated(lambda size: 60), (*RECOVERED, "ends inside its header"), True, "header"
    ),
    "truncated-to-first-page": Variant(
        truncated(lambda size: 4096), (*RECOVERED, "malformed"), True, "malformed"
    ),
    "truncated-to-half": Variant(
        truncated(lambda size: size // 2), (*RECOVERED, "malformed"), True, "malformed"
    ),
    # SQLite reads zero bytes as a valid empty database: nothing to lose and nothing to say;
    # ``history`` prints it as empty, and the app makes it its new (empty) history.
    "zero-length": Variant(zero_length, (), False, None),
    "folder-in-its-place": Variant(
        a_folder, (*RECOVERED, "a folder is in its place"), True, "it is a folder"
    ),
    "a-column-missing": Variant(
        a_column_missing,
        (*RECOVERED, "the table sessions lacks the column feeling"),
        True,
        "the table sessions lacks the column feeling",
    ),
    "read-only-file": Variant(a_real_database, READ_ONLY, False, None, file_read_only, 1200),
    "read-only-folder": Variant(a_real_database, READ_ONLY, False, None, folder_read_only, 1200),
    "newer-schema": Variant(
        too_new,
        ("was saved by a newer stretchbreak", "database version 99", "left untouched", NOT_SAVING),
        False,
        "database version 99",
    ),
    # The app cannot look inside (SQLite needs to create the -shm beside a WAL database) and
    # says "read-only"; ``history`` reads a copy and names the version.
    "newer-schema-in-a-read-only-folder": Variant(
        too_new,
        READ_ONLY,
        False,
        "database version 99",
        folder_read_only,
    ),
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / LOG_NAME.parent).mkdir(parents=True)  # the log's folder, even in a read-only one
    return folder


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_cli_and_the_app_say_what_is_wrong_and_keep_the_original(data: Path, name: str) -> None:
    variant = VARIANTS[name]
    db = data / DB_NAME
    variant.make(db)
    original = fingerprint(db)

    with variant.guard(db):
        history = cli(data, "history", "--format", "csv")
        assert "Traceback" not in history.stderr
        if variant.history_says is None:
            assert history.returncode == 0, history.stderr
            assert history.stdout.startswith(CSV_HEADER_LINE + "\n")
            assert len(history.stdout.splitlines()) == 1 + variant.rows
        else:
            assert history.returncode == 1
            assert history.stderr.startswith(f"stretchbreak: error: cannot read {db}: ")
            assert variant.history_says in history.stderr
        assert fingerprint(db) == original, "the reading path changed the file"

        with running_app(data, "--no-tray") as app:
            _, stderr = quit_app(data, app)
        log = (data / LOG_NAME).read_text()

    assert "Traceback" not in stderr
    moved = sorted(data.glob(f"{DB_NAME}.corrupt-*"))
    if variant.moved:
        assert [fingerprint(path) for path in moved] == [original]
        assert str(moved[0]) in stderr
        assert db.is_file(), "a new history was started in its place"
    else:
        assert moved == []
        if variant.app_says:  # zero bytes become the new (empty) database, as SQLite reads them
            assert fingerprint(db) == original
    for said in (stderr, log):
        if variant.app_says:
            assert f"{db}" in said
        for words in variant.app_says:
            assert words in said, f"{words!r} not in {said!r}"
        if variant.app_says:
            told = [line for line in said.splitlines() if variant.app_says[0] in line]
            assert len(told) == 1, f"said once, not repeated: {told}"
    if not variant.app_says:
        assert "WARNING" not in stderr
