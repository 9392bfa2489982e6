"""The history window's files: progress and Cancel of an import, banners in view, folders."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, tzinfo
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from stretchbreak.core.csv_import import ImportCancelled
from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.tally import tally
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_import import FileImportResult
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.ui.history_files import exported_text
from stretchbreak.ui.history_window import HistoryWindow
from tests.fakes import FakeClock
from tests.gui.test_history_window import SEED, TODAY, day, hexed, session


class HeldStore(Store):
    """A real store whose import reports a quarter done, then waits for the test."""

    release = threading.Event()

    def import_csv_file(
        self,
        csv_path: Path,
        tz: tzinfo,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> FileImportResult:
        progress(1, 4)
        if not self.release.wait(timeout=60):
            raise TimeoutError("the test never released the import")
        if cancelled():
            raise ImportCancelled
        return super().import_csv_file(csv_path, tz, progress, cancelled)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[HeldStore]:
    HeldStore.release = threading.Event()
    store = HeldStore.open(tmp_path / "stretchbreak.sqlite3", tz=UTC)
    store.import_sessions(SEED)
    yield store
    HeldStore.release.set()
    store.close()


@pytest.fixture
def book(held: HeldStore) -> HistoryBook:
    return HistoryBook(held, FakeClock(start=TODAY), lambda: UTC, write_file=write_export)


@pytest.fixture
def window(qtbot: QtBot, book: HistoryBook) -> HistoryWindow:
    made = HistoryWindow(book, load_bundled_exercise())
    qtbot.addWidget(made)
    made.resize(800, 600)
    made.open()
    return made


def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "new.csv"
    path.write_text(sets_to_csv([session("new", day(22, 9), "warmup", [8, 8])]))
    return path


def start_held_import(window: HistoryWindow, qtbot: QtBot, path: Path) -> None:
    window.ask_open = lambda *_: path
    with qtbot.waitSignal(
        window.import_bar.progress.valueChanged, timeout=30_000, check_params_cb=lambda v: v == 250
    ):
        window.import_button.click()


def test_an_import_shows_its_progress_and_keeps_the_window_usable(
    window: HistoryWindow, held: HeldStore, qtbot: QtBot, tmp_path: Path
) -> None:
    start_held_import(window, qtbot, a_file(tmp_path))
    assert window.import_bar.isVisibleTo(window)
    assert window.import_bar.progress.value() == 250
    assert window.import_bar.text.text() == "Importing new.csv…"
    assert not window.import_button.isEnabled()
    window.goal_filter.setCurrentIndex(1)  # the window answers while the file is read
    window.reset_filter()
    with qtbot.waitSignal(window.import_ended, timeout=30_000):
        held.release.set()
    assert not window.import_bar.isVisibleTo(window)
    assert window.notice.text() == "Imported 1 session; 0 already in your log."
    assert window.proxy.rowCount() == len(SEED) + 1
    assert window.import_button.isEnabled()


def test_cancel_leaves_the_log_as_it_was(
    window: HistoryWindow, held: HeldStore, qtbot: QtBot, tmp_path: Path
) -> None:
    before = held.sessions()
    start_held_import(window, qtbot, a_file(tmp_path))
    window.import_bar.cancel.click()
    assert window.import_bar.text.text() == "Cancelling…"
    assert not window.import_bar.cancel.isEnabled()
    with qtbot.waitSignal(window.import_ended, timeout=30_000):
        held.release.set()
    assert window.notice.text() == "Import cancelled; nothing was imported."
    assert held.sessions() == before


def test_every_import_error_is_shown(
    window: HistoryWindow, held: HeldStore, qtbot: QtBot, tmp_path: Path
) -> None:
    held.release.set()
    path = tmp_path / "edge.csv"
    text = sets_to_csv([session("edge", day(22, 9), "warmup", [8])])
    path.write_text(text.replace("2026-11-22T09:01:40+00:00", "0001-01-01T00:00:00+14:00"))
    window.ask_open = lambda *_: path
    with qtbot.waitSignal(window.import_ended, timeout=30_000):
        window.import_button.click()
    assert window.notice.text() == (
        f"Nothing was imported. {path}, line 2, column 9 (completed_at): "
        '"0001-01-01T00:00:00+14:00" is outside the calendar'
    )
    window.ask_open = lambda *_: tmp_path / "gone.csv"
    with qtbot.waitSignal(window.import_ended, timeout=30_000):
        window.import_button.click()
    assert "gone.csv" in window.notice.text()
    assert window.notice.text().startswith("Nothing was imported.")


def test_banners_are_in_view_wherever_the_list_is_scrolled(
    window: HistoryWindow, tmp_path: Path
) -> None:
    window.ask_save = lambda *_: tmp_path / "out.csv"
    scroll = window.table.parentWidget()
    while scroll is not None and not hasattr(scroll, "verticalScrollBar"):
        scroll = scroll.parentWidget()
    assert scroll is not None
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    window.export_csv.click()
    window.table.selectRow(0)
    window.delete_selected()
    for banner in (window.notice, window.undo_bar):
        top_left = banner.mapTo(window, QPoint(0, 0))
        assert banner.isVisibleTo(window)
        assert top_left.y() >= 0
        assert top_left.y() + banner.height() <= window.height()


def test_the_export_counts_the_sessions_the_file_holds(
    qtbot: QtBot, tmp_path: Path, held: HeldStore
) -> None:
    """A session cancelled before its first rep ended has no set: no row, not counted."""
    empty = session("nothing", day(25, 13), "warmup", [8])
    held.import_sessions([empty.__class__(**{**empty.__dict__, "sets": ()})])
    made = HistoryWindow(
        HistoryBook(held, FakeClock(start=TODAY), lambda: UTC, write_file=write_export),
        load_bundled_exercise(),
    )
    qtbot.addWidget(made)
    made.open()
    target = tmp_path / "all.csv"
    made.ask_save = lambda *_: target
    made.export_csv.click()
    assert made.notice.text() == f"Exported {len(SEED)} sessions to {target}."
    assert hexed("nothing") not in target.read_text()
    made.ask_save = lambda *_: tmp_path / "all.json"
    made.export_json.click()  # the window exports what it lists: no empty session
    assert made.notice.text() == f"Exported {len(SEED)} sessions to {tmp_path / 'all.json'}."
    assert hexed("nothing") not in (tmp_path / "all.json").read_text()
    # A JSON file that does list one says so; a CSV file cannot hold one.
    with_empty = tally([empty.__class__(**{**empty.__dict__, "sets": ()}), *SEED])
    assert exported_text(with_empty, "json", Path("a.json")) == (
        "Exported 5 sessions to a.json. It also lists 1 session with nothing done."
    )
    assert exported_text(with_empty, "csv", Path("a.csv")) == "Exported 5 sessions to a.csv."


def test_file_dialogs_open_in_documents_then_where_the_user_went(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def asker(_title: str, suggested: str, _filter: str) -> None:
        asked.append(suggested)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    window.ask_save = window.ask_open = asker
    window.export_csv.click()
    window.import_button.click()
    documents = Path.home() / "Documents"
    start = documents if documents.is_dir() else Path.home()
    assert Path(asked[0]).parent == start
    assert Path(asked[1]) == start
    chosen = tmp_path / "exports" / "mine.csv"
    chosen.parent.mkdir()
    window.ask_save = lambda *_: chosen
    window.export_csv.click()
    window.ask_open = asker
    window.import_button.click()
    assert Path(asked[-1]) == chosen.parent
    assert str(elsewhere) not in asked[:2]


def test_the_last_folder_is_remembered_after_a_restart(
    qtbot: QtBot, book: HistoryBook, tmp_path: Path
) -> None:
    state = tmp_path / "config" / "window-state.ini"
    state.parent.mkdir()
    chosen = tmp_path / "exports" / "mine.csv"
    chosen.parent.mkdir()
    first = HistoryWindow(book, load_bundled_exercise(), state_file=state)
    qtbot.addWidget(first)
    first.ask_save = lambda *_: chosen
    first.export_csv.click()
    assert state.stat().st_mode & 0o777 == 0o600

    asked: list[str] = []

    def asker(_title: str, suggested: str, _filter: str) -> None:
        asked.append(suggested)

    again = HistoryWindow(book, load_bundled_exercise(), ask_open=asker, state_file=state)
    qtbot.addWidget(again)
    again.import_button.click()
    assert asked == [str(chosen.parent)]
    chosen.unlink()
    chosen.parent.rmdir()  # a folder that is gone: back to the documents folder
    again.import_button.click()
    assert Path(asked[-1]) != chosen.parent


def test_quitting_during_an_import_cancels_it_and_waits(
    window: HistoryWindow, book: HistoryBook, held: HeldStore, qtbot: QtBot, tmp_path: Path
) -> None:
    """No thread outlives the app, and the log is closed only after the import let go."""
    before = held.sessions()
    start_held_import(window, qtbot, a_file(tmp_path))
    job = window.job
    assert job is not None
    ask = job.cancel

    def cancel_and_release() -> None:  # the held import can only see the cancel once let go
        ask()
        held.release.set()

    job.cancel = cancel_and_release  # type: ignore[method-assign]
    book.stop_imports()
    assert job.isFinished()
    assert held.sessions() == before


def test_the_window_export_neutralises_formula_cells(
    window: HistoryWindow, held: HeldStore, tmp_path: Path
) -> None:
    planted = session("planted", day(25, 12), "warmup", [8])
    hostile = '=HYPERLINK("http://x")'
    held.import_sessions([planted.__class__(**{**planted.__dict__, "exercise": hostile})])
    window.refresh()
    target = tmp_path / "out.csv"
    window.ask_save = lambda *_: target
    window.export_csv.click()
    rows = csv.DictReader(io.StringIO(target.read_text()))
    (row,) = [r for r in rows if r["session_id"] == hexed("planted")]
    assert row["exercise"] == "'" + hostile
