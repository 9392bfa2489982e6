"""The durable session log: SQLite keeps every set from the moment it finishes.

``Store`` implements the core's ``SessionLog`` protocol, so the session engine cannot tell it
from the in-memory log, and adds what the history window needs (ranges, delete with undo,
import). A write that fails is kept in memory and retried before the next one
(``store_writer``), so a full disk costs the user an error message, never a set.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from importlib.resources.abc import Traversable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    PromptRecord,
    SessionRecord,
)
from stretchbreak.infra import store_rows as rows
from stretchbreak.infra import store_sql as queries
from stretchbreak.infra.store_lookups import CHUNK, StoreLookups
from stretchbreak.infra.store_migrations import load_migrations
from stretchbreak.infra.store_schema import connect
from stretchbreak.infra.store_writer import StoreWriteError, Writer

if TYPE_CHECKING:  # types only: ``history --format csv`` loads neither module
    from stretchbreak.core.session_values import SessionStarted, SessionSummary
    from stretchbreak.infra.store_import import Cancelled, FileImportResult, Progress

__all__ = ["ImportResult", "Store", "StoreWriteError"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int


class Store(StoreLookups):
    """The session log in ``stretchbreak.sqlite3``; one connection, used on one thread.

    The reads are ``StoreLookups``'s; ``tz`` is the zone whose calendar days they filter by
    (None: the system's local time). Reads show what is on disk: a write waiting in memory
    (see ``pending``) appears once it has been written.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        tz: tzinfo | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(connection, path, tz)
        #: Opened for reading only (``store_read``): closing it writes nothing either.
        self.read_only = read_only
        self._writer = Writer(connection, path)
        #: The copy made before a migration at open, if one ran.
        self.backup: Path | None = None

    @classmethod
    def open(
        cls, path: Path, *, tz: tzinfo | None = None, migrations: Traversable | None = None
    ) -> Self:
        """Open (creating or migrating) ``path``; ``migrations`` replaces the bundled folder.

        Raises ``DatabaseTooNew``, ``DatabaseCorrupt``, ``MigrationError``, ``sqlite3.Error``
        or ``OSError``; ``open_store`` turns each into a notice for the user.
        """
        connection, backup = connect(path, load_migrations(migrations))
        store = cls(connection, path, tz=tz)
        store.backup = backup
        return store

    # ------------------------------------------------------------------ SessionLog
    def record_session_started(self, started: SessionStarted) -> None:
        params = rows.started_params(started)
        what = f"the start of session {started.session_id}"
        self._writer.write(what, lambda c: c.execute(queries.UPSERT_STARTED, params), started)

    def record_set(self, record: CompletedSet) -> None:
        """Commit one set now, in its own transaction, creating its session row if missing."""
        head = rows.session_from_set_params(record)
        params = rows.set_params(record)

        def apply(c: sqlite3.Connection) -> None:
            c.execute(queries.UPSERT_SESSION_FROM_SET, head)
            c.execute(queries.UPSERT_SET, params)

        what = f"set {record.set_index} of session {record.session_id}"
        self._writer.write(what, apply, record)

    def record_session_ended(self, summary: SessionSummary) -> None:
        """Close the session row; any set of the summary not yet stored is added, none changed."""
        params = rows.ended_params(summary)
        sets = [rows.set_params(s) for s in summary.sets]

        def apply(c: sqlite3.Connection) -> None:
            c.execute(queries.UPSERT_ENDED, params)
            c.executemany(queries.INSERT_SET_IF_NEW, sets)

        self._writer.write(f"the end of session {summary.session_id}", apply, summary)

    def record_feeling(self, session_id: str, feeling: Feeling) -> None:
        """Raises ``KeyError`` for an unknown session, as the in-memory log does."""

        def apply(c: sqlite3.Connection) -> None:
            update = "UPDATE sessions SET feeling = ? WHERE id = ?"
            if c.execute(update, (feeling.value, session_id)).rowcount == 0:
                raise KeyError(session_id)

        what = f"the feeling of session {session_id}"
        self._writer.write(what, apply, (session_id, feeling))

    # ------------------------------------------------------------------ history
    def record_prompt(self, prompt: PromptRecord) -> None:
        params = rows.prompt_params(prompt)
        what = f"the prompt due at {params[0]}"
        self._writer.write(what, lambda c: c.execute(queries.INSERT_PROMPT, params), prompt)

    def delete_sessions(self, ids: Iterable[str]) -> list[SessionRecord]:
        """Delete sessions with their sets; returns them as they were, for an undo."""
        chosen = list(dict.fromkeys(ids))
        deleted: list[SessionRecord] = []

        def apply(c: sqlite3.Connection) -> None:
            for start in range(0, len(chosen), CHUNK):
                chunk = chosen[start : start + CHUNK]
                marks = ", ".join("?" * len(chunk))
                deleted.extend(self._records(f"id IN ({marks})", chunk))
                c.execute(f"DELETE FROM sessions WHERE id IN ({marks})", chunk)

        self._writer.user_write(f"deleting {len(chosen)} sessions", apply)
        return sorted(deleted, key=lambda r: r.started_at)

    def restore_sessions(self, records: Iterable[SessionRecord]) -> None:
        """Put sessions back exactly (same ids, times and sets), replacing any with their id."""
        chosen = list(records)

        def apply(c: sqlite3.Connection) -> None:
            for record in chosen:
                c.execute("DELETE FROM sessions WHERE id = ?", (record.session_id,))
                self._insert(c, record)

        self._writer.user_write(f"restoring {len(chosen)} sessions", apply)

    def import_sessions(self, records: Iterable[SessionRecord]) -> ImportResult:
        """Add the sessions whose id is new; all or nothing, in one transaction."""
        chosen = list(records)
        added: set[str] = set()

        def apply(c: sqlite3.Connection) -> None:
            added.clear()
            for record in chosen:
                known = c.execute("SELECT 1 FROM sessions WHERE id = ?", (record.session_id,))
                if record.session_id not in added and known.fetchone() is None:
                    self._insert(c, record)
                    added.add(record.session_id)

        self._writer.user_write(f"importing {len(chosen)} sessions", apply)
        return ImportResult(added=len(added), skipped=len(chosen) - len(added))

    def import_csv_file(
        self, csv_path: Path, tz: tzinfo, progress: Progress, cancelled: Cancelled
    ) -> FileImportResult:
        """Stream a CSV file of any size in, all or nothing, on a connection of its own (so
        from any thread): ``store_import``."""
        from stretchbreak.infra.store_import import import_csv_file

        return import_csv_file(self._path, csv_path, tz, progress, cancelled)

    # ------------------------------------------------------------------ unsaved writes
    @property
    def pending_count(self) -> int:
        """Writes that failed and wait in memory for the next attempt."""
        return len(self._writer.pending)

    @property
    def pending(self) -> tuple[str, ...]:
        """What each waiting write is, oldest first, for messages and the log."""
        return tuple(w.what for w in self._writer.pending)

    def retry_pending(self, patience_ms: int | None = None) -> bool:
        """Write what waits, in order; True when nothing is left waiting. ``patience_ms``
        replaces the usual wait for another process's lock (a retry on a timer waits less)."""
        if self._writer.closed:
            raise StoreWriteError(f"{self._path} is closed")
        return self._writer.retry_pending(patience_ms)

    def close(self) -> None:
        """Write what waits if possible (what still cannot be is logged), then disconnect."""
        if self._writer.closed:
            return
        self._writer.close()
        try:
            if not self.read_only:
                self._connection.execute("PRAGMA optimize")
        except sqlite3.Error as error:  # pragma: no cover - best effort, never worth a crash
            log.warning("%s: PRAGMA optimize failed: %s", self._path, error)
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _insert(self, c: sqlite3.Connection, record: SessionRecord) -> None:
        c.execute(queries.INSERT_SESSION, rows.session_params(record))
        c.executemany(queries.INSERT_SET, [rows.set_params(s) for s in record.sets])
