"""Opening the history database so that the app always starts and no old file is ever lost.

Every way the file can be unusable ends in a ``StoreOpening``: a Store when there is one,
and a sentence for the user when something needs their attention. A damaged file is moved
aside (never deleted or overwritten) and a fresh history started; a file that is read-only,
locked by another program, another user's or out of reach for now is left alone, and the
app keeps its sets in memory and tries again (``services.log_keeper``).
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
from stretchbreak.infra.store_schema import (
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnusable,
    companions,
    journal,
)

log = logging.getLogger(__name__)

_KEPT = "your sets are kept in memory and saved as soon as it can be (stretchbreak keeps trying)"
_DENIED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class OpeningKind(StrEnum):
    OPENED = "opened"
    #: The old file was damaged, moved aside, and a new empty history started.
    RECOVERED = "recovered"
    READ_ONLY = "read-only"
    #: The file belongs to another user, and their permissions keep us out.
    NOT_YOURS = "not-yours"
    TOO_NEW = "too-new"
    #: Anything else (locked, a link to nowhere, an I/O error): no Store, the notice says why.
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class StoreOpening:
    """What ``open_store`` found; without a ``store`` the app keeps sets in memory only."""

    store: Store | None
    kind: OpeningKind
    notice: str | None = None
    #: Where a damaged file went.
    moved_to: Path | None = None
    #: Whether trying again later can succeed without a new stretchbreak (False for a newer
    #: database, and for a failed migration, which would only make another backup copy).
    retry: bool = False


def open_store(
    path: Path,
    now: Callable[[], datetime],
    *,
    tz: tzinfo | None = None,
    migrations: Traversable | None = None,
) -> StoreOpening:
    """Open ``path`` or explain why not; never raises for anything the file system does.

    ``now`` stamps the name a damaged file is moved to; ``tz`` and ``migrations`` go to
    ``Store.open``. A failure is not logged here: the caller tries again and logs each new
    reason once.
    """
    try:
        if path.exists() and not path.is_file():
            what = "a folder is in its place" if path.is_dir() else "it is not a regular file"
            raise DatabaseCorrupt(path, what)
        if refused := not_yours(path, os.R_OK | os.W_OK):
            notice = f"{path} is not yours: {refused}; {_KEPT}."
            return StoreOpening(None, OpeningKind.NOT_YOURS, notice, retry=True)
        return StoreOpening(Store.open(path, tz=tz, migrations=migrations), OpeningKind.OPENED)
    except DatabaseCorrupt as error:
        damage = error.reason
    except DatabaseTooNew as error:
        return StoreOpening(
            None,
            OpeningKind.TOO_NEW,
            f"{path} was saved by a newer stretchbreak (database version {error.version}; "
            f"this version knows up to {error.known}). It was left untouched; your sets are "
            "kept in memory only until you update stretchbreak.",
        )
    except MigrationError as error:
        notice = f"{error}. Your sets are kept in memory only until this is fixed."
        return StoreOpening(None, OpeningKind.UNAVAILABLE, notice)
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
        return StoreOpening(None, failed.kind, failed.notice, moved, failed.retry)
    notice = f"{told}, and a new, empty history was started."
    log.warning("%s", notice)
    return StoreOpening(store, OpeningKind.RECOVERED, notice, moved)


def not_yours(path: Path, needed: int) -> str | None:
    """Why a file of another user's is out of our reach for ``needed`` (``os.R_OK`` and/or
    ``os.W_OK``), or None: ours, or shared with us as far as needed."""
    try:
        owner = path.stat().st_uid
    except OSError:
        return None
    if owner == os.geteuid() or os.access(path, needed):
        return None
    what = "read or write" if not os.access(path, os.R_OK) else "write"
    return f"it belongs to {_user_name(owner)}, and you may not {what} it"


def _user_name(uid: int) -> str:
    try:
        import pwd  # not on Windows

        return f"the user {pwd.getpwuid(uid).pw_name}"
    except (ImportError, KeyError):
        return f"the user with id {uid}"


def move_aside(path: Path, when: datetime) -> Path:
    """Rename ``path`` (and its -wal/-shm/-journal) to ``<name>.corrupt-<UTC time>``, never
    overwriting.

    The companions keep their suffixes, so SQLite tools opening the moved file still find
    its WAL and whatever it held.
    """
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        target = path.with_name(f"{path.name}.corrupt-{stamp}{suffix}")
        taken = (target, *companions(target), journal(target))
        if not any(p.exists() or p.is_symlink() for p in taken):
            break
        number += 1
    path.rename(target)
    pairs = (
        *zip(companions(path), companions(target), strict=True),
        (journal(path), journal(target)),
    )
    for old, new in pairs:
        if old.exists():  # a journal left beside a new file would be "rolled back" into it
            old.rename(new)
    return target


def denied_writing(path: Path, error: Exception) -> bool:
    """Whether ``error``, raised while opening ``path``, only means we may not write there:
    SQLite or the OS said "not allowed", or the file or its folder is not writable for us."""
    return _denied(error) or not _writable(path)


def _cannot_open(path: Path, error: Exception, told: str | None = None) -> StoreOpening:
    """Read-only when ``denied_writing``; anything else is reported with its own words."""
    kind = OpeningKind.UNAVAILABLE
    if isinstance(error, DatabaseUnusable):
        notice = f"{path} cannot be opened: {error.reason}; {_KEPT}."
    elif _locked(error):
        notice = f"{path} is in use by another program ({error}); {_KEPT}."
    elif path.exists() and not os.access(path, os.R_OK):
        notice = f"{path} is unreadable for you ({error}); {_KEPT}."
    elif denied_writing(path, error):
        notice = f"{path} is read-only (check the permissions of the file and its folder); "
        notice += f"{_KEPT}."
        kind = OpeningKind.READ_ONLY
    else:
        notice = f"{path} could not be opened ({error}); {_KEPT}."
        log.debug("opening %s failed", path, exc_info=error)
    return StoreOpening(None, kind, notice if told is None else f"{told}. {notice}", retry=True)


def _locked(error: Exception) -> bool:
    return getattr(error, "sqlite_errorname", "").startswith("SQLITE_BUSY")


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
