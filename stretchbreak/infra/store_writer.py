"""One transaction per write, and a queue in memory for the writes the disk refused.

"Nothing completed is ever lost": when SQLite cannot write (disk full, file made read-only,
locked too long), the write waits here, in order, and the caller hears about it at once.
Every later write first retries what waits, so order on disk is order of events.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Runs the statements of one write inside the transaction the writer opened.
Apply = Callable[[sqlite3.Connection], object]


class StoreWriteError(RuntimeError):
    """A write did not reach the disk; the message says what, where and why."""


@dataclass(frozen=True)
class PendingWrite:
    what: str
    apply: Apply
    value: object


def retryable(error: sqlite3.Error) -> bool:
    """Disk full, read-only, locked, I/O errors may pass; a value the schema rejects never will.

    A plain ``DatabaseError`` is damage found while running; keeping the write in memory
    at least lets the user see it and export it.
    """
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


class Writer:
    """Commits on one connection; owns the queue of writes still waiting for the disk."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self._path = path
        self._pending: deque[PendingWrite] = deque()
        self._last_error: sqlite3.Error | None = None
        self.closed = False

    @property
    def pending(self) -> tuple[PendingWrite, ...]:
        return tuple(self._pending)

    def write(self, what: str, apply: Apply, value: object) -> None:
        """Commit now, or keep in memory (behind anything already waiting) and raise."""
        write = PendingWrite(what, apply, value)
        if self._pending and not self.retry_pending():
            self._pending.append(write)
            raise self._kept(write)
        try:
            self.commit(apply)
        except sqlite3.Error as error:
            if not retryable(error):
                log.error("%s rejected by the database: %s: %r", what, error, value)
                raise StoreWriteError(f"{what} was rejected by {self._path}: {error}") from error
            self._last_error = error
            self._pending.append(write)
            raise self._kept(write) from error

    def user_write(self, what: str, apply: Apply) -> None:
        """A change the user asked for (delete, undo, import): all of it now, or none of it.

        It is not queued: the user is told and can try again, while older writes waiting in
        memory go first so the change applies to the history as the user sees it.
        """
        if self._pending and not self.retry_pending():
            raise StoreWriteError(
                f"{what} was not done: {len(self._pending)} earlier changes still cannot be "
                f"written to {self._path} ({self._last_error})"
            )
        try:
            self.commit(apply)
        except sqlite3.Error as error:
            raise StoreWriteError(f"{what} failed, nothing was changed: {error}") from error

    def retry_pending(self, patience_ms: int | None = None) -> bool:
        """Write what waits, in order; True when nothing is left waiting.

        A write the database rejects for its content (it never could succeed) is logged with
        its full value and dropped, so it cannot block the sets behind it. ``patience_ms``
        replaces the connection's wait for another process's lock for this attempt only.
        """
        if patience_ms is None or not self._pending:
            return self._retry()
        usual = self._connection.execute("PRAGMA busy_timeout").fetchone()[0]
        self._connection.execute(f"PRAGMA busy_timeout = {int(patience_ms)}")
        try:
            return self._retry()
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {int(usual)}")

    def _retry(self) -> bool:
        while self._pending:
            write = self._pending[0]
            try:
                self.commit(write.apply)
            except sqlite3.Error as error:
                if retryable(error):
                    self._last_error = error
                    return False
                log.error("dropping %s, the database rejects it: %s: %r", write.what, error, write)
            except Exception as error:
                log.error("dropping %s: %s: %r", write.what, error, write.value)
            self._pending.popleft()
        return True

    def commit(self, apply: Apply) -> None:
        """Run ``apply`` in one ``BEGIN IMMEDIATE`` … ``COMMIT``; roll back on any error."""
        if self.closed:
            raise StoreWriteError(f"{self._path} is closed")
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            apply(self._connection)
            self._connection.execute("COMMIT")
        except BaseException:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Last attempt for what waits; what still cannot be written goes to the log file."""
        if not self.retry_pending():
            for write in self._pending:
                log.error("not saved to %s, %s: %r", self._path, write.what, write.value)
        self.closed = True

    def _kept(self, write: PendingWrite) -> StoreWriteError:
        others = len(self._pending) - 1
        return StoreWriteError(
            f"{write.what} could not be written to {self._path} ({self._last_error}); it is "
            f"kept in memory with {others} other unsaved change{'s' * (others != 1)} and "
            "will be written with the next save"
        )
