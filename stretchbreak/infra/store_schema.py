"""Opening the SQLite file safely: private files, corruption and version checks, then WAL.

Everything that only reads (the header, the version, ``quick_check``) happens first, on a
read-only connection: a database that is too new or damaged is left exactly as it was
found, WAL file included. Migrations (``store_migrations``) run only after that.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from stretchbreak.infra.paths import make_private_folder
from stretchbreak.infra.store_migrations import Migration, migrate

log = logging.getLogger(__name__)

#: Another process holding the write lock (a second instance, a backup tool) is waited for
#: this long before a write gives up with "database is locked".
BUSY_TIMEOUT_MS = 5000
#: SQLite's own words for "these bytes are not a (healthy) database".
_CORRUPT_ERRORS = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})
_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer stretchbreak; upgrading the app is the only safe way."""

    def __init__(self, path: Path, version: int, known: int) -> None:
        super().__init__(
            f"{path} has database version {version}, but this stretchbreak knows versions up "
            f"to {known}; it was left untouched. Update stretchbreak to use it."
        )
        self.path = path
        self.version = version
        self.known = known


class DatabaseCorrupt(RuntimeError):
    """The file is not a readable SQLite database; the caller moves it aside."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is damaged: {reason}")
        self.path = path
        self.reason = reason


def connect(path: Path, migrations: Sequence[Migration]) -> tuple[sqlite3.Connection, Path | None]:
    """Open ``path`` ready for use: checked, in WAL mode, migrated; returns any backup made.

    WAL with ``synchronous=NORMAL`` never loses a committed transaction when the *process*
    dies (a crash, SIGKILL): the commit is in the WAL file before ``COMMIT`` returns. Only a
    power cut or OS crash may lose the last commits — never corrupt the file — which is the
    trade SQLite recommends for WAL, and it keeps a commit well under a millisecond.
    """
    create_private(path)
    inspect(path, known=len(migrations))
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = _version(connection, path, known=len(migrations))
        connection.execute("PRAGMA foreign_keys = ON")
        _probe_write(connection, version)
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - only on file systems without shared memory
            log.warning("%s: WAL is not available here, using journal mode %s", path, mode)
        connection.execute("PRAGMA synchronous = NORMAL")
        backup = migrate(connection, path, migrations, version)
    except BaseException:
        connection.close()
        raise
    make_private(path)
    return connection, backup


def create_private(path: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite does.

    SQLite would create the file with the umask's mode, readable by others for a moment; an
    empty file is a valid empty database to SQLite. Existing files are left alone.
    """
    make_private_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def make_private(path: Path) -> None:
    """0600 on the database and its -wal/-shm companions, whoever created them."""
    for file in (path, *companions(path)):
        try:
            if file.exists():
                file.chmod(0o600)
        except OSError as error:  # pragma: no cover - a file we may read but not chmod
            log.warning("could not make %s private: %s", file, error)


def companions(path: Path) -> tuple[Path, Path]:
    """The WAL and shared-memory files that belong to a database file."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def inspect(path: Path, *, known: int) -> None:
    """Raise ``DatabaseCorrupt`` or ``DatabaseTooNew`` without changing a byte.

    A normal connection would, on closing, checkpoint a WAL file into a damaged database
    and delete it; a read-only one never writes. Its empty -wal/-shm, when it had to create
    them, are removed again, so a refused file is found exactly as it was left.
    """
    with path.open("rb") as handle:
        header = handle.read(_HEADER_SIZE)
    if header and not header.startswith(_MAGIC):
        raise DatabaseCorrupt(path, "file is not a database")
    if header and len(header) < _HEADER_SIZE:
        raise DatabaseCorrupt(path, "the file ends inside its header")
    existed = {file for file in companions(path) if file.exists()}
    probe = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        _version(probe, path, known=known)
        problems = [row[0] for row in probe.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") in _CORRUPT_ERRORS:
            raise DatabaseCorrupt(path, str(error)) from error
        raise
    finally:
        probe.close()
        for file in set(companions(path)) - existed:
            # An -shm holds only locks and an index; a new -wal holds something only if a
            # writer came in between, and then it stays.
            if file.exists() and (file.name.endswith("-shm") or file.stat().st_size == 0):
                file.unlink()
    if problems != ["ok"]:
        raise DatabaseCorrupt(path, _first_problems(problems))


def _version(connection: sqlite3.Connection, path: Path, *, known: int) -> int:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > known:
        raise DatabaseTooNew(path, version, known)
    return version


def _first_problems(problems: list[object]) -> str:
    """Enough of ``quick_check``'s report to recognise the damage; it can run to pages."""
    lines = [
        line.strip()
        for problem in problems
        for line in str(problem).splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    text = "; ".join(lines[:2])
    return text if len(text) <= 160 else text[:159] + "…"


def _probe_write(connection: sqlite3.Connection, version: int) -> None:
    """Fail now, not at the first set, when the file or its folder cannot be written.

    Rewriting the version inside a rolled-back transaction makes SQLite take the write path
    (a read-only file raises SQLITE_READONLY, a read-only folder cannot hold the journal)
    without changing a byte.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(f"PRAGMA user_version = {version}")
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
