"""CSV import: sessions back from a file in the export's CSV format, all or nothing.

CSV import reconstructs what the format leaves out, by these rules:

* sessions in the order they first appear, their sets sorted by ``set``;
* ``started_at`` = the earliest set start, ``ended_at`` = the latest set completion;
* ``outcome`` = ``completed`` when no set is partial, else ``cancelled``;
* target: sets = the number of non-partial sets, reps and hold = the largest on any row;
* ``tempo`` = ``guided``;
* each set's ``active_seconds`` = ``completed_at - started_at``, ``paused_seconds`` = 0.

So every exported column survives a round trip exactly; active and paused time do not. The
import checks the whole file before returning anything: the first problem raises
``ImportProblem`` naming the file, the line (the header is line 1) and the column. A UTF-8
BOM, ``\\r\\n`` line ends and blank lines are accepted; ``set``, ``reps`` and ``hold_s`` are
whole numbers up to ``LARGEST_WHOLE``, and given as bytes, text that is not UTF-8 is refused
with its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from stretchbreak.core.export import CSV_HEADER, CSV_HEADER_LINE
from stretchbreak.core.goal_ids import GOAL_IDS
from stretchbreak.core.history import CompletedSet, Feeling, Outcome, SessionRecord, Source

_WHOLE = re.compile(r"-?[0-9]+")
#: The largest set number, reps or hold an import takes: far beyond any real set, and small
#: enough that no total of them can overflow SQLite's 64-bit integers.
LARGEST_WHOLE = 1_000_000
_PER_SESSION = ("exercise", "goal", "source", "feeling")


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


class _Row:
    """One CSV line: its text fields checked and turned into a set, or an ``ImportProblem``."""

    def __init__(self, source_name: str, line: int, cells: list[str]) -> None:
        self.source_name, self.line = source_name, line
        if len(cells) != len(CSV_HEADER):
            problem = f"expected {len(CSV_HEADER)} columns, found {len(cells)}"
            raise ImportProblem(source_name, line, None, problem)
        self.fields = dict(zip(CSV_HEADER, cells, strict=True))
        self.record = self._record()

    def fail(self, column: str, problem: str) -> ImportProblem:
        return ImportProblem(self.source_name, self.line, column, problem)

    def _text(self, column: str) -> str:
        if not (value := self.fields[column]):
            raise self.fail(column, "is empty")
        return value

    def _choice(self, column: str, allowed: Sequence[str]) -> str:
        value = self.fields[column]
        if value not in allowed:
            raise self.fail(column, f'"{value}" is not one of: {", ".join(allowed)}')
        return value

    def _whole(self, column: str, minimum: int) -> int:
        value = self.fields[column]
        if not _WHOLE.fullmatch(value):
            raise self.fail(column, f'"{value}" is not a whole number')
        too_large = f"is too large (at most {LARGEST_WHOLE})"
        # Measured as text first: int() refuses a number of thousands of digits.
        if len(value.lstrip("-").lstrip("0")) > len(str(LARGEST_WHOLE)):
            shown = value if len(value) <= 24 else value[:20] + "…"
            raise self.fail(column, f"{shown} {'is negative' if value[0] == '-' else too_large}")
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
            raise self.fail(column, f'"{value}" is not an ISO-8601 timestamp') from None
        if parsed.utcoffset() is None:
            raise self.fail(column, f'"{value}" has no UTC offset such as +00:00')
        return parsed.astimezone(UTC)

    def _record(self) -> CompletedSet:
        session_id, exercise = self._text("session_id"), self._text("exercise")
        goal = self._choice("goal", GOAL_IDS)
        source = Source(self._choice("source", [s.value for s in Source]))
        set_index = self._whole("set", 1)
        reps, hold = self._whole("reps", 0), self._whole("hold_s", 0)
        started, completed = self._moment("started_at"), self._moment("completed_at")
        if completed < started:
            raise self.fail("completed_at", "is before started_at")
        partial = self._choice("partial", ("true", "false")) == "true"
        self._choice("feeling", ["", *(f.value for f in Feeling)])
        return CompletedSet(
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


def _decoded(data: bytes, source_name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise ImportProblem(source_name, line, None, problem) from None


def _lines(text: str, source_name: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the line it starts on."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportProblem(source_name, line, None, f"unreadable CSV: {error}") from None
        if cells:
            yield line, cells


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


def _session(rows: list[_Row]) -> SessionRecord:
    # Here, not at the top: the command line's export should not load the session's types.
    from stretchbreak.core.session_values import TempoMode

    sets = tuple(sorted((r.record for r in rows), key=lambda s: s.set_index))
    feeling = rows[0].fields["feeling"]
    return SessionRecord(
        session_id=sets[0].session_id,
        exercise=sets[0].exercise,
        goal=sets[0].goal,
        source=sets[0].source,
        tempo=TempoMode.GUIDED.value,
        target_sets=sum(not s.partial for s in sets),
        target_reps=max(s.reps for s in sets),
        target_hold_seconds=max(s.hold_seconds for s in sets),
        started_at=min(s.started_at for s in sets),
        ended_at=max(s.completed_at for s in sets),
        outcome=Outcome.CANCELLED if any(s.partial for s in sets) else Outcome.COMPLETED,
        feeling=Feeling(feeling) if feeling else None,
        sets=sets,
    )


def parse_sets_csv(text: str | bytes, source_name: str) -> list[SessionRecord]:
    """Sessions from an exported CSV, all or nothing (rules in the module docstring).

    Given the file's bytes, text that is not UTF-8 is an ``ImportProblem`` naming its line.
    """
    if isinstance(text, bytes):
        text = _decoded(text, source_name)
    lines = _lines(text, source_name)
    _check_header(*next(lines, (1, [])), source_name)
    sessions: dict[str, list[_Row]] = {}
    seen: dict[tuple[str, int], int] = {}
    for line, cells in lines:
        row = _Row(source_name, line, cells)
        key = (row.record.session_id, row.record.set_index)
        if key in seen:
            problem = f"set {key[1]} of session {key[0]!r} already appears on line {seen[key]}"
            raise row.fail("set", problem)
        seen[key] = line
        first = sessions.setdefault(key[0], [row])[0]
        for column in _PER_SESSION:
            if (value := row.fields[column]) != (was := first.fields[column]):
                problem = f'"{value}" differs from "{was}" on line {first.line} of the same session'
                raise row.fail(column, problem)
        if first is not row:
            sessions[key[0]].append(row)
    return [_session(rows) for rows in sessions.values()]
