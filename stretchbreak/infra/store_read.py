"""Reading the history without writing a byte of it: what ``stretchbreak history`` uses.

A read command must leave the user's files as it found them: no migration (and so no new
``.bak-v*`` copy on every run), no rolled-back journal, no WAL mode switched on. So the
file is opened read-only, after checking that it, and every companion SQLite would open, is
a regular file: a FIFO in the database's place would otherwise hang the command for good.

Three cases need more than a read-only connection, and each is read from a copy, never
from the original:

- a database of an older version is copied into memory and upgraded there;
- a hot rollback journal (a writer died mid-transaction on a file system without WAL) is
  copied with the database into a temporary folder, where SQLite rolls it back as it would
  on the user's own next read-write open;
- a file SQLite cannot open read-only here (a WAL database in a folder we may not write:
  the ``-shm`` cannot be created) is read from such a copy too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path

from stretchbreak.infra.store import Store
from stretchbreak.infra.store_migrations import Migration, load_migrations, migrate
from stretchbreak.infra.store_open import not_yours
from stretchbreak.infra.store_schema import (
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnusable,
    check_companions,
    companions,
    inspect,
    journal,
)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (a named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@contextmanager
def reading(path: Path, tz: tzinfo | None = None) -> Iterator[Store | None]:
    """The history at ``path`` to read, or None when there is none yet; never writes to it.

    Raises ``DatabaseUnusable`` (not a file), ``DatabaseCorrupt``, ``DatabaseTooNew``, a
    ``DatabaseUnusable`` for another program's database, or ``sqlite3.Error``/``OSError``
    with the original's path in the message.
    """
    if not os.path.lexists(path):
        yield None
        return
    if path.is_symlink() and not path.exists():
        raise DatabaseUnusable(path, f"it is a link to {path.resolve()}, which does not exist")
    if refused := not_yours(path, os.R_OK):
        raise DatabaseUnusable(path, f"it is not yours: {refused}")
    _require_regular(path)
    check_companions(path)
    wal = companions(path)[0]
    if path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0):
        yield None  # SQLite reads zero bytes as an empty database; opening it would write
        return
    migrations = load_migrations()
    hot = journal(path).exists() and journal(path).stat().st_size > 0
    existed = {file for file in companions(path) if file.exists()}
    with tempfile.TemporaryDirectory(prefix="stretchbreak-") as folder:
        try:
            if hot:
                store = _from_copy(path, Path(folder), migrations, tz)
            else:
                try:
                    store = _read_only(path, migrations, tz)
                except sqlite3.Error as error:
                    if _corrupt(error):
                        raise DatabaseCorrupt(path, str(error)) from error
                    store = _from_copy(path, Path(folder), migrations, tz)
            try:
                yield store
            finally:
                store.close()
        finally:
            _remove_new_companions(path, existed)


def _require_regular(path: Path) -> None:
    """Refuse anything SQLite would block on or choke at, without opening it blocking."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
    finally:
        os.close(descriptor)
    for test, kind in _KINDS:
        if test(mode):
            raise DatabaseUnusable(path, f"it is {kind}, not a database file")
    if not stat.S_ISREG(mode):
        raise DatabaseUnusable(path, "it is not a regular file")


def _read_only(path: Path, migrations: tuple[Migration, ...], tz: tzinfo | None) -> Store:
    """A read-only connection to the file itself."""
    inspect(path, migrations)  # damage, too new, missing columns: all found read-only
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    connection.isolation_level = None
    try:
        return _readable(connection, path, migrations, tz)
    except BaseException:
        connection.close()
        raise


def _remove_new_companions(path: Path, existed: set[Path]) -> None:
    """A read-only connection may create an ``-shm`` (locks and an index) or an empty
    ``-wal``: gone again, so the folder is left as found. A ``-wal`` with content means a
    writer came in meanwhile, and it stays."""
    for file in set(companions(path)) - existed:
        if file.exists() and (file.name.endswith("-shm") or file.stat().st_size == 0):
            file.unlink()


def _from_copy(
    path: Path, folder: Path, migrations: tuple[Migration, ...], tz: tzinfo | None
) -> Store:
    """Copy the database with its ``-wal`` and ``-journal`` and read the copy, which SQLite
    may recover (roll back, replay) as it would the original; errors name the original."""
    copy = folder / path.name
    for original, target in (
        (path, copy),
        (companions(path)[0], companions(copy)[0]),
        (journal(path), journal(copy)),
    ):
        if original.exists():
            shutil.copyfile(original, target)
    try:
        connection = sqlite3.connect(copy, isolation_level=None)
        connection.execute("PRAGMA schema_version").fetchone()  # recovery happens here
        connection.close()
        inspect(copy, migrations)
        connection = sqlite3.connect(copy, isolation_level=None)
        try:
            return _readable(connection, copy, migrations, tz)
        except BaseException:
            connection.close()
            raise
    except DatabaseTooNew as error:
        raise DatabaseTooNew(path, error.version, error.known) from error
    except DatabaseCorrupt as error:
        raise DatabaseCorrupt(path, error.reason.replace(str(copy), str(path))) from error
    except DatabaseUnusable as error:
        raise DatabaseUnusable(path, error.reason.replace(str(copy), str(path))) from error
    except (sqlite3.Error, OSError) as error:
        raise RuntimeError(str(error).replace(str(copy), str(path))) from error


def _readable(
    connection: sqlite3.Connection,
    path: Path,
    migrations: tuple[Migration, ...],
    tz: tzinfo | None,
) -> Store:
    """A read-only ``Store`` on ``connection``, upgraded in memory when the file is older."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = int(connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0])
    if version == 0 and tables:
        raise DatabaseUnusable(path, "it is not a stretchbreak history (another program's)")
    if version < len(migrations):
        memory = sqlite3.connect(":memory:", isolation_level=None)
        connection.backup(memory)
        connection.close()
        migrate(memory, path, migrations, version, keep_copy=False)
        connection = memory
    return Store(connection, path, tz=tz, read_only=True)


def _corrupt(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
