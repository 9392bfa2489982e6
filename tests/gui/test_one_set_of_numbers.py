"""One log, three kinds of session, and every view that counts them says the same numbers.

The sessions are run for real through the guided window into a SQLite log: one finished, one
ended early after two reps of its first set, one ended before its first rep was over. Then the
summary after each, the core tally, the history window (header, heatmap and its tooltip,
weekly bars, table) and ``stretchbreak history --format table`` in another process are read.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.windows import wire_session_window
from stretchbreak.core.tally import SessionKind, Tally, session_kind, tally
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.services.break_flow import BreakFlow, connect_runner
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.session_window import SessionWindow
from tests.fakes import FakeClock, FakeTickers, FakeTimers

MOVE = RETURN = 2
HOLD = 1  # desk-reset's lowest target: 1 set × 6 reps · 1 s hold
#: A Wednesday, in UTC so every view's local day is the same.
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Rig:
    """The guided window wired to a real log, as the app wires it."""

    def __init__(self, qtbot: QtBot, store: Store, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock(start=START)
        self.timers = FakeTimers()
        self.runner = SessionRunner(self.clock, self.timers)
        numbers = itertools.count(1)
        exercise = load_bundled_exercise()
        self.flow = BreakFlow(exercise, store, lambda: f"session-{next(numbers)}")
        connect_runner(self.flow, self.runner)
        self.window = SessionWindow(
            exercise, self.runner, FakeTickers(), state_file=tmp_path / "window-state.ini"
        )
        qtbot.addWidget(self.window)
        wire_session_window(self.window, self.runner, self.flow)
        self.flow.choices_ready.connect(self.window.open_start)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.timers.fire_armed()

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(QApplication.focusWidget() or self.window, key)

    def begin(self) -> None:
        self.flow.open()
        with self.qtbot.waitActive(self.window):
            self.window.activateWindow()
        self.key(Qt.Key.Key_Return)  # Start (desk-reset, its lowest target)
        self.key(Qt.Key.Key_Return)  # Ready

    def reps(self, count: int) -> None:
        for _ in range(count):
            self.advance(MOVE)
            self.advance(HOLD)
            self.advance(RETURN)

    def end_early(self) -> None:
        self.key(Qt.Key.Key_Escape)
        self.key(Qt.Key.Key_Return)  # End session

    def summary(self) -> dict[str, str]:
        done = self.window.done_view
        assert self.window.stack.currentWidget() is done
        texts = {key: done.value_text(key) for key in ("sets", "reps", "active")}
        texts["heading"] = done.heading.text()
        texts["note"] = done.nothing_kept.text() if done.nothing_kept.isVisibleTo(done) else ""
        self.key(Qt.Key.Key_Return)  # Done
        return texts


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC) as opened:
        yield opened


def cli_table(data_dir: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env["TZ"] = "UTC"
    result = subprocess.run(
        [sys.executable, "-m", "stretchbreak", "--data-dir", str(data_dir), "history"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_view_counts_the_same_sessions_the_same_way(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    rig = Rig(qtbot, store, tmp_path)
    rig.begin()
    rig.reps(6)
    finished = rig.summary()
    rig.advance(600)
    rig.begin()
    rig.reps(2)
    rig.advance(MOVE)  # in the third rep's hold: that rep is not done, its time is spent
    rig.end_early()
    early = rig.summary()
    rig.advance(600)
    rig.begin()
    rig.advance(MOVE)  # ended in the first rep's hold: nothing done
    rig.end_early()
    empty = rig.summary()

    # The summary after each session.
    assert finished == {"sets": "1 of 1", "reps": "6 of 6", "active": "0:30",
                        "heading": "Well done", "note": ""}  # fmt: skip
    assert early == {"sets": "0 of 1 (one cut short after 2 reps)", "reps": "2 of 6",
                     "active": "0:12", "heading": "Session ended early", "note": ""}  # fmt: skip
    assert (empty["sets"], empty["reps"], empty["active"]) == ("0 of 1", "0 of 6", "0:00")
    assert empty["note"].startswith("Nothing was kept")

    # The log: every kind kept, and the one definition of what counts.
    records = store.sessions()
    assert [session_kind(r) for r in records] == [
        SessionKind.FINISHED,
        SessionKind.ENDED_EARLY,
        SessionKind.EMPTY,
    ]
    counted = tally(records)
    assert counted == Tally(
        sessions=2, finished=1, ended_early=1, empty=1, sets=1, partial_sets=1,
        reps=8, partial_reps=2, active_seconds=42.0,
    )  # fmt: skip

    # The history window: header, heatmap, its tooltip, weekly bars and table.
    book = HistoryBook(store, rig.clock, lambda: UTC, write_file=write_export)
    history = HistoryWindow(book, load_bundled_exercise())
    qtbot.addWidget(history)
    history.open()
    line = "2 sessions · 1 set · 8 reps · 1 min"
    for period in ("today", "week", "month"):
        assert history.figures[period].text() == line
    assert history.figures["streak"].text().startswith("1 working day")
    cells = {cell.day: cell for week in history.heatmap.weeks for cell in week}
    assert cells[date(2026, 11, 25)].sets == counted.sets
    assert history.heatmap.tooltip_text(date(2026, 11, 25)) == (
        "Wed 25 Nov 2026\n2 sessions · 1 set · 8 reps · 0:42 active\nDesk-break reset"
    )
    assert history.week_chart.values[-1] == counted.sets
    table = history.proxy
    assert table.rowCount() == counted.sessions
    assert [table.index(row, 2).data() for row in range(table.rowCount())] == [
        "2 reps (ended early)",  # newest first
        "1 × 6",
    ]
    assert [table.index(row, 4).data() for row in range(table.rowCount())] == ["0:12", "0:30"]

    # The command line, in another process reading the same file.
    lines = cli_table(tmp_path).splitlines()
    assert [row.split("  ")[0] for row in lines[2:-1]] == ["2026-11-25 09:00", "2026-11-25 09:10"]
    assert "1×6" in lines[2]
    assert "2 reps (ended early)" in lines[3]
    assert lines[-1] == "Total: 2 sessions, 1 set, 8 reps, 0:42 active"
