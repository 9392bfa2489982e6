"""The whole app wired as it runs: two sessions, a restart, and both are in the history."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


def build(paths: AppPaths, clock: FakeClock, timers: FakeTimers) -> App:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        outside=Outside(
            clock=clock,
            wake_timer=timers,
            ticker=FakeTickers(),
            alarm=FakeAlarm,
            detect_idle=None,
        ),
    )


def desk_reset_with_enter(app: App, qtbot: QtBot, clock: FakeClock, timers: FakeTimers) -> None:
    app.flow.open("desk-reset")
    window = app.session_window()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for _ in range(2):  # Start, Ready
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
    session = app.runner.session
    assert session is not None
    for _ in range(600):  # each wake-up as the real timer would give it, at most 10 min
        if session.phase.finished:
            break
        clock.advance(1)
        timers.fire_armed()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)  # Done
    assert not window.isVisible()


def test_two_sessions_survive_a_restart_in_the_window_and_the_cli(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    clock, timers = FakeClock(), FakeTimers()
    first = build(paths, clock, timers)
    qtbot.addWidget(first.session_window())
    desk_reset_with_enter(first, qtbot, clock, timers)
    clock.advance(3600)
    desk_reset_with_enter(first, qtbot, clock, timers)
    first.close()

    second = build(paths, clock, timers)
    second.open_history()
    history = second.history_window
    assert history is not None
    qtbot.addWidget(history)
    assert history.proxy.rowCount() == 2
    assert history.figures["today"].text().startswith("2 sessions · 2 sets · 12 reps")
    second.close()

    csv = subprocess.run(
        [
            sys.executable,
            "-m",
            "stretchbreak",
            "--data-dir",
            str(paths.data_dir),
            "history",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert (
        csv[0]
        == "session_id,exercise,goal,source,set,reps,hold_s,started_at,completed_at,partial,feeling"
    )
    assert len(csv) == 3
    # The second session grew by the progression rule: one second more hold.
    assert [row.split(",")[5:7] for row in csv[1:]] == [["6", "1"], ["6", "2"]]


def test_a_garbage_database_is_moved_aside_and_the_user_told(qtbot: QtBot, tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    garbage = b"\x00garbage\xff" * 500
    paths.database.write_bytes(garbage)
    app = build(paths, FakeClock(), FakeTimers())
    moved = list(paths.data_dir.glob("stretchbreak.sqlite3.corrupt-*"))
    assert len(moved) == 1
    assert moved[0].read_bytes() == garbage
    app.flow.open()
    window = app.session_window()
    qtbot.addWidget(window)
    assert window.problem.isVisibleTo(window)
    assert str(moved[0]) in window.problem.text()
    assert app.store is not None  # a fresh log keeps the next sets
    app.close()
