"""The data folder's lock: held by exactly one app per data folder for its whole life.

The socket only carries commands; it cannot decide who runs: a hung or stopped app, a socket
removed by a temporary-file cleaner or a file where it was would each let a second app start
on the same data. So the app holds an advisory ``flock`` on ``<data>/stretchbreak.lock``
from before it listens until its process ends (the kernel lets go of it even after SIGKILL),
and a launch that cannot take it never becomes a second writer. The file holds the holder's
process id, for the message a launch prints when the holder does not answer. A data folder
that cannot hold a lock (read-only, a network file system without locks) gets it in the
user's private runtime folder instead, beside the socket: still one per data folder.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from stretchbreak.infra.instance_protocol import InstanceError
from stretchbreak.infra.paths import LOCK_NAME  # the name is kept with AppPaths'

# Each system has one of the two: a lock taken by flock on Unix, by msvcrt on Windows.
if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

log = logging.getLogger(__name__)


class DataFolderLock:
    """One data folder's lock, taken without waiting; kept until ``release`` or the end."""

    def __init__(self, data_dir: Path, spare: Path | None = None) -> None:
        self.path = data_dir / LOCK_NAME
        #: Where the lock goes when the data folder cannot hold one (read-only, or a network
        #: file system without locks): a file in the user's private runtime folder.
        self.spare = spare
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """True once this process holds the lock; False while another process does.

        InstanceError when the lock file cannot be opened at all (the message says why).
        """
        if self._fd is not None:
            return True
        try:
            return self._acquire()
        except _CannotLockHere as error:
            if self.spare is None or self.path == self.spare:
                raise InstanceError(str(error)) from None
            log.info("%s; using %s instead", error, self.spare)
            self.path = self.spare
            try:
                return self._acquire()
            except _CannotLockHere as again:
                raise InstanceError(str(again)) from None

    def _acquire(self) -> bool:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError as error:
            raise _CannotLockHere(
                f"cannot open the lock file {self.path}: {error.strerror or error}"
            ) from None
        try:
            locked = _try_lock(fd)
        except OSError as error:  # e.g. a file system without locks: never run twice
            os.close(fd)
            raise _CannotLockHere(f"cannot lock {self.path}: {error.strerror or error}") from None
        if not locked:
            os.close(fd)
            return False
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the lock is what matters; the process id only makes a message nicer
        self._fd = fd
        return True

    def held_elsewhere(self) -> bool:
        """Whether another process holds the lock; looks without creating or writing anything.

        Both places are looked at; the one found held becomes ``path`` (for ``holder``).
        """
        for path in (self.path, self.spare):
            if path is not None and _held(path):
                self.path = path
                return True
        return False

    def holder(self) -> int | None:
        """The process id the holder wrote, when it can be read."""
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor lets go of the lock
            self._fd = None


class _CannotLockHere(Exception):
    """The lock file cannot be opened or locked where it was asked for."""


def _held(path: Path) -> bool:
    if sys.platform == "win32":
        return False  # a byte-range lock cannot be tested without taking it
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return False  # no lock file: no app ever ran here, or it cannot be ours
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # also lets go of the shared lock, if it was taken
    return False


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
