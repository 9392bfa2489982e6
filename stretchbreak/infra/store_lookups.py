"""The session log's lookups: what the session engine, the history and the command line ask.

``StoreLookups`` is ``Store``'s reading half (``store.py`` adds the writes, the edits and the
unsaved writes). Every read shows what is on disk, in one consistent snapshot of the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    PromptRecord,
    SessionDigest,
    SessionRecord,
)
from stretchbreak.infra import store_rows as rows
from stretchbreak.infra import store_sql as queries

if TYPE_CHECKING:  # types only: ``history --format csv`` loads neither module
    from stretchbreak.core.session_log import LastSession
    from stretchbreak.core.stats import Outline

#: SQLite's limit on ``?`` per statement is 32766 in current versions but 999 in old ones.
CHUNK = 500


class StoreLookups:
    """The reads of the session log, on one connection used on one thread.

    ``tz`` is the zone whose calendar days ``sessions()`` and ``prompts()`` filter by; None
    follows the system's local time.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, tz: tzinfo | None) -> None:
        self._connection = connection
        self._path = path
        self._tz = tz

    @property
    def path(self) -> Path:
        return self._path

    # ------------------------------------------------------------------ SessionLog
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
        found = self._connection.execute(queries.DIGESTS.format(where=where), params)
        return rows.digests_from_rows(found)

    def session_outline(self, since: date | None = None, until: date | None = None) -> Outline:
        """The sessions of ``sessions(since, until)`` reduced to what figures over all of them
        need (``core.stats.Outline``): a third of the cost of their digests."""
        where, params = self._days("s.started_at", since, until)
        found = self._connection.execute(queries.OUTLINE.format(where=where), params)
        return rows.outline_from_rows(found)

    def session_digests_by_id(self, ids: Iterable[str]) -> list[SessionDigest]:
        """The digests of the sessions with these ids (unknown ones are left out), each once,
        in no particular order; in chunks, so any number of ids fits SQLite's limit."""
        chosen = list(dict.fromkeys(ids))
        found: list[SessionDigest] = []
        with self._snapshot():
            for start in range(0, len(chosen), CHUNK):
                chunk = chosen[start : start + CHUNK]
                sql = queries.DIGESTS_BY_ID.format(ids=", ".join("?" * len(chunk)))
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
            for start in range(0, len(chosen), CHUNK):
                chunk = chosen[start : start + CHUNK]
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
            found = connection.execute(queries.CSV_SESSIONS.format(where=where), params)
            sessions = {row[0]: row[1:] for row in found}
            yield sessions, connection.execute(queries.CSV_SETS.format(where=where), params)

    def prompts(self, since: date | None = None, until: date | None = None) -> list[PromptRecord]:
        """Prompts due on local days ``since`` to ``until`` (both included), oldest first."""
        where, params = self._days("due_at", since, until)
        sql = f"SELECT {queries.PROMPT_COLUMNS} FROM prompts WHERE {where} ORDER BY due_at, id"
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

    # ------------------------------------------------------------------ internals
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
        select = f"SELECT {queries.SESSION_COLUMNS} FROM sessions WHERE {where}"
        sets = f"SELECT {queries.SET_COLUMNS} FROM sets"
        if where != "1":
            sets += f" WHERE session_id IN (SELECT id FROM sessions WHERE {where})"
        with self._snapshot():
            found = self._connection.execute(select + " ORDER BY started_at, rowid", params)
            session_rows = found.fetchall()
            set_rows = self._connection.execute(sets + " ORDER BY session_id, set_index", params)
            return rows.records_from_rows(session_rows, set_rows)
