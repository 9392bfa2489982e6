"""The durable session log: SQLite keeps every set from the moment it finishes.

``Store`` implements the core's ``SessionLog`` protocol, so the session engine cannot tell it
from the in-memory log, and adds what the history window needs (ranges, delete with undo,
import). A write that fails is kept in memory and retried before the next one
(``store_writer``), so a full disk costs the user an error message, never a set.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, tzinfo
from importlib.resources.abc import Traversable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    PromptRecord,
    SessionDigest,
    SessionRecord,
)
from stretchbreak.infra import store_rows as rows
from stretchbreak.infra.store_migrations import load_migrations
from stretchbreak.infra.store_schema import connect
from stretchbreak.infra.store_writer import StoreWriteError, Writer

if TYPE_CHECKING:  # types only: ``history --format csv`` loads neither module
    from stretchbreak.core.session_log import LastSession
    from stretchbreak.core.session_values import SessionStarted, SessionSummary
    from stretchbreak.core.stats import Outline
    from stretchbreak.infra.store_import import Cancelled, FileImportResult, Progress

__all__ = ["ImportResult", "Store", "StoreWriteError"]

log = logging.getLogger(__name__)

#: SQLite's limit on ``?`` per statement is 32766 in current versions but 999 in old ones.
_CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int


class Store:
    """The session log in ``stretchbreak.sqlite3``; one connection, used on one thread.

    ``tz`` is the zone whose calendar days ``sessions()`` and ``prompts()`` filter by; None
    follows the system's local time. Reads show what is on disk: a write waiting in memory
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
        self._connection = connection
        self._path = path
        self._tz = tz
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

    @property
    def path(self) -> Path:
        return self._path

    # ------------------------------------------------------------------ SessionLog
    def record_session_started(self, started: SessionStarted) -> None:
        params = rows.started_params(started)
        what = f"the start of session {started.session_id}"
        self._writer.write(what, lambda c: c.execute(rows.UPSERT_STARTED, params), started)

    def record_set(self, record: CompletedSet) -> None:
        """Commit one set now, in its own transaction, creating its session row if missing."""
        head = rows.session_from_set_params(record)
        params = rows.set_params(record)

        def apply(c: sqlite3.Connection) -> None:
            c.execute(rows.UPSERT_SESSION_FROM_SET, head)
            c.execute(rows.UPSERT_SET, params)

        what = f"set {record.set_index} of session {record.session_id}"
        self._writer.write(what, apply, record)

    def record_session_ended(self, summary: SessionSummary) -> None:
        """Close the session row; any set of the summary not yet stored is added, none changed."""
        params = rows.ended_params(summary)
        sets = [rows.set_params(s) for s in summary.sets]

        def apply(c: sqlite3.Connection) -> None:
            c.execute(rows.UPSERT_ENDED, params)
            c.executemany(rows.INSERT_SET_IF_NEW, sets)

        self._writer.write(f"the end of session {summary.session_id}", apply, summary)

    def record_feeling(self, session_id: str, feeling: Feeling) -> None:
        """Raises ``KeyError`` for an unknown session, as the in-memory log does."""

        def apply(c: sqlite3.Connection) -> None:
            update = "UPDATE sessions SET feeling = ? WHERE id = ?"
            if c.execute(update, (feeling.value, session_id)).rowcount == 0:
                raise KeyError(session_id)

        what = f"the feeling of session {session_id}"
        self._writer.write(what, apply, (session_id, feeling))

    def last_session(
        self, exercise: str, goal: str | None = None, *, with_sets: bool = False
    ) -> LastSession | None:
        """Ties on ``started_at`` go to the session recorded last, as in the in-memory log."""
        # Here, not at the top: the command line's export should not load the session's types.
        from stretchbreak.core.session_log import LastSession
        from stretchbreak.core.session_values import TempoMode
        from stretchbreak.core.target import Target

        sql = "SELECT id, goal, target_sets, target_reps, target_hold_s, tempo, feeling, started_at"
        sql += " FROM sessions WHERE exercise = ?"
        params: list[object] = [exercise]
        if goal is not None:
            sql += " AND goal = ?"
            params.append(goal)
        if with_sets:
            sql += " AND EXISTS (SELECT 1 FROM sets WHERE sets.session_id = sessions.id)"
        row = self._connection.execute(
            sql + " ORDER BY started_at DESC, rowid DESC LIMIT 1", params
        ).fetchone()
        if row is None:
            return None
        return LastSession(
            session_id=row[0],
            goal=row[1],
            target=Target(row[2], row[3], row[4]),
            tempo=TempoMode(row[5]),
            feeling=None if row[6] is None else Feeling(row[6]),
            started_at=rows.from_text(row[7]),
        )

    def session_sets(self, session_id: str) -> list[CompletedSet]:
        found = self._records("id = ?", [session_id])
        return list(found[0].sets) if found else []

    # ------------------------------------------------------------------ history
    def record_prompt(self, prompt: PromptRecord) -> None:
        params = rows.prompt_params(prompt)
        what = f"the prompt due at {params[0]}"
        self._writer.write(what, lambda c: c.execute(rows.INSERT_PROMPT, params), prompt)

    def sessions(self, since: date | None = None, until: date | None = None) -> list[SessionRecord]:
        """Sessions started on local days ``since`` to ``until`` (both included), oldest first.

        Each comes with all its sets in set order, partial ones included and flagged.
        """
        where, params = self._days("started_at", since, until)
        return self._records(where, params)

    def session_digests(
        self, since: date | None = None, until: date | None = None
    ) -> list[SessionDigest]:
        """The sessions of ``sessions(since, until)`` with their sets added up, not listed.

        The sums are kept on each session row (migration 0002), so this reads one row per
        session and not one set (``store_rows.DIGESTS``): about ten times quicker than
        ``sessions()`` for a long history, which is what lets the history window open
        without a pause.
        """
        where, params = self._days("s.started_at", since, until)
        found = self._connection.execute(rows.DIGESTS.format(where=where), params)
        return rows.digests_from_rows(found)

    def session_outline(self, since: date | None = None, until: date | None = None) -> Outline:
        """The sessions of ``sessions(since, until)`` reduced to what figures over all of them
        need (``core.stats.Outline``): a third of the cost of their digests."""
        where, params = self._days("s.started_at", since, until)
        found = self._connection.execute(rows.OUTLINE.format(where=where), params)
        return rows.outline_from_rows(found)

    def session_digests_by_id(self, ids: Iterable[str]) -> list[SessionDigest]:
        """The digests of the sessions with these ids (unknown ones are left out), each once,
        in no particular order; in chunks, so any number of ids fits SQLite's limit."""
        chosen = list(dict.fromkeys(ids))
        found: list[SessionDigest] = []
        with self._snapshot():
            for start in range(0, len(chosen), _CHUNK):
                chunk = chosen[start : start + _CHUNK]
                sql = rows.DIGESTS_BY_ID.format(ids=", ".join("?" * len(chunk)))
                found.extend(rows.digests_from_rows(self._connection.execute(sql, chunk)))
        return found

    def reading(self) -> AbstractContextManager[None]:
        """Reads inside the ``with`` block see one state of the log, however many they are."""
        return self._snapshot()

    def sessions_by_id(self, ids: Iterable[str]) -> list[SessionRecord]:
        """The sessions with these ids (unknown ones are left out), each once, oldest first.

        In chunks of ids, so any number of them fits SQLite's limit on parameters; all the
        chunks are read in one snapshot, so a concurrent writer cannot tear the result.
        """
        chosen = list(dict.fromkeys(ids))
        found: list[SessionRecord] = []
        with self._snapshot():
            for start in range(0, len(chosen), _CHUNK):
                chunk = chosen[start : start + _CHUNK]
                found.extend(self._records(f"id IN ({', '.join('?' * len(chunk))})", chunk))
        return sorted(found, key=lambda r: r.started_at)

    @contextmanager
    def csv_rows(
        self, since: date | None = None, until: date | None = None
    ) -> Iterator[tuple[dict[int, tuple[str, ...]], Iterator[tuple[Any, ...]]]]:
        """The sessions and sets of ``sessions(since, until)`` for ``csv_text_by_session``.

        Straight from SQL, without a record per session or a value per set, and with each
        session's cells read once rather than once per set: the command line streams these
        into the very same bytes ``sets_to_csv`` writes (a test holds the two paths to that)
        in a fraction of the time. Inside the ``with`` block both see one state of the file.
        """
        where, params = self._days("s.started_at", since, until)
        connection = self._connection
        with self._snapshot():
            found = connection.execute(rows.CSV_SESSIONS.format(where=where), params)
            sessions = {row[0]: row[1:] for row in found}
            yield sessions, connection.execute(rows.CSV_SETS.format(where=where), params)

    def prompts(self, since: date | None = None, until: date | None = None) -> list[PromptRecord]:
        """Prompts due on local days ``since`` to ``until`` (both included), oldest first."""
        where, params = self._days("due_at", since, until)
        sql = f"SELECT {rows.PROMPT_COLUMNS} FROM prompts WHERE {where} ORDER BY due_at, id"
        return [rows.prompt_from_row(r) for r in self._connection.execute(sql, params)]

    def revision(self) -> tuple[int, int, bool]:
        """A value that differs whenever what the log reads back may have changed.

        SQLite's ``data_version`` moves with every commit of any *other* connection (another
        process included) and ``total_changes`` with every row this connection changed
        (rolled-back ones too, which only costs a needless re-read). Inside a transaction of
        this connection reads see its uncommitted rows, so that is part of the value too.
        Together they let the history reuse what it computed from an unchanged log.
        """
        connection = self._connection
        version = int(connection.execute("PRAGMA data_version").fetchone()[0])
        return version, connection.total_changes, connection.in_transaction

    def count_sets(self) -> int:
        """Every stored set, partial ones included."""
        return int(self._connection.execute("SELECT count(*) FROM sets").fetchone()[0])

    def delete_sessions(self, ids: Iterable[str]) -> list[SessionRecord]:
        """Delete sessions with their sets; returns them as they were, for an undo."""
        chosen = list(dict.fromkeys(ids))
        deleted: list[SessionRecord] = []

        def apply(c: sqlite3.Connection) -> None:
            for start in range(0, len(chosen), _CHUNK):
                chunk = chosen[start : start + _CHUNK]
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
        c.execute(rows.INSERT_SESSION, rows.session_params(record))
        c.executemany(rows.INSERT_SET, [rows.set_params(s) for s in record.sets])

    def _days(self, column: str, since: date | None, until: date | None) -> tuple[str, list[str]]:
        return rows.days_clause(column, since, until, self._tz)

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the file; inside a transaction, that one's."""
        if self._connection.in_transaction:
            yield
            return
        self._connection.execute("BEGIN")
        try:
            yield
        finally:
            self._connection.execute("COMMIT")

    def _records(self, where: str, params: Iterable[object]) -> list[SessionRecord]:
        """Sessions matching ``where`` with their sets, read in one consistent snapshot."""
        params = list(params)
        select = f"SELECT {rows.SESSION_COLUMNS} FROM sessions WHERE {where}"
        sets = f"SELECT {rows.SET_COLUMNS} FROM sets"
        if where != "1":
            sets += f" WHERE session_id IN (SELECT id FROM sessions WHERE {where})"
        with self._snapshot():
            found = self._connection.execute(select + " ORDER BY started_at, rowid", params)
            session_rows = found.fetchall()
            set_rows = self._connection.execute(sets + " ORDER BY session_id, set_index", params)
            return rows.records_from_rows(session_rows, set_rows)
