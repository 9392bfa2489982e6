"""Malformed files given to the History window's "Import CSV…": one error naming the line,
and not a single row imported.

The import goes the way the window sends it, ``HistoryBook.import_csv`` on a real store that
already holds a history. Each variant starts from a valid export of new sessions and breaks
one thing; the error must say the file and the line (the header is line 1) and be one the
window shows (it catches ``OSError`` and ``ValueError``), and the history must read back
exactly as before. A good file is imported in full afterwards, so the store was still usable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest

from stretchbreak.core.csv_import import ImportProblem, parse_sets_csv
from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.history import SessionRecord
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import HistoryBook
from tests.fakes import FakeClock
from tests.integration.store_samples import prompt, record

#: Session ids as the app makes them: 32 hex digits.
ID1, ID2, ID3 = (f"{n:032x}" for n in (0xA1, 0xA2, 0xA3))
#: Three new sessions of 3, 2 and 4 sets: lines 2–4, 5–6 and 7–10 of the file.
NEW = [record(ID1, 600, 3), record(ID2, 700, 2), record(ID3, 800, 4)]
GOOD = sets_to_csv(NEW).encode()


def lines() -> list[str]:
    return GOOD.decode().splitlines(keepends=True)


def cells(line: int, column: int, value: str) -> bytes:
    """The good file with one cell of ``line`` (1-based, as an editor counts) replaced."""
    text = lines()
    row = text[line - 1].rstrip("\n").split(",")
    row[column] = value
    text[line - 1] = ",".join(row) + "\n"
    return "".join(text).encode()


def without_cell(line: int) -> bytes:
    text = lines()
    text[line - 1] = text[line - 1].rstrip("\n").rsplit(",", 1)[0] + "\n"
    return "".join(text).encode()


def with_extra_cell(line: int) -> bytes:
    text = lines()
    text[line - 1] = text[line - 1].rstrip("\n") + ",extra\n"
    return "".join(text).encode()


def raw(line: int, replace: Callable[[bytes], bytes]) -> bytes:
    text = GOOD.split(b"\n")
    text[line - 1] = replace(text[line - 1])
    return b"\n".join(text)


# Columns: 0 session_id, 4 set, 5 reps, 6 hold_s, 7 started_at, 8 completed_at, 9 partial
@dataclass(frozen=True)
class Broken:
    content: bytes
    line: int
    says: str


BROKEN = {
    "bad-header": Broken(cells(1, 3, "origin"), 1, '"origin"; the header must be exactly'),
    "header-only-ten-columns": Broken(without_cell(1), 1, "missing"),
    "header-with-an-extra-column": Broken(with_extra_cell(1), 1, "12 columns instead of 11"),
    "row-with-ten-columns": Broken(without_cell(3), 3, "expected 11 columns, found 10"),
    "row-with-twelve-columns": Broken(with_extra_cell(2), 2, "expected 11 columns, found 12"),
    "date-not-a-date": Broken(cells(4, 7, "2026-13-45T09:00:00+00:00"), 4, "not an ISO-8601"),
    "date-at-the-calendar-edge": Broken(
        cells(3, 7, "0001-01-01T00:00:00+14:00"), 3, "is outside the calendar"
    ),
    "a-formula-for-an-id": Broken(
        cells(4, 0, "=cmd|' /C calc'!A0"), 4, "is not a stretchbreak session id"
    ),
    "a-neutralised-formula-for-an-id": Broken(
        cells(5, 0, "'=1+2"), 5, '"=1+2" is not a stretchbreak session id'
    ),
    "completed-before-started": Broken(
        cells(5, 8, "2020-01-01T00:00:00+00:00"), 5, "is before started_at"
    ),
    "negative-reps": Broken(cells(6, 5, "-6"), 6, "-6 is negative"),
    "negative-hold": Broken(cells(2, 6, "-1"), 2, "-1 is negative"),
    "set-zero": Broken(cells(3, 4, "0"), 3, "0 is less than 1"),
    "reps-not-a-number": Broken(cells(7, 5, "six"), 7, '"six" is not a whole number'),
    "huge-reps": Broken(cells(8, 5, "9" * 30), 8, "is too large"),
    "huge-negative-reps": Broken(
        cells(8, 5, "-" + "9" * 5000), 8, "-9999999999999999999… is negative"
    ),
    "one-rep-too-many": Broken(cells(4, 5, "1000001"), 4, "1000001 is too large (at most 1000000)"),
    "huge-set-index": Broken(cells(2, 4, str(2**63)), 2, "is too large"),
    "huge-hold": Broken(cells(9, 6, str(10**12)), 9, "is too large"),
    "bad-utf8": Broken(raw(6, lambda row: row.replace(ID2.encode(), b"new-\xff\xfe2")), 6, "UTF-8"),
    "empty-file": Broken(b"", 1, "the file is empty"),
    "unclosed-quote": Broken(
        raw(9, lambda row: row.replace(ID3.encode(), b'"' + ID3.encode())), 9, "CSV"
    ),
    "a-broken-row-after-good-rows": Broken(cells(9, 9, "maybe"), 9, '"maybe" is not one of'),
    "duplicate-set": Broken(cells(3, 4, "1"), 3, "already appears on line 2"),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC) as opened:
        opened.import_sessions([record("old-1", 0, 2), record("old-2", 100, 3)])
        opened.record_prompt(prompt(99))
        yield opened


def everything(store: Store) -> tuple[list[SessionRecord], int, list[object]]:
    return store.sessions(), store.count_sets(), list(store.prompts())


@pytest.mark.parametrize("name", list(BROKEN))
def test_the_parser_names_the_line_of_every_malformed_file(name: str) -> None:
    broken = BROKEN[name]
    with pytest.raises(ImportProblem) as raised:
        parse_sets_csv(broken.content, "history.csv")
    assert raised.value.line == broken.line
    assert broken.says in str(raised.value)


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_malformed_file_names_its_line_and_imports_nothing(
    store: Store, tmp_path: Path, name: str
) -> None:
    broken = BROKEN[name]
    book = HistoryBook(store, FakeClock(), lambda: UTC, write_file=write_export)
    changes: list[bool] = []
    book.changed.connect(lambda: changes.append(True))
    path = tmp_path / f"{name}.csv"
    path.write_bytes(broken.content)
    before = everything(store)

    with pytest.raises((OSError, ValueError)) as raised:
        book.import_csv(path)

    message = str(raised.value)
    assert message.startswith(f"{path}, line {broken.line}"), message
    assert broken.says in message
    assert everything(store) == before
    assert changes == []
    assert path.read_bytes() == broken.content

    path.write_bytes(GOOD)
    assert book.import_csv(path).added == len(NEW)
    assert store.count_sets() == before[1] + 9
