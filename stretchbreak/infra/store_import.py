"""Importing a CSV file of any size into the log: streamed, checked, then added all at once.

A million rows (110 MB) read into memory took 2.2 GiB and a minute on the GUI thread. Here
the rows stream from the file in batches, each checked by ``core.csv_import.read_rows`` and
put in a temporary table of this connection; what needs more than one row (a set given
twice, rows of one session that disagree) is checked against that table, so memory stays
the same whatever the size. Sets are staged as the log keeps them; each session's row is
made by the core's rule (``session_head``) from its sets added up in SQL. Only when the
whole file passed are the new sessions added to the log, in one transaction of two
statements: a problem or a cancel leaves the log exactly as it was.

It opens a connection of its own, so it may run on a worker thread while the app's store
goes on with its own; the log's write lock is held only for the final transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from stretchbreak.core.csv_import import (
    PER_SESSION,
    ImportCancelled,
    ImportedRow,
    ImportProblem,
    SessionTotals,
    differs,
    duplicate_set,
    per_session,
    read_rows,
    session_head,
)
from stretchbreak.infra import store_rows as rows
from stretchbreak.infra import store_sql as queries
from stretchbreak.infra.store_schema import BUSY_TIMEOUT_MS

#: Rows checked and staged between two looks at progress and cancel.
BATCH = 2000
#: Told how far the import is: (bytes read, bytes in the file).
Progress = Callable[[int, int], None]
#: Asked between batches whether the user cancelled.
Cancelled = Callable[[], bool]

#: Sets are staged as the log will hold them, with the line they came from.
_STAGING = """
    CREATE TEMP TABLE import_sets (
        line INTEGER PRIMARY KEY, session_id TEXT NOT NULL, set_index INTEGER NOT NULL,
        reps INTEGER NOT NULL, hold_s INTEGER NOT NULL, started_at TEXT NOT NULL,
        completed_at TEXT NOT NULL, active_s REAL NOT NULL, paused_s REAL NOT NULL,
        partial INTEGER NOT NULL, UNIQUE (session_id, set_index));
    CREATE TEMP TABLE import_sessions (
        session_id TEXT PRIMARY KEY, line INTEGER NOT NULL UNIQUE, exercise TEXT NOT NULL,
        goal TEXT NOT NULL, source TEXT NOT NULL, feeling TEXT NOT NULL);
"""
_STAGE_SET = "INSERT INTO import_sets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_STAGE_SESSION = "INSERT INTO import_sessions VALUES (?, ?, ?, ?, ?, ?)"
#: What ``SessionTotals`` holds, added up per session, in the order sessions first appear.
#: Stored times have one width and zone, so the least text is the earliest instant.
_TOTALS = """
    SELECT s.session_id, s.exercise, s.goal, s.source, s.feeling,
        count(*) - sum(t.partial), max(t.reps), max(t.hold_s), min(t.started_at),
        max(t.completed_at), max(t.partial)
    FROM import_sessions AS s JOIN import_sets AS t ON t.session_id = s.session_id
    GROUP BY s.line ORDER BY s.line
"""
#: The session rows as the log will hold them, made before the log is locked.
_READY = f"CREATE TEMP TABLE ready_sessions ({queries.SESSION_COLUMNS})"
_READY_SESSION = f"INSERT INTO ready_sessions VALUES ({', '.join('?' * 12)})"
#: Under the log's write lock: only what is not in the log yet, sets before their sessions.
_ADD_SETS = f"""
    INSERT INTO main.sets ({queries.SET_COLUMNS})
    SELECT {queries.SET_COLUMNS} FROM import_sets
    WHERE session_id NOT IN (SELECT id FROM main.sessions) ORDER BY line
"""
_ADD_SESSIONS = f"""
    INSERT INTO main.sessions ({queries.SESSION_COLUMNS})
    SELECT {queries.SESSION_COLUMNS} FROM ready_sessions
    WHERE id NOT IN (SELECT id FROM main.sessions) ORDER BY rowid
"""
#: SQLite virtual-machine steps between two looks at the cancel flag under the lock.
_STEPS = 100_000


@dataclass(frozen=True)
class FileImportResult:
    added: int
    skipped: int
    #: Whether some time had no UTC offset and was read as local time.
    local_time: bool


def import_csv_file(
    database: Path,
    csv_path: Path,
    tz: tzinfo,
    progress: Progress = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> FileImportResult:
    """Add the file's new sessions to ``database`` (see the module docstring).

    Raises ``ImportProblem`` (naming the line), ``ImportCancelled``, ``OSError`` or
    ``sqlite3.Error``; in every case the log is left as it was.
    """
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(_STAGING)
        with csv_path.open("rb") as file:
            total = csv_path.stat().st_size
            local = _stage(
                connection, _Counted(file), str(csv_path), tz, total, progress, cancelled
            )
        _prepare(connection, cancelled)
        return _add(connection, local, cancelled)
    finally:
        connection.close()


class _Counted:
    """The file's lines, counting the bytes read for the progress bar."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.read = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self._file:
            self.read += len(line)
            yield line


def _stage(
    connection: sqlite3.Connection,
    lines: _Counted,
    source_name: str,
    tz: tzinfo,
    total: int,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> bool:
    """Check and stage every row; True when some time was read as local time."""
    batch: list[ImportedRow] = []
    local = False
    try:
        for row in read_rows(lines, source_name, tz):
            batch.append(row)
            local = local or row.local_time
            if len(batch) == BATCH:
                _stage_batch(connection, batch, source_name)
                batch.clear()
                progress(lines.read, total)
                if cancelled():
                    raise ImportCancelled
    except ImportProblem:
        # Rows before the bad one may hold an earlier problem; that one is named first.
        _stage_batch(connection, batch, source_name)
        raise
    _stage_batch(connection, batch, source_name)
    progress(lines.read, total)
    return local


def _stage_batch(
    connection: sqlite3.Connection, batch: list[ImportedRow], source_name: str
) -> None:
    """Stage a batch, after checking each row against the earlier rows of its session."""
    firsts: dict[str, tuple[int, tuple[str, str, str, str]]] = {}
    ids = list({row.record.session_id for row in batch})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT session_id, line, {', '.join(PER_SESSION)} FROM import_sessions "
        for found in connection.execute(f"{sql} WHERE session_id IN ({marks})", chunk):
            firsts[found[0]] = (found[1], (found[2], found[3], found[4], found[5]))
    new_sessions = []
    for row in batch:
        cells = per_session(row)
        first = firsts.setdefault(row.record.session_id, (row.line, cells))
        if first[0] == row.line:
            new_sessions.append((row.record.session_id, row.line, *cells))
            continue
        for column, value, was in zip(PER_SESSION, cells, first[1], strict=True):
            if value != was:
                # An earlier duplicate set outranks this problem.
                _stage_sets(connection, [r for r in batch if r.line <= row.line], source_name)
                raise differs(source_name, row.line, column, value, was, first[0])
    connection.executemany(_STAGE_SESSION, new_sessions)
    _stage_sets(connection, batch, source_name)


def _stage_sets(connection: sqlite3.Connection, batch: list[ImportedRow], source_name: str) -> None:
    try:
        connection.executemany(_STAGE_SET, (_set_cells(row) for row in batch))
    except sqlite3.IntegrityError:
        for row in batch:
            done = row.record
            earlier = connection.execute(
                "SELECT line FROM import_sets WHERE session_id = ? AND set_index = ? AND line < ?",
                (done.session_id, done.set_index, row.line),
            ).fetchone()
            if earlier is not None:
                raise duplicate_set(source_name, row, earlier[0]) from None
        raise  # pragma: no cover - only a duplicate can break the unique key


def _set_cells(row: ImportedRow) -> tuple[object, ...]:
    done = row.record
    return (
        row.line,
        done.session_id,
        done.set_index,
        done.reps,
        done.hold_seconds,
        rows.to_text(done.started_at),
        rows.to_text(done.completed_at),
        done.active_seconds,
        done.paused_seconds,
        int(done.partial),
    )


def _prepare(connection: sqlite3.Connection, cancelled: Callable[[], bool]) -> None:
    """Each staged session's row, by the core's rules, from its sets added up in SQL.

    All of it before the log is locked: only temporary tables of this connection change.
    """
    connection.execute(_READY)
    heads: list[tuple[object, ...]] = []
    connection.execute("BEGIN")
    try:
        for found in connection.execute(_TOTALS):
            heads.append(rows.session_params(session_head(_totals(found))))
            if len(heads) == BATCH:
                connection.executemany(_READY_SESSION, heads)
                heads.clear()
                if cancelled():
                    raise ImportCancelled
        connection.executemany(_READY_SESSION, heads)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _totals(found: tuple[Any, ...]) -> SessionTotals:
    session_id, exercise, goal, source, feeling, done, reps, hold, first, last, partial = found
    return SessionTotals(
        session_id=session_id,
        exercise=exercise,
        goal=goal,
        source=source,
        feeling=feeling,
        sets_done=done,
        most_reps=reps,
        longest_hold=hold,
        started_at=rows.from_text(first),
        ended_at=rows.from_text(last),
        any_partial=partial == 1,
    )


def _add(
    connection: sqlite3.Connection, local: bool, cancelled: Callable[[], bool]
) -> FileImportResult:
    """Add the sessions the log does not hold yet, in one transaction under its write lock.

    Two statements: the sets first (foreign keys are checked at the commit), so the sums
    each session row keeps are computed once, when the row arrives, not after every set.
    A cancel interrupts them (SQLite's progress handler) and rolls everything back.
    """
    staged = int(connection.execute("SELECT count(*) FROM ready_sessions").fetchone()[0])
    connection.set_progress_handler(lambda: int(cancelled()), _STEPS)
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("PRAGMA defer_foreign_keys = ON")
        connection.execute(_ADD_SETS)
        added = connection.execute(_ADD_SESSIONS).rowcount
        connection.execute("COMMIT")
    except BaseException as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError) and cancelled():
            raise ImportCancelled from None
        raise
    finally:
        connection.set_progress_handler(None, 0)
    return FileImportResult(added=added, skipped=staged - added, local_time=local)
