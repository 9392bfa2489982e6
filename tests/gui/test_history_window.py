"""The history window on a seeded database: figures, heatmap, filters, delete and undo, files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAccessible, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionRecord,
    Source,
)
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.ui.history_window import HistoryWindow
from tests.fakes import FakeClock

# Wednesday 25 November 2026, in UTC so local days are the same everywhere.
TODAY = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
#: Room QtCharts keeps around an axis label (its padding on either side), in pixels.
LABEL_GAP = 4


def hexed(name: str) -> str:
    """A readable name as a session id of the app's own form (32 hex digits)."""
    return name.encode().hex().ljust(32, "0")


def session(
    name: str,
    start: datetime,
    goal: str,
    reps: list[int],
    *,
    partial_last: bool = False,
    source: Source = Source.MANUAL,
    feeling: Feeling | None = Feeling.JUST_RIGHT,
) -> SessionRecord:
    session_id = hexed(name)
    sets = tuple(
        CompletedSet(
            session_id=session_id,
            exercise="dynamic-back-stretch",
            goal=goal,
            set_index=i,
            reps=count,
            hold_seconds=2,
            started_at=start + timedelta(minutes=i),
            completed_at=start + timedelta(minutes=i, seconds=40),
            active_seconds=40.0,
            paused_seconds=0.0,
            source=source,
            partial=partial_last and i == len(reps),
        )
        for i, count in enumerate(reps, start=1)
    )
    return SessionRecord(
        session_id=session_id,
        exercise="dynamic-back-stretch",
        goal=goal,
        source=source,
        tempo="guided",
        target_sets=len(reps),
        target_reps=max(reps),
        target_hold_seconds=2,
        started_at=start,
        ended_at=start + timedelta(minutes=len(reps) + 1),
        outcome=Outcome.CANCELLED if partial_last else Outcome.COMPLETED,
        feeling=None if partial_last else feeling,
        sets=sets,
    )


def day(d: int, hour: int) -> datetime:
    return datetime(2026, 11, d, hour, tzinfo=UTC)


SEED = [
    session("fri", day(20, 10), "recovery", [6, 6]),
    session("mon", day(23, 10), "desk-reset", [6]),
    session("tue", day(24, 10), "desk-reset", [8], source=Source.PROMPT),
    session("wed", day(25, 9), "warmup", [8, 8], feeling=Feeling.EASY),
    session("wed-cut", day(25, 11), "desk-reset", [3], partial_last=True),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC)
    opened.import_sessions(SEED)
    opened.record_prompt(
        PromptRecord(
            day(24, 9) + timedelta(minutes=59), day(24, 10), PromptOutcome.STARTED, day(24, 10)
        )
    )
    opened.record_prompt(PromptRecord(day(24, 14), day(24, 14), PromptOutcome.SKIPPED, day(24, 14)))
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> HistoryWindow:
    clock = FakeClock(start=TODAY)
    book = HistoryBook(store, clock, lambda: UTC, write_file=write_export)
    made = HistoryWindow(book, load_bundled_exercise())
    qtbot.addWidget(made)
    made.open()
    return made


def test_the_header_matches_the_data(window: HistoryWindow) -> None:
    figures = {key: value.text() for key, value in window.figures.items()}
    # The session ended early counts, with its reps and its time, but not as a set.
    assert figures["today"] == "2 sessions · 2 sets · 19 reps · 2 min"
    assert figures["week"] == "4 sessions · 4 sets · 33 reps · 3 min"
    assert figures["month"] == "5 sessions · 6 sets · 45 reps · 5 min"
    # Friday, then the weekend neither counts nor breaks it, then Monday to Wednesday.
    assert figures["streak"] == "4 working days · best 4 working days"
    assert figures["adherence"].startswith("50 % led to a stretch (1 of 2)")
    assert "1 skipped" in figures["adherence"]


def test_the_heatmap_and_week_bars_show_sets_per_day_and_week(window: HistoryWindow) -> None:
    cells = {cell.day: cell for week in window.heatmap.weeks for cell in week}
    assert cells[date(2026, 11, 20)].sets == 2
    assert cells[date(2026, 11, 25)].sets == 2
    assert cells[date(2026, 11, 21)].sets == 0
    assert cells[date(2026, 11, 26)].future
    tip = window.heatmap.tooltip_text(date(2026, 11, 25))
    assert tip.startswith("Wed 25 Nov 2026\n2 sessions · 2 sets · 19 reps · 2:00 active")
    assert window.week_chart.values[-2:] == [2, 4]


def _week_axes(window: HistoryWindow) -> tuple[QBarCategoryAxis, QValueAxis]:
    axes = window.week_chart.chart.axes()
    [weeks] = [axis for axis in axes if isinstance(axis, QBarCategoryAxis)]
    [sets] = [axis for axis in axes if isinstance(axis, QValueAxis)]
    return weeks, sets


@pytest.mark.parametrize("size", [(640, 480), (800, 600), (1280, 800)])
def test_every_week_label_is_whole_at_small_window_sizes(
    window: HistoryWindow, qapp: QApplication, size: tuple[int, int]
) -> None:
    """QtCharts shortens a label wider than its bar's slot to "7 …": none may be."""
    window.resize(*size)
    qapp.processEvents()
    weeks, _ = _week_axes(window)
    labels = weeks.categories()
    assert len(labels) == 12
    slot = window.week_chart.chart.plotArea().width() / len(labels)
    for label in labels:
        # Measured as QtCharts measures a label: rich text, with its document's margins.
        text = _rich(label)
        text.setDefaultFont(weeks.labelsFont())
        width = text.idealWidth() + 2 * text.documentMargin()
        assert width <= slot - LABEL_GAP, (label, width, slot)
    # The first week still names its month.
    first = window.week_chart.starts[0]
    assert _rich(labels[0]).toPlainText().split() == [str(first.day), first.strftime("%b")]


def _rich(label: str) -> QTextDocument:
    text = QTextDocument()
    text.setHtml(label)
    return text


@pytest.mark.parametrize("most", [0, 4, 5, 15, 16, 41])
def test_the_week_chart_s_grid_lines_fall_on_whole_sets(window: HistoryWindow, most: int) -> None:
    """A scale of 0–15 in four steps would label 3.75 sets as "3"."""
    monday = date(2026, 11, 23)
    window.week_chart.show_weeks([(monday - timedelta(weeks=1), 1), (monday, most)])
    _, sets = _week_axes(window)
    steps = sets.tickCount() - 1
    assert sets.min() == 0
    assert sets.max() >= most
    assert sets.max() % steps == 0, f"grid lines every {sets.max() / steps} sets"


def test_the_table_lists_every_session_newest_first(window: HistoryWindow) -> None:
    proxy = window.proxy
    assert proxy.rowCount() == 5
    first = [proxy.index(0, c).data() for c in range(7)]
    assert first[0] == "2026-11-25 11:00"
    assert first[2] == "3 reps (ended early)"
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 1).data() == "Recovery and stiffness relief"
    window.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 4).data() == "1:20"


def test_opening_again_shows_what_was_recorded_while_hidden(
    window: HistoryWindow, store: Store, tmp_path: Path
) -> None:
    shown = window.figures["today"].text()
    window.close()
    window.open()  # nothing changed: the same rows and figures
    assert (window.proxy.rowCount(), window.figures["today"].text()) == (5, shown)

    window.close()
    store.record_set(session("late", day(25, 14), "warmup", [7]).sets[0])
    window.open()
    assert window.proxy.rowCount() == 6
    assert window.proxy.index(0, 2).data() == "1 × 7 (unfinished)"  # its end is not logged
    assert window.figures["today"].text() == "3 sessions · 3 sets · 26 reps · 3 min"

    window.close()
    other = sqlite3.connect(tmp_path / "stretchbreak.sqlite3", isolation_level=None)
    try:  # another process: a second app on a copy, a SQLite shell
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM sessions WHERE id IN (?, ?)", (hexed("late"), hexed("wed")))
    finally:
        other.close()
    window.open()
    assert window.proxy.rowCount() == 4
    assert window.figures["today"].text() == "1 session · 0 sets · 3 reps · 1 min"


def test_filter_by_goal_and_days(window: HistoryWindow) -> None:
    window.goal_filter.setCurrentIndex(window.goal_filter.findData("desk-reset"))
    assert window.proxy.rowCount() == 3
    window.since.setDate(QDate(2026, 11, 24))
    assert window.proxy.rowCount() == 2
    window.until.setDate(QDate(2026, 11, 24))
    assert window.proxy.rowCount() == 1
    window.clear_filter.click()
    assert window.proxy.rowCount() == 5


def test_delete_then_undo_restores_exactly(window: HistoryWindow, store: Store) -> None:
    before = store.sessions()
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    window.table.selectRow(0)
    window.delete_button.click()
    assert window.proxy.rowCount() == 4
    assert [s.session_id for s in store.sessions()] == [
        hexed(n) for n in ("mon", "tue", "wed", "wed-cut")
    ]
    assert window.undo_bar.isVisibleTo(window)
    assert window.undo_text.text() == "Deleted 1 session."
    window.undo_button.click()
    assert store.sessions() == before
    assert window.proxy.rowCount() == 5
    assert not window.undo_bar.isVisibleTo(window)


def test_export_then_import_into_a_new_log_is_lossless(
    window: HistoryWindow, store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    exported = tmp_path / "out.csv"
    window.ask_save = lambda *_: exported
    window.export_csv.click()
    assert window.notice.text() == f"Exported 5 sessions to {exported}."
    assert exported.read_text() == sets_to_csv(store.sessions())

    fresh = Store.open(tmp_path / "other.sqlite3", tz=UTC)
    other = HistoryWindow(
        HistoryBook(fresh, FakeClock(start=TODAY), lambda: UTC, write_file=write_export),
        load_bundled_exercise(),
    )
    qtbot.addWidget(other)
    other.open()
    other.ask_open = lambda *_: exported
    with qtbot.waitSignal(other.import_ended, timeout=30_000):
        other.import_button.click()
    assert other.notice.text() == "Imported 5 sessions; 0 already in your log."
    assert sets_to_csv(fresh.sessions()) == exported.read_text()
    shown = ("today", "week", "month", "streak")  # prompts are not part of an export
    assert [other.figures[k].text() for k in shown] == [window.figures[k].text() for k in shown]
    with qtbot.waitSignal(other.import_ended, timeout=30_000):
        other.import_button.click()
    assert other.notice.text() == "Imported 0 sessions; 5 already in your log."
    fresh.close()


def test_json_export_of_the_shown_sessions(window: HistoryWindow, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    window.ask_save = lambda *_: target
    window.goal_filter.setCurrentIndex(window.goal_filter.findData("warmup"))
    window.export_json.click()
    assert f'"session_id": "{hexed("wed")}"' in target.read_text()
    assert f'"session_id": "{hexed("fri")}"' not in target.read_text()


def test_a_malformed_csv_imports_nothing_and_names_the_line(
    window: HistoryWindow, store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    bad = tmp_path / "bad.csv"
    good_rows = sets_to_csv([session("new", day(22, 9), "warmup", [8])]).splitlines()
    bad.write_text("\n".join([*good_rows, good_rows[1].replace(",8,", ",-8,")]) + "\n")
    window.ask_open = lambda *_: bad
    with qtbot.waitSignal(window.import_ended, timeout=30_000):
        window.import_button.click()
    assert window.notice.text().startswith("Nothing was imported.")
    assert "line 3" in window.notice.text()
    assert len(store.sessions()) == 5


def test_an_export_that_cannot_be_written_says_so(window: HistoryWindow, tmp_path: Path) -> None:
    occupied = tmp_path / "a-folder.csv"
    occupied.mkdir()
    window.ask_save = lambda *_: occupied
    window.export_csv.click()
    assert window.notice.text().startswith("Could not export to")


def test_cancelled_file_dialogs_change_nothing(window: HistoryWindow) -> None:
    window.ask_save = lambda *_: None
    window.ask_open = lambda *_: None
    window.export_csv.click()
    window.import_button.click()
    assert not window.notice.isVisibleTo(window)


def test_without_a_database_the_window_says_why(qtbot: QtBot) -> None:
    book = HistoryBook(
        None,
        FakeClock(start=TODAY),
        lambda: UTC,
        unavailable="History is read-only.",
        write_file=write_export,
    )
    made = HistoryWindow(book, load_bundled_exercise())
    qtbot.addWidget(made)
    made.open()
    assert made.notice.text() == "History is read-only."
    assert made.proxy.rowCount() == 0
    assert not made.delete_button.isEnabled()
    assert made.figures["adherence"].text() == "No prompts yet"


@pytest.mark.parametrize("size", [(800, 600), (640, 480)])
def test_rows_stay_one_line_and_a_cut_goal_is_told_in_full(
    window: HistoryWindow, size: tuple[int, int]
) -> None:
    """At 800×600 "Desk-break reset" fits its row; nothing wraps inside a row at 640×480, and
    a name the column cuts is in the cell's tooltip and its screen-reader text."""
    window.resize(*size)
    QApplication.processEvents()
    table = window.table
    assert not table.wordWrap()
    metrics = table.fontMetrics()
    goal_width = table.columnWidth(1)
    assert goal_width > metrics.horizontalAdvance("Desk-break reset")
    if size == (800, 600):  # room for the longest goal and an ended-early volume
        assert goal_width > metrics.horizontalAdvance("Recovery and stiffness relief")
        assert table.columnWidth(2) > metrics.horizontalAdvance("1 × 8 + 2 (ended early)")
    shown = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert shown <= table.viewport().width()  # every column in view, no sideways scrolling
    model = table.model()
    names = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert "Recovery and stiffness relief" in names
    for row in range(model.rowCount()):
        index = model.index(row, 1)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
    reader = QAccessible.queryAccessibleInterface(table)
    read = {reader.child(i).text(QAccessible.Text.Name) for i in range(reader.childCount())}
    assert names <= read  # the full names, never the elided ones
