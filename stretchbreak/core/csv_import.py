"""CSV import: sessions back from a file in the export's CSV format, all or nothing.

CSV import reconstructs what the format leaves out, by these rules (``session_from_rows``):

* sessions in the order they first appear, their sets sorted by ``set``;
* ``started_at`` = the earliest set start, ``ended_at`` = the latest set completion;
* ``outcome`` = ``completed`` when no set is partial, else ``cancelled``;
* target: sets = the number of non-partial sets, reps and hold = the largest on any row;
* ``tempo`` = ``guided``;
* each set's ``active_seconds`` = ``completed_at - started_at``, ``paused_seconds`` = 0.

So every exported column survives a round trip; active and paused time do not. The import
checks the whole file before anything is kept: the first problem raises ``ImportProblem``
naming the file, the line (the header is line 1) and the column.

What a spreadsheet writes back after opening and saving an export is read too: ``;`` or
``,`` between cells (whichever the header uses), ``TRUE``/``FALSE``, a UTF-8 BOM,
``\\r\\n`` line ends, blank lines, times without seconds, and times without a UTC offset,
which are read in the zone given (the user's local time) and marked so the result can say
so. One leading ``'`` (the
export's mark on a cell a spreadsheet would run as a formula) is taken off every cell.
Session ids must be ours (``SESSION_ID``): a file cannot smuggle a formula in as an id.
``set``, ``reps`` and ``hold_s`` are whole numbers up to ``LARGEST_WHOLE``; text that is not
UTF-8 is refused with its line.

``read_rows`` checks the rows one by one as they stream in; what needs more than one row (a
set given twice, a session whose rows disagree) is ``SessionChecks`` in memory, or the
store's equivalent over a staged file, with the same words (``duplicate_set``, ``differs``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from itertools import chain
from typing import NamedTuple

from stretchbreak.core.export import CSV_HEADER, CSV_HEADER_LINE
from stretchbreak.core.goal_ids import GOAL_IDS
from stretchbreak.core.history import CompletedSet, Feeling, Outcome, SessionRecord, Source
from stretchbreak.core.session_values import TempoMode

_WHOLE = re.compile(r"-?[0-9]+")
#: The session ids stretchbreak makes: a random UUID's 32 hexadecimal digits.
SESSION_ID = re.compile(r"[0-9a-f]{32}")
#: The largest set number, reps or hold an import takes: far beyond any real set, and small
#: enough that no total of them can overflow SQLite's 64-bit integers.
LARGEST_WHOLE = 1_000_000
#: The cells every row of one session repeats.
PER_SESSION = ("exercise", "goal", "source", "feeling")
_FEELINGS = ("", *(f.value for f in Feeling))
_SOURCES = tuple(s.value for s in Source)


class ImportProblem(ValueError):
    """One thing wrong with an imported file, located well enough to fix it in an editor."""

    def __init__(self, source_name: str, line: int, column: str | None, problem: str) -> None:
        where = f"{source_name}, line {line}"
        if column is not None:
            where += f", column {CSV_HEADER.index(column) + 1} ({column})"
        super().__init__(f"{where}: {problem}")
        self.source_name = source_name
        self.line = line
        self.column = column
        self.problem = problem


class ImportCancelled(Exception):
    """The user cancelled an import before it was done; nothing was added."""


class ImportedRow(NamedTuple):
    """One checked row: its line, its set, the session's cells, and whether a time was local."""

    line: int
    record: CompletedSet
    feeling: str
    local_time: bool


def _shown(value: str) -> str:
    return value if len(value) <= 24 else value[:20] + "…"


class _Row:
    """One CSV line: its text fields checked and turned into a set, or an ``ImportProblem``."""

    def __init__(self, source_name: str, line: int, cells: list[str], tz: tzinfo) -> None:
        self.source_name, self.line, self.tz, self.local_time = source_name, line, tz, False
        if len(cells) != len(CSV_HEADER):
            problem = f"expected {len(CSV_HEADER)} columns, found {len(cells)}"
            raise ImportProblem(source_name, line, None, problem)
        self.fields = dict(
            zip(CSV_HEADER, (c[1:] if c[:1] == "'" else c for c in cells), strict=True)
        )

    def fail(self, column: str, problem: str) -> ImportProblem:
        return ImportProblem(self.source_name, self.line, column, problem)

    def _text(self, column: str) -> str:
        if not (value := self.fields[column]):
            raise self.fail(column, "is empty")
        return value

    def _choice(self, column: str, allowed: Sequence[str]) -> str:
        value = self.fields[column]
        if value not in allowed:
            raise self.fail(column, f'"{_shown(value)}" is not one of: {", ".join(allowed)}')
        return value

    def _whole(self, column: str, minimum: int) -> int:
        value = self.fields[column]
        if not _WHOLE.fullmatch(value):
            raise self.fail(column, f'"{_shown(value)}" is not a whole number')
        too_large = f"is too large (at most {LARGEST_WHOLE})"
        # Measured as text first: int() refuses a number of thousands of digits.
        if len(value.lstrip("-").lstrip("0")) > len(str(LARGEST_WHOLE)):
            wrong = "is negative" if value[0] == "-" else too_large
            raise self.fail(column, f"{_shown(value)} {wrong}")
        if (number := int(value)) < minimum:
            wrong = "is negative" if number < 0 else f"is less than {minimum}"
            raise self.fail(column, f"{number} {wrong}")
        if number > LARGEST_WHOLE:
            raise self.fail(column, f"{number} {too_large}")
        return number

    def _moment(self, column: str) -> datetime:
        value = self.fields[column]
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f'"{_shown(value)}" is not an ISO-8601 timestamp') from None
        if parsed.utcoffset() is None:
            parsed = parsed.replace(tzinfo=self.tz)
            self.local_time = True
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the calendar's start
            raise self.fail(column, f'"{value}" is outside the calendar') from None

    def checked(self) -> ImportedRow:
        session_id = self._text("session_id")
        if not SESSION_ID.fullmatch(session_id):
            problem = f'"{_shown(session_id)}" is not a stretchbreak session id (32 hex digits)'
            raise self.fail("session_id", problem)
        exercise = self._text("exercise")
        goal = self._choice("goal", GOAL_IDS)
        source = Source(self._choice("source", _SOURCES))
        set_index = self._whole("set", 1)
        reps, hold = self._whole("reps", 0), self._whole("hold_s", 0)
        started, completed = self._moment("started_at"), self._moment("completed_at")
        if completed < started:
            raise self.fail("completed_at", "is before started_at")
        # A spreadsheet that reads true/false as truth values writes them back as TRUE/FALSE.
        self.fields["partial"] = self.fields["partial"].lower()
        partial = self._choice("partial", ("true", "false")) == "true"
        feeling = self._choice("feeling", _FEELINGS)
        done = CompletedSet(
            session_id=session_id,
            exercise=exercise,
            goal=goal,
            set_index=set_index,
            reps=reps,
            hold_seconds=hold,
            started_at=started,
            completed_at=completed,
            active_seconds=(completed - started).total_seconds(),
            paused_seconds=0.0,
            source=source,
            partial=partial,
        )
        return ImportedRow(self.line, done, feeling, self.local_time)


def _decoded(raw_lines: Iterable[bytes], source_name: str) -> Iterator[str]:
    """Each physical line as text; bytes that are not UTF-8 name their line."""
    for number, raw in enumerate(raw_lines, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problem = f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})"
            raise ImportProblem(source_name, number, None, problem) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _check_header(line: int, header: list[str], source_name: str) -> None:
    """Name the first header cell that differs, so the fix is obvious."""
    if tuple(header) == CSV_HEADER:
        return
    exactly = f'the header must be exactly "{CSV_HEADER_LINE}"'
    if not header:
        raise ImportProblem(source_name, line, None, f"the file is empty; {exactly}")
    for index, expected in enumerate(CSV_HEADER):
        found = f'"{header[index]}"' if index < len(header) else "missing"
        if found != f'"{expected}"':
            raise ImportProblem(source_name, line, expected, f"{found}; {exactly}")
    problem = f"{len(header)} columns instead of {len(CSV_HEADER)}; {exactly}"
    raise ImportProblem(source_name, line, None, problem)


def read_rows(raw_lines: Iterable[bytes], source_name: str, tz: tzinfo) -> Iterator[ImportedRow]:
    """The file's rows, each checked alone, as the lines come: nothing is kept behind.

    ``raw_lines`` are the file's lines as bytes (iterating a file opened ``"rb"`` gives
    them); times without an offset are read in ``tz``. The header is checked first, and
    its separator (``;`` or ``,``) is the one the rows are read with.
    """
    lines = _decoded(raw_lines, source_name)
    skipped = 0
    for first in lines:
        if first.strip():
            break
        skipped += 1
    else:
        _check_header(1, [], source_name)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(chain([first], lines), delimiter=delimiter, strict=True)
    header_seen = False
    while True:
        line = skipped + reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportProblem(source_name, line, None, f"unreadable CSV: {error}") from None
        if not header_seen:
            _check_header(line, cells, source_name)
            header_seen = True
        elif cells:
            yield _Row(source_name, line, cells, tz).checked()


def duplicate_set(source_name: str, row: ImportedRow, first_line: int) -> ImportProblem:
    done = row.record
    problem = f"set {done.set_index} of session {done.session_id!r} already appears on line"
    return ImportProblem(source_name, row.line, "set", f"{problem} {first_line}")


def differs(
    source_name: str, line: int, column: str, value: str, was: str, first_line: int
) -> ImportProblem:
    problem = f'"{value}" differs from "{was}" on line {first_line} of the same session'
    return ImportProblem(source_name, line, column, problem)


def per_session(row: ImportedRow) -> tuple[str, str, str, str]:
    """The cells of ``PER_SESSION`` as the row gave them."""
    done = row.record
    return done.exercise, done.goal, done.source.value, row.feeling


class SessionChecks:
    """What needs more than one row, kept in memory: for files of ordinary size."""

    def __init__(self, source_name: str) -> None:
        self._source_name = source_name
        self._seen: dict[tuple[str, int], int] = {}
        self.sessions: dict[str, list[ImportedRow]] = {}

    def add(self, row: ImportedRow) -> None:
        key = (row.record.session_id, row.record.set_index)
        if key in self._seen:
            raise duplicate_set(self._source_name, row, self._seen[key])
        self._seen[key] = row.line
        first = self.sessions.setdefault(key[0], [row])[0]
        for column, value, was in zip(
            PER_SESSION, per_session(row), per_session(first), strict=True
        ):
            if value != was:
                raise differs(self._source_name, row.line, column, value, was, first.line)
        if first is not row:
            self.sessions[key[0]].append(row)


class SessionTotals(NamedTuple):
    """What the rules need of a session's rows, added up (by ``totals`` or by SQL)."""

    session_id: str
    exercise: str
    goal: str
    source: str
    feeling: str
    #: Rows that are not partial.
    sets_done: int
    most_reps: int
    longest_hold: int
    started_at: datetime
    ended_at: datetime
    any_partial: bool


def totals(rows: Sequence[ImportedRow]) -> SessionTotals:
    sets = [r.record for r in rows]
    first = sets[0]
    return SessionTotals(
        session_id=first.session_id,
        exercise=first.exercise,
        goal=first.goal,
        source=first.source.value,
        feeling=rows[0].feeling,
        sets_done=sum(not s.partial for s in sets),
        most_reps=max(s.reps for s in sets),
        longest_hold=max(s.hold_seconds for s in sets),
        started_at=min(s.started_at for s in sets),
        ended_at=max(s.completed_at for s in sets),
        any_partial=any(s.partial for s in sets),
    )


def session_head(added: SessionTotals) -> SessionRecord:
    """A session rebuilt from its rows' totals by the rules in the module docstring; its
    ``sets`` are left empty (``session_from_rows`` adds them)."""
    return SessionRecord(
        session_id=added.session_id,
        exercise=added.exercise,
        goal=added.goal,
        source=Source(added.source),
        tempo=TempoMode.GUIDED.value,
        target_sets=added.sets_done,
        target_reps=added.most_reps,
        target_hold_seconds=added.longest_hold,
        started_at=added.started_at,
        ended_at=added.ended_at,
        outcome=Outcome.CANCELLED if added.any_partial else Outcome.COMPLETED,
        feeling=Feeling(added.feeling) if added.feeling else None,
        sets=(),
    )


def session_from_rows(rows: Sequence[ImportedRow]) -> SessionRecord:
    """One session rebuilt from its rows by the rules in the module docstring."""
    sets = tuple(sorted((r.record for r in rows), key=lambda s: s.set_index))
    return replace(session_head(totals(rows)), sets=sets)


def parse_sets_csv(text: str | bytes, source_name: str, tz: tzinfo = UTC) -> list[SessionRecord]:
    """Sessions from an exported CSV held in memory, all or nothing (rules above)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    checks = SessionChecks(source_name)
    for row in read_rows(io.BytesIO(data), source_name, tz):
        checks.add(row)
    return [session_from_rows(rows) for rows in checks.sessions.values()]
