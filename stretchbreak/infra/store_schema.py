"""Opening the SQLite file safely: private files, corruption and version checks, then WAL.

Everything that only reads (the header, the version, ``quick_check``) happens first, on a
read-only connection: a database that is too new or damaged is left exactly as it was
found, WAL file included. Migrations (``store_migrations``) run only after that.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import stat
from collections.abc import Sequence
from pathlib import Path

from stretchbreak.infra.paths import make_private_folder
from stretchbreak.infra.store_migrations import Migration, migrate

log = logging.getLogger(__name__)

#: Another process holding the write lock (a SQLite shell, a backup tool) is waited for this
#: long before a write gives up with "database is locked". Short, since it runs on the event
#: loop: a set that meets the lock waits in memory and is retried on a timer
#: (``services.log_keeper``) rather than freezing the window for seconds.
BUSY_TIMEOUT_MS = 250
#: While opening (at start, and each later try) a lock is waited for only this long: the
#: app tries again on its own timer, so the event loop never stands still for a lock.
OPEN_BUSY_TIMEOUT_MS = 100
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


class DatabaseUnusable(RuntimeError):
    """Something in the file's place keeps it from being opened now (a link to a folder that is
    not mounted, a folder where its ``-wal`` belongs); it may be put right while the app runs."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} cannot be opened: {reason}")
        self.path = path
        self.reason = reason


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
    roll_back_hot_journal(path)
    inspect(path, migrations)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {OPEN_BUSY_TIMEOUT_MS}")
        version = _version(connection, path, known=len(migrations))
        connection.execute("PRAGMA foreign_keys = ON")
        _probe_write(connection, version)
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - only on file systems without shared memory
            log.warning("%s: WAL is not available here, using journal mode %s", path, mode)
        connection.execute("PRAGMA synchronous = NORMAL")
        backup = migrate(connection, path, migrations, version)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        connection.close()
        raise
    make_private(path)
    return connection, backup


def create_private(path: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite does.

    SQLite would create the file with the umask's mode, readable by others for a moment; an
    empty file is a valid empty database to SQLite. Existing files are left alone. A link
    (a history kept in a synced folder) gets its file created where it points, but only in
    a folder that exists: a missing one is a folder not mounted yet, not one to make up.
    Anything in a companion's place that is not a file stops SQLite in ways it reports
    badly (or hangs it, a FIFO), so it is refused here by name.
    """
    make_private_folder(path.parent)
    check_companions(path)
    target = path
    if path.is_symlink():
        target = path.resolve()
        if not target.parent.is_dir():
            why = f"it is a link to {target}, whose folder {target.parent} does not exist"
            raise DatabaseUnusable(path, f"{why} (a synced or removable folder not there yet?)")
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def check_companions(path: Path) -> None:
    """Raise ``DatabaseUnusable`` when a ``-wal``, ``-shm`` or ``-journal`` is not a file."""
    real = path.resolve() if path.is_symlink() else path  # SQLite puts them beside the file
    for companion in (*companions(real), journal(real)):
        try:
            mode = companion.stat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise DatabaseUnusable(path, f"{companion} is {kind}; SQLite needs a file there")


def journal(path: Path) -> Path:
    """The rollback journal of a database that is not in WAL mode."""
    return path.with_name(path.name + "-journal")


def roll_back_hot_journal(path: Path) -> None:
    """Let SQLite roll back a transaction its writer left unfinished, as it does on any
    read-write open: the database file then holds what it held before that transaction.

    A read-only connection cannot roll back; it reports the half-written file as read-only
    or malformed. So a non-empty ``-journal`` is given to a read-write connection first.
    """
    rollback = journal(path)
    if not rollback.is_file() or rollback.stat().st_size == 0:
        return
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {OPEN_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        name = getattr(error, "sqlite_errorname", "")
        if name in _CORRUPT_ERRORS:
            raise DatabaseCorrupt(path, str(error)) from error
        if name.startswith("SQLITE_BUSY"):
            raise  # another program is at it: "in use", and tried again
        raise DatabaseUnusable(
            path,
            f"{rollback} holds a transaction its writer left unfinished, and rolling it back "
            f"failed ({error}); that needs write access to the file and its folder",
        ) from error
    finally:
        connection.close()
    log.info("%s: rolled back the unfinished transaction in %s", path, rollback)


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


def inspect(path: Path, migrations: Sequence[Migration]) -> None:
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
        probe.execute(f"PRAGMA busy_timeout = {OPEN_BUSY_TIMEOUT_MS}")
        version = _version(probe, path, known=len(migrations))
        problems = [row[0] for row in probe.execute("PRAGMA quick_check")]
        if problems == ["ok"] and version == len(migrations) and version > 0:
            problems = missing_columns(probe, migrations)
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
    if problems and problems != ["ok"]:
        raise DatabaseCorrupt(path, _first_problems(problems))


def missing_columns(connection: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Tables and columns the current version has and this file lacks (someone's own edit,
    another program's file with our version number): the app could read none of it."""
    found = _columns(connection)
    expected = _expected_columns(tuple(migrations))
    problems = []
    for table, columns in expected.items():
        if table not in found:
            problems.append(f"the table {table} is missing")
        elif lacking := sorted(columns - found[table]):
            problems.append(f"the table {table} lacks the column {', '.join(lacking)}")
    return problems


def _columns(connection: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: frozenset(row[1] for row in connection.execute(f"PRAGMA table_info('{table}')"))
        for table in tables
    }


@functools.cache
def _expected_columns(migrations: tuple[Migration, ...]) -> dict[str, frozenset[str]]:
    """What every migration together makes, applied once to a database in memory."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in migrations:
            connection.executescript(step.sql)
        return _columns(connection)
    finally:
        connection.close()


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
