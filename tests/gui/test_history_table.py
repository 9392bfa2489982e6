"""The session table's own sorting and filtering: stable, selection-keeping, and cheap at scale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import Feeling, Outcome, SessionDigest, Source
from stretchbreak.ui.history_table import SessionFilter, SessionTableModel

T0 = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)
NAMES = {"warmup": "Warm-up", "recovery": "Recovery"}


def digest(
    session_id: str,
    hours: float,
    goal: str = "warmup",
    sets: int = 2,
    reps: int = 8,
    *,
    active: float = 60.0,
    feeling: Feeling | None = None,
    source: Source = Source.MANUAL,
    partial: int = 0,
) -> SessionDigest:
    started = T0 + timedelta(hours=hours)
    return SessionDigest(
        session_id, "ex", goal, source, started, started + timedelta(minutes=5),
        Outcome.CANCELLED if partial else Outcome.COMPLETED, feeling, 3, sets, sets * reps, reps,
        partial, 2 * partial, active,
    )  # fmt: skip


ROWS = (
    digest("a", 0, "warmup", 2, 8, active=90.0, feeling=Feeling.EASY),
    digest("b", 1, "recovery", 3, 6, active=30.0, source=Source.PROMPT),
    digest("c", 2, "warmup", 2, 8, active=90.0, partial=1),  # ties "a" on sets and active
    digest("d", 26, "recovery", 0, 0, active=12.0, feeling=Feeling.HARD, partial=1),
)


@pytest.fixture
def table(qtbot: QtBot) -> QTableView:
    model = SessionTableModel(NAMES)
    model.set_sessions(ROWS, UTC)
    proxy = SessionFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    return view


def filter_of(view: QTableView) -> SessionFilter:
    proxy = view.model()
    assert isinstance(proxy, SessionFilter)
    return proxy


def shown(view: QTableView) -> list[str]:
    proxy = filter_of(view)
    return [proxy.sourceModel().session(r).session_id for r in proxy.source_rows()]


def test_every_column_sorts_by_its_value_and_ties_keep_the_model_order(table: QTableView) -> None:
    expected = {
        0: ["a", "b", "c", "d"],
        1: ["b", "d", "a", "c"],  # by the goal's name: Recovery before Warm-up
        2: ["d", "a", "c", "b"],  # sets, then reps
        4: ["d", "b", "a", "c"],
        5: ["b", "c", "a", "d"],  # no feeling first, then easy, hard
        6: ["a", "c", "d", "b"],  # manual before prompt
    }
    for column, order in expected.items():
        table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        assert shown(table) == order, column
    table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert shown(table) == ["a", "c", "b", "d"]  # equal keys stay in model order
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert shown(table) == ["a", "b", "c", "d"]


def test_cells_headers_and_alignment(table: QTableView) -> None:
    proxy = filter_of(table)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(2, c).data() for c in range(7)] == [
        "2026-11-25 00:30",
        "Warm-up",
        "2 × 8 + 2 (ended early)",
        "3 s",
        "1:30",
        "—",
        "by hand",
    ]
    assert proxy.index(3, 5).data() == "hard"
    assert proxy.index(1, 6).data() == "prompt"
    assert proxy.headerData(2, Qt.Orientation.Horizontal) == "Sets × reps"
    assert proxy.headerData(0, Qt.Orientation.Vertical) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert proxy.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert proxy.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) is None
    # The goal and the volume may be elided in a narrow window: their tooltip is the full text.
    assert proxy.index(2, 1).data(Qt.ItemDataRole.ToolTipRole) == "Warm-up"
    assert proxy.index(2, 2).data(Qt.ItemDataRole.ToolTipRole) == "2 × 8 + 2 (ended early)"
    assert proxy.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) is None
    assert proxy.data(QModelIndex()) is None
    assert proxy.sourceModel().index(1, 1).data() == "Recovery"
    assert proxy.sourceModel().data(QModelIndex()) is None
    assert proxy.rowCount(proxy.index(0, 0)) == proxy.columnCount(proxy.index(0, 0)) == 0


def test_filters_use_local_days_and_the_goal(table: QTableView) -> None:
    proxy = filter_of(table)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    proxy.set_filter(None, date(2026, 11, 25), None)
    assert shown(table) == ["c", "d"]  # in UTC, "a" and "b" are on the 24th
    proxy.set_filter("warmup", date(2026, 11, 25), date(2026, 11, 25))
    assert shown(table) == ["c"]
    proxy.set_filter(None, None, date(2026, 11, 24))
    assert shown(table) == ["a", "b"]
    proxy.set_filter(None, None, None)
    model = proxy.sourceModel()
    model.set_sessions(ROWS, timezone(timedelta(hours=2)))  # two hours on: all on the 25th
    proxy.set_filter(None, date(2026, 11, 25), date(2026, 11, 25))
    assert shown(table) == ["a", "b", "c"]


def test_a_selection_follows_its_rows_through_sorts_and_filters(table: QTableView) -> None:
    proxy = filter_of(table)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (1, 3):  # "b" and "d"
        selection.select(proxy.index(row, 0), flags)

    def selected() -> list[str]:
        rows = sorted(proxy.mapToSource(i).row() for i in selection.selectedRows())
        return [proxy.sourceModel().session(r).session_id for r in rows]

    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [i.row() for i in sorted(selection.selectedRows(), key=QModelIndex.row)] == [0, 2]
    assert selected() == ["b", "d"]
    proxy.set_filter("recovery", None, None)
    assert selected() == ["b", "d"]
    proxy.set_filter("warmup", None, None)
    assert selected() == []


def test_source_and_filter_rows_map_both_ways(table: QTableView) -> None:
    proxy = filter_of(table)
    model = proxy.sourceModel()
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert proxy.mapFromSource(model.index(0, 2)).row() == 3
    assert proxy.mapToSource(proxy.index(3, 2)) == model.index(0, 2)
    assert not proxy.mapToSource(QModelIndex()).isValid()
    assert not proxy.mapFromSource(QModelIndex()).isValid()
    proxy.set_filter("recovery", None, None)
    assert not proxy.mapFromSource(model.index(0, 0)).isValid()
    assert proxy.mapFromSource(model.index(3, 0)).row() == 0


def test_without_a_model_the_filter_is_empty() -> None:
    proxy = SessionFilter()
    proxy.sort(0)
    assert (proxy.rowCount(), proxy.columnCount(), proxy.source_rows()) == (0, 0, [])


def test_a_long_history_sorts_without_asking_qt_for_each_row(
    table: QTableView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QSortFilterProxyModel asked ``data`` twice per comparison: seconds for 20 000 rows."""
    many = tuple(digest(f"s{n}", n / 7, "warmup" if n % 3 else "recovery") for n in range(20_000))
    proxy = filter_of(table)
    model = proxy.sourceModel()
    asked: list[int] = []
    original = SessionTableModel.cell

    def counted(self: SessionTableModel, row: int, column: int, role: int) -> object:
        asked.append(row)
        return original(self, row, column, role)

    monkeypatch.setattr(SessionTableModel, "cell", counted)
    model.set_sessions(many, UTC)
    for column in range(7):
        table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    proxy.set_filter("recovery", date(2026, 12, 1), None)
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert asked == []  # nothing painted, nothing asked
    kept = [d for d in many if d.goal == "recovery" and d.started_at.date() >= date(2026, 12, 1)]
    assert proxy.rowCount() == len(kept)
    assert proxy.index(0, 0).data() == kept[-1].started_at.strftime("%Y-%m-%d %H:%M")
