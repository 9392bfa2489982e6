"""Opening the history database so that the app always starts and no old file is ever lost.

Every way the file can be unusable ends in a ``StoreOpening``: a Store when there is one,
and a sentence for the user when something needs their attention. A damaged file is moved
aside (never deleted or overwritten) and a fresh history started; a read-only or too-new file
is left alone and the app runs on the in-memory log until the user fixes it.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path

from stretchbreak.infra.store import Store
from stretchbreak.infra.store_migrations import MigrationError
from stretchbreak.infra.store_schema import DatabaseCorrupt, DatabaseTooNew, companions

log = logging.getLogger(__name__)

_NOT_SAVING = "stretchbreak will run without saving your sets until"
_DENIED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class OpeningKind(StrEnum):
    OPENED = "opened"
    #: The old file was damaged, moved aside, and a new empty history started.
    RECOVERED = "recovered"
    READ_ONLY = "read-only"
    TOO_NEW = "too-new"
    #: Anything else (a failed migration, an I/O error): no Store, the notice says why.
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class StoreOpening:
    """What ``open_store`` found; without a ``store`` the app keeps sets in memory only."""

    store: Store | None
    kind: OpeningKind
    notice: str | None = None
    #: Where a damaged file went.
    moved_to: Path | None = None


def open_store(
    path: Path,
    now: Callable[[], datetime],
    *,
    tz: tzinfo | None = None,
    migrations: Traversable | None = None,
) -> StoreOpening:
    """Open ``path`` or explain why not; never raises for anything the file system does.

    ``now`` stamps the name a damaged file is moved to; ``tz`` and ``migrations`` go to
    ``Store.open``.
    """
    try:
        if path.exists() and not path.is_file():
            what = "a folder is in its place" if path.is_dir() else "it is not a regular file"
            raise DatabaseCorrupt(path, what)
        return StoreOpening(Store.open(path, tz=tz, migrations=migrations), OpeningKind.OPENED)
    except DatabaseCorrupt as error:
        damage = error.reason
    except DatabaseTooNew as error:
        return _failed(
            OpeningKind.TOO_NEW,
            f"{path} was saved by a newer stretchbreak (database version {error.version}; "
            f"this version knows up to {error.known}). It was left untouched; {_NOT_SAVING} "
            "you update stretchbreak.",
        )
    except MigrationError as error:
        return _failed(OpeningKind.UNAVAILABLE, f"{error}. {_NOT_SAVING} this is fixed.")
    except Exception as error:
        return _cannot_open(path, error)

    try:
        moved = move_aside(path, now())
    except OSError as error:
        return _cannot_open(path, error, f"{path} is damaged ({damage}) and could not be moved")
    told = f"Your history {path} could not be read ({damage}). It was moved, unchanged, to {moved}"
    try:
        store = Store.open(path, tz=tz, migrations=migrations)
    except Exception as error:
        failed = _cannot_open(path, error, f"{told}, but a new history could not be started")
        return StoreOpening(None, failed.kind, failed.notice, moved)
    notice = f"{told}, and a new, empty history was started."
    log.warning("%s", notice)
    return StoreOpening(store, OpeningKind.RECOVERED, notice, moved)


def move_aside(path: Path, when: datetime) -> Path:
    """Rename ``path`` (and its -wal/-shm) to ``<name>.corrupt-<UTC time>``, never overwriting.

    The companions keep their suffixes, so SQLite tools opening the moved file still find
    its WAL and whatever it held.
    """
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        target = path.with_name(f"{path.name}.corrupt-{stamp}{suffix}")
        if not any(p.exists() or p.is_symlink() for p in (target, *companions(target))):
            break
        number += 1
    path.rename(target)
    for old, new in zip(companions(path), companions(target), strict=True):
        if old.exists():
            old.rename(new)
    return target


def _failed(kind: OpeningKind, notice: str) -> StoreOpening:
    log.warning("%s", notice)
    return StoreOpening(None, kind, notice)


def denied_writing(path: Path, error: Exception) -> bool:
    """Whether ``error``, raised while opening ``path``, only means we may not write there:
    SQLite or the OS said "not allowed", or the file or its folder is not writable for us."""
    return _denied(error) or not _writable(path)


def _cannot_open(path: Path, error: Exception, told: str | None = None) -> StoreOpening:
    """Read-only when ``denied_writing``; anything else is reported with its own words."""
    if denied_writing(path, error):
        notice = f"{path} is read-only; {_NOT_SAVING} it can be written again (check the "
        notice += "permissions of the file and its folder, then restart stretchbreak)."
        kind = OpeningKind.READ_ONLY
    else:
        notice = f"{path} could not be opened ({error}); {_NOT_SAVING} it can be."
        kind = OpeningKind.UNAVAILABLE
        log.error("opening %s failed", path, exc_info=error)
    return _failed(kind, notice if told is None else f"{told}. {notice}")


def _denied(error: Exception) -> bool:
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY")
    return isinstance(error, OSError) and error.errno in _DENIED


def _writable(path: Path) -> bool:
    """Whether we may write the file (if it exists) and create files next to it.

    ``os.access`` asks the kernel with our real ids, so it also sees read-only mounts and
    immutable files, which the mode bits alone do not show.
    """
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)
