"""``stretchbreak history``: the log as a table, CSV or JSON, with no display and no GUI.

It reads the database directly (a running app is no obstacle: SQLite in WAL mode lets one
process read while another writes), creates nothing when there is no history yet, and
never moves a damaged file: that is the app's job, with the user watching. A history it may
not write (a read-only file or folder, a backup on a read-only disk) is read from a copy in
a temporary folder, since SQLite cannot open a database read-write there, and a
read-only connection cannot always open one in WAL mode either.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from contextlib import ExitStack
from datetime import date, tzinfo
from pathlib import Path
from typing import TextIO

from stretchbreak.core.export import csv_text_by_session, sessions_to_json, sessions_to_table
from stretchbreak.infra.local_time import local_zone
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import denied_writing
from stretchbreak.infra.store_schema import DatabaseCorrupt, DatabaseTooNew, companions

FORMATS = ("table", "csv", "json")


class HistoryArgumentError(ValueError):
    """A bad ``--since``/``--until``; the message is the whole one-line error."""


def parse_day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HistoryArgumentError(f"{option} {text!r} is not a date like 2026-11-24") from None


def print_history(
    database: Path, since_text: str | None, until_text: str | None, fmt: str, out: TextIO
) -> int:
    """Write the history to ``out``; return the exit status (2 bad dates, 1 unreadable log)."""
    try:
        since = parse_day("--since", since_text)
        until = parse_day("--until", until_text)
        if since and until and since > until:
            raise HistoryArgumentError(f"--since {since} is after --until {until}")
    except HistoryArgumentError as error:
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return 2
    zone = local_zone()
    with ExitStack() as stack:
        try:
            store = _open(database, zone, stack)
        except Exception as error:  # whatever is wrong with the file, say it in one line
            print(f"stretchbreak: error: cannot read {database}: {error}", file=sys.stderr)
            return 1
        if fmt == "csv":
            # Straight from SQL to the output: no record per session, no whole file in memory.
            if store is None:
                out.writelines(csv_text_by_session({}, ()))
                return 0
            with store.csv_rows(since, until) as (heads, sets):
                out.writelines(csv_text_by_session(heads, sets))
            return 0
        sessions = store.sessions(since, until) if store else []
    if fmt == "json":
        out.write(sessions_to_json(sessions))
    else:
        out.write(sessions_to_table(sessions, zone) + "\n")
    return 0


def _open(database: Path, zone: tzinfo, stack: ExitStack) -> Store | None:
    """The history to read, closed with ``stack``; None when there is none yet.

    A zero-byte file is an empty history to SQLite, and opening it for real would write a
    schema into it: it is read as empty, untouched.
    """
    wal = companions(database)[0]
    if not database.exists() or (_empty(database) and (not wal.exists() or _empty(wal))):
        return None
    try:
        store = Store.open(database, tz=zone)
    except (DatabaseCorrupt, DatabaseTooNew):
        raise
    except Exception as error:
        if not denied_writing(database, error):
            raise
        store = _open_copy(database, zone, stack)
    stack.callback(store.close)
    return store


def _empty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size == 0


def _open_copy(database: Path, zone: tzinfo, stack: ExitStack) -> Store:
    """Open a copy of a database (and its -wal) we may not write; errors name the original."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="stretchbreak-")))
    copy = folder / database.name
    for original, target in zip(
        (database, *companions(database)), (copy, *companions(copy)), strict=True
    ):
        if original.name.endswith("-shm"):
            continue  # locks and an index, rebuilt from the -wal
        if original.exists():
            shutil.copyfile(original, target)
    try:
        return Store.open(copy, tz=zone)
    except Exception as error:
        raise RuntimeError(str(error).replace(str(copy), str(database))) from error
