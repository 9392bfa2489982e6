"""``stretchbreak history``: the log as a table, CSV or JSON, with no display and no GUI.

It reads the database directly (a running app is no obstacle: SQLite in WAL mode lets one
process read while another writes) and never writes to it (``infra.store_read``): it creates
nothing when there is no history yet, never moves a damaged file (that is the app's job,
with the user watching), never upgrades an older one (it is upgraded in memory for
reading), and refuses, without waiting, anything in the database's place that is not a file.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TextIO

from stretchbreak.core.export import csv_text_by_session, sessions_to_json, sessions_to_table
from stretchbreak.infra.local_time import local_zone
from stretchbreak.infra.store_read import reading


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
            store = stack.enter_context(reading(database, zone))
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
