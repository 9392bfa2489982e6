"""The window's list of sessions reads a session when it is shown, and all of them only when
a sort, a filter or an export needs them; what it lists is what the log held at the snapshot."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from stretchbreak.core.history import Outcome, SessionDigest, Source
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.history_rows import BLOCK, SessionRows
from stretchbreak.ui.history_table import SessionFilter, SessionTableModel
from tests.fakes import FakeClock
from tests.integration.store_samples import record

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)


def digest(n: int) -> SessionDigest:
    started = T0 + timedelta(hours=n)
    return SessionDigest(
        f"s{n:04}", "ex", "warmup" if n % 2 else "recovery", Source.MANUAL, started, None,
        Outcome.COMPLETED, None, 3, 1 + n % 3, 8, 8, 0, 0, 40.0,
    )  # fmt: skip


class Log:
    """Digests by id, counting how they are asked for."""

    def __init__(self, count: int) -> None:
        self.digests = {d.session_id: d for d in map(digest, range(count))}
        self.asked: list[int] = []
        self.whole = 0
        self.changed = False
        self.told = 0

    def read(self, ids: Iterable[str]) -> list[SessionDigest]:
        wanted = list(ids)
        self.asked.append(len(wanted))
        return [self.digests[i] for i in wanted if i in self.digests]

    def read_all(self) -> list[SessionDigest]:
        self.whole += 1
        return list(self.digests.values())

    def rows(self, known: Iterable[SessionDigest] = ()) -> SessionRows:
        ids = list(self.digests)
        starts = [self.digests[i].started_at for i in ids]

        def tell() -> None:
            self.told += 1

        return SessionRows(self.read, self.read_all, ids, starts, known, lambda: self.changed, tell)


def test_known_sessions_are_not_read_again_and_others_a_block_at_a_time() -> None:
    log = Log(1000)
    rows = log.rows(known=[digest(n) for n in range(900, 1000)])
    assert rows[-1] == digest(999)
    assert rows[950] == digest(950)
    assert log.asked == []
    assert rows[500] == digest(500)
    assert log.asked == [BLOCK]
    assert rows[500 - BLOCK // 2 : 500 + BLOCK // 2] == [
        digest(n) for n in range(500 - BLOCK // 2, 500 + BLOCK // 2)
    ]
    assert log.asked == [BLOCK]  # the whole block came with the first
    assert rows[0] == digest(0)  # a block at the start does not reach before it
    assert log.asked == [BLOCK, BLOCK]
    with pytest.raises(IndexError):
        rows[1000]


def test_all_of_them_are_read_in_one_go_when_most_are_wanted() -> None:
    log = Log(1000)
    rows = log.rows(known=[digest(n) for n in range(990, 1000)])
    assert list(rows) == [digest(n) for n in range(1000)]
    assert (log.whole, log.asked) == (1, [])
    assert list(rows) == [digest(n) for n in range(1000)]
    assert log.whole == 1

    few = Log(1000).rows(known=[digest(n) for n in range(10, 1000)])
    assert len(list(few)) == 1000


def test_they_equal_any_sequence_of_the_same_digests() -> None:
    rows = Log(3).rows()
    assert rows == (digest(0), digest(1), digest(2))
    assert rows == [digest(0), digest(1), digest(2)]
    assert (digest(0), digest(1), digest(2)) == rows
    assert rows != (digest(0), digest(1))
    assert rows != (digest(0), digest(2), digest(1))
    assert rows != "abc"
    assert rows != 3
    assert Log(0).rows() == ()


def test_a_session_gone_since_the_snapshot_stands_in_with_its_start_and_says_so() -> None:
    log = Log(10)
    rows = log.rows()
    del log.digests["s0003"]
    log.changed = True
    gone = rows[3]
    assert (gone.session_id, gone.started_at, gone.sets_done, gone.goal) == (
        "s0003", digest(3).started_at, 0, "",
    )  # fmt: skip
    assert rows[4] == digest(4)
    assert log.told == 1


def test_sorting_by_time_and_filtering_by_day_read_no_session() -> None:
    log = Log(2000)
    rows = log.rows(known=[digest(n) for n in range(1990, 2000)])
    model = SessionTableModel({"warmup": "Warm-up", "recovery": "Recovery"})
    model.set_sessions(rows, UTC)
    proxy = SessionFilter()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    proxy.set_filter(None, date(2026, 1, 2), date(2026, 1, 3))
    assert proxy.rowCount() == 48
    assert proxy.index(0, 0).data() == "2026-01-03 23:00"
    assert (log.asked, log.whole) == ([BLOCK], 0)  # the one row painted above
    proxy.sort(2, Qt.SortOrder.AscendingOrder)  # by sets: every session is read, once
    proxy.set_filter("warmup", None, None)
    assert log.whole == 1
    assert proxy.rowCount() == 1000


def test_an_export_or_delete_of_many_rows_reads_them_in_one_go() -> None:
    log = Log(2000)
    model = SessionTableModel({})
    model.set_sessions(log.rows(), UTC)
    assert model.sessions([5, 1]) == [digest(5), digest(1)]
    assert (log.asked, log.whole) == ([BLOCK], 0)
    assert model.sessions(range(1300, 1000, -1)) == [digest(n) for n in range(1300, 1000, -1)]
    assert (log.asked, log.whole) == ([BLOCK], 1)


# --------------------------------------------------------------------- with the real store
@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC) as opened:
        # A session a day for a year: most of it older than any figure reads whole.
        opened.import_sessions(
            record(f"d{n:03}", (n - 364) * 24 * 60, 1 + n % 3) for n in range(365)
        )
        yield opened


def test_the_snapshot_lists_every_session_as_the_log_has_it(store: Store) -> None:
    book = HistoryBook(
        store,
        FakeClock(start=T0.replace(year=2026, month=11, day=25)),
        lambda: UTC,
        write_file=write_export,
    )
    listed = book.snapshot().sessions
    assert listed == store.session_digests()
    assert [d.session_id for d in listed[:3]] == ["d000", "d001", "d002"]


def test_a_deletion_by_another_program_is_shown_after_the_next_read(
    store: Store, tmp_path: Path, qapp: QCoreApplication
) -> None:
    clock = FakeClock(start=datetime(2026, 11, 25, 12, tzinfo=UTC))
    book = HistoryBook(store, clock, lambda: UTC, write_file=write_export)
    refreshed: list[int] = []
    book.changed.connect(lambda: refreshed.append(len(book.snapshot().sessions)))
    listed = book.snapshot().sessions
    other = sqlite3.connect(tmp_path / "stretchbreak.sqlite3", isolation_level=None)
    try:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM sessions WHERE id = 'd000'")
    finally:
        other.close()
    assert listed[0].goal == ""  # gone: its id and start stand in
    assert listed[1] == store.session_digests_by_id(["d001"])[0]
    assert refreshed == []  # the window is not redrawn while it asks for a row
    qapp.processEvents()
    assert refreshed == [364]
