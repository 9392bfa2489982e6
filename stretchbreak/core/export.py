"""Export formats (CSV, JSON, plain-text table): a contract with users' scripts.

CSV: one row per set (partial sets included), header exactly ``CSV_HEADER``. ``session_id``,
``exercise``, ``goal``, ``source`` and ``feeling`` are the session's and repeat on each of its
rows; a session without sets (an empty session, ``core.tally``) has no row. Timestamps are
UTC ISO-8601 to the second, fractions cut off: ``2026-11-24T09:00:00+00:00``. ``partial``
is ``true`` or ``false``, ``feeling`` empty when none. ``\\n`` line ends, minimal quoting.
A cell that a spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised with a leading ``'``, as is a cell
starting with ``'`` itself, so that the import can take exactly one ``'`` off again
(``neutralised``).

JSON: a list of sessions, each with exactly the keys of ``_session_json`` in that order, and
``sets`` a list of ``{set, reps, hold_s, started_at, completed_at, partial}``; ``null`` for
missing values, times as in the CSV, indent 2, ending with a newline like the CSV.

CSV import, the way back, lives in ``core/csv_import.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from itertools import islice
from typing import Any

from stretchbreak.core.history import CompletedSet, SessionRecord
from stretchbreak.core.tally import SessionKind, is_counted, session_kind, tally

#: The first line of every export, exactly; users' scripts match on it.
CSV_HEADER_LINE = (
    "session_id,exercise,goal,source,set,reps,hold_s,started_at,completed_at,partial,feeling"
)
CSV_HEADER: tuple[str, ...] = tuple(CSV_HEADER_LINE.split(","))
EMPTY_TABLE = "No sessions in this range."
#: No session's key: the first set of an export always starts a session.
_NO_KEY = object()


#: What makes a spreadsheet read a cell as a formula (OWASP's list), and our own mark.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MARKED_STARTS = (*FORMULA_STARTS, "'")
#: A cell of a joined line (with no comma inside a cell) starting with one of those.
_MARKED_CELL = re.compile("(?:^|,)[=+@\t\r'-]")


def neutralised(cell: str) -> str:
    """``cell`` as a spreadsheet will show it and never run it: ``'`` before a formula.

    A cell already starting with ``'`` gets one more, so the import can always remove
    exactly one and give back the very text that was exported.
    """
    return "'" + cell if cell.startswith(_MARKED_STARTS) else cell


def _timestamp(moment: datetime) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"refusing to export a naive timestamp: {moment!r}")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _optional(moment: datetime | None) -> str | None:
    return None if moment is None else _timestamp(moment)


def _csv_line(cells: Sequence[object]) -> str:
    r"""One CSV line ending in ``\n``.

    The writer quotes a field only for the characters of its line terminator, so a bare
    ``\r`` would go out unquoted with ``\n`` alone and split the row on reading; writing with
    ``\r\n`` quotes both, and the terminator is then swapped.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralised(str(c)) for c in cells])
    return buffer.getvalue().removesuffix("\r\n") + "\n"


def _set_json(done: CompletedSet) -> dict[str, object]:
    return {
        "set": done.set_index,
        "reps": done.reps,
        "hold_s": done.hold_seconds,
        "started_at": _timestamp(done.started_at),
        "completed_at": _timestamp(done.completed_at),
        "partial": done.partial,
    }


def csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The CSV export's lines, header first, for rows of ``CSV_HEADER`` cells as text.

    A row with no comma, quote or line break in any cell is joined directly: exactly what
    the csv module writes for it, and several times faster than a writer per line, which
    counts when the command line streams 100 000 sets. Every other row goes through the
    csv module.
    """
    yield _csv_line(CSV_HEADER)
    for cells in rows:
        line = ",".join(cells)
        if (
            len(cells) < 2  # a lone empty cell is written as ""
            or any(cell.startswith(_MARKED_STARTS) for cell in cells)
            or line.count(",") != len(cells) - 1
            or '"' in line
            or "\r" in line
            or "\n" in line
        ):
            yield _csv_line(cells)
        else:
            yield line + "\n"


def csv_text_by_session(
    sessions: Mapping[Any, Sequence[str]], sets: Iterable[Sequence[Any]], lines: int = 4096
) -> Iterator[str]:
    """What ``csv_lines`` writes for the same sets, header first, in pieces of ``lines`` sets.

    ``sessions`` maps a key to a session's cells: ``session_id``, ``exercise``, ``goal``,
    ``source`` and ``feeling`` (``""`` for none), as text. ``sets`` are the rows to write,
    in order: the key of their session, then ``set``, ``reps``, ``hold_s``, ``started_at``
    and ``completed_at`` as export text, and ``partial`` as stored (1 for a partial set).

    For 100 000 sets this is what keeps ``stretchbreak history --format csv`` well within a
    second: a session's part of the line, quoted if need be, is made once for all its sets
    (the csv module quotes cell by cell, and the rows have more than one cell, so writing a
    row in parts and joining them gives exactly its line); and the sets' own cells, numbers
    and times that never need quoting, are checked a piece at a time rather than a line at
    a time, the piece being made again line by line should the check fail.
    """
    yield _csv_line(CSV_HEADER)
    rows = iter(sets)
    while piece := list(islice(rows, lines)):
        yield _csv_piece(sessions, piece)


def _csv_piece(sessions: Mapping[Any, Sequence[str]], rows: list[Sequence[Any]]) -> str:
    made: list[str] = []
    middles: list[str] = []
    last: object = _NO_KEY
    before = after = ""
    for key, index, reps, hold, started, completed, partial in rows:
        if key != last:
            last = key
            before, after = _session_parts(sessions[key])
        flag = "true" if partial == 1 else "false"
        middle = f"{index},{reps},{hold},{started},{completed},{flag}"
        middles.append(middle)
        made.append(f"{before}{middle}{after}")
    # Each middle has five commas of its own: more, a quote or a line break is in a cell.
    # No cell may start with "-" or "+" (the times hold them only after a digit), and no
    # cell holds "=", "@", "'" or a tab anywhere: else a cell may need neutralising.
    # (Looking for a character or a pair is done in C, far quicker than line by line.)
    probe = "\n".join(middles)
    lines = len(middles)
    plain = probe.count(",") == 5 * lines and probe.count("\n") == lines - 1
    unmarked = not probe.startswith(("-", "+")) and not any(
        pair in probe for pair in (",-", ",+", "\n-", "\n+")
    )
    if plain and unmarked and not any(c in probe for c in ('"', "\r", "=", "@", "'", "\t")):
        return "".join(made)
    return "".join(_csv_line_by_parts(sessions[row[0]], row[1:]) for row in rows)


def _session_parts(cells: Sequence[str]) -> tuple[str, str]:
    """A session's part of its sets' lines, before and after theirs, quoted if need be."""
    session_id, exercise, goal, source, feeling = cells
    before = _joined((session_id, exercise, goal, source, ""))  # ends with the comma
    return before, _joined(("", feeling)) + "\n"


def _csv_line_by_parts(cells: Sequence[str], values: Sequence[Any]) -> str:
    index, reps, hold, started, completed, partial = values
    before, after = _session_parts(cells)
    flag = "true" if partial == 1 else "false"
    return before + _joined((*map(str, (index, reps, hold, started, completed)), flag)) + after


def _joined(cells: Sequence[str]) -> str:
    """Two or more cells as the csv module writes them inside a line: joined when plain."""
    line = ",".join(cells)
    if (
        line.count(",") != len(cells) - 1
        or '"' in line
        or "\r" in line
        or "\n" in line
        or _MARKED_CELL.search(line)
    ):
        return _csv_line(cells).removesuffix("\n")
    return line


def _set_csv_cells(session: SessionRecord, done: CompletedSet) -> tuple[str, ...]:
    """One CSV row as text; ``Store.csv_rows`` reads the same values straight from SQL."""
    return (
        session.session_id,
        session.exercise,
        session.goal,
        session.source.value,
        str(done.set_index),
        str(done.reps),
        str(done.hold_seconds),
        _timestamp(done.started_at),
        _timestamp(done.completed_at),
        "true" if done.partial else "false",
        session.feeling.value if session.feeling else "",
    )


def sets_to_csv(sessions: Sequence[SessionRecord]) -> str:
    return "".join(csv_lines(_set_csv_cells(s, done) for s in sessions for done in s.sets))


def _session_json(session: SessionRecord) -> dict[str, object]:
    return {
        "session_id": session.session_id,
        "exercise": session.exercise,
        "goal": session.goal,
        "source": session.source.value,
        "started_at": _timestamp(session.started_at),
        "ended_at": _optional(session.ended_at),
        "outcome": session.outcome.value if session.outcome else None,
        "feeling": session.feeling.value if session.feeling else None,
        "sets": [_set_json(done) for done in session.sets],
    }


def sessions_to_json(sessions: Sequence[SessionRecord]) -> str:
    return json.dumps([_session_json(s) for s in sessions], indent=2, ensure_ascii=False) + "\n"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _volume(session: SessionRecord) -> str:
    """E.g. ``2×8``, ``3×6–8``; a session ended early adds the reps of a set cut short and
    says so: ``1×8 + 2 (ended early)``, ``2 reps (ended early)``."""
    reps = [s.reps for s in session.completed_sets]
    low, high = min(reps, default=0), max(reps, default=0)
    parts = []
    if reps:
        parts.append(f"{len(reps)}×{low}" if low == high else f"{len(reps)}×{low}–{high}")
    if session.partial_sets:
        cut = session.partial_reps
        parts.append(str(cut) if reps else _plural(cut, "rep"))
    text = " + ".join(parts)
    if session_kind(session) is SessionKind.FINISHED:
        return text
    return f"{text} (ended early)" if session.outcome else f"{text} (unfinished)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def sessions_to_table(sessions: Sequence[SessionRecord], tz: tzinfo) -> str:
    """Aligned plain text for a terminal; no trailing newline, so ``print`` shows it as is.

    Lists and adds up the sessions that count (``core.tally``), as the history window does:
    a session ended before its first rep holds nothing to show.
    """
    sessions = [s for s in sessions if is_counted(s)]
    if not sessions:
        return EMPTY_TABLE
    header = ("When", "Goal", "Sets×reps", "Hold", "Active", "Feeling", "Source")
    rows = [
        (
            s.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            s.goal,
            _volume(s),
            f"{s.target_hold_seconds} s",
            _duration(s.active_seconds),
            s.feeling.value if s.feeling else "-",
            s.source.value,
        )
        for s in sessions
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    rule = tuple("-" * width for width in widths)
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in (header, rule, *rows)
    ]
    total = tally(sessions)
    lines.append(
        f"Total: {_plural(total.sessions, 'session')}, {_plural(total.sets, 'set')}, "
        f"{_plural(total.reps, 'rep')}, {_duration(total.active_seconds)} active"
    )
    return "\n".join(lines)
