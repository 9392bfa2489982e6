"""The history window reads the log when it is looked at, not after every set while hidden."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.history_book import HistoryBook, HistorySnapshot
from stretchbreak.ui.history_window import HistoryWindow
from tests.fakes import FakeClock


class CountingBook(HistoryBook):
    def __init__(self) -> None:
        super().__init__(
            None,
            FakeClock(start=datetime(2026, 11, 25, tzinfo=UTC)),
            lambda: UTC,
            write_file=write_export,
        )
        self.reads = 0

    def snapshot(self) -> HistorySnapshot:
        self.reads += 1
        return super().snapshot()


def test_a_hidden_window_waits_for_open_to_read_the_log(qtbot: QtBot) -> None:
    book = CountingBook()
    window = HistoryWindow(book, load_bundled_exercise())
    qtbot.addWidget(window)
    book.notify_changed()
    assert book.reads == 0
    window.open()
    assert book.reads == 1
    book.notify_changed()  # shown: the change appears at once
    assert book.reads == 2
    window.hide()
    for _ in range(3):  # sets of a running session
        book.notify_changed()
    assert book.reads == 2
    window.open()
    assert book.reads == 3
