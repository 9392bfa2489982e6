"""A break that draws near has its guided window ready before the user clicks Start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import PREPARE_DELAY_S, App
from stretchbreak.app.context import Outside
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers, FakeWakeTimer


def build(tmp_path: Path, timers: FakeTimers) -> App:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        outside=Outside(
            clock=FakeClock(),
            wake_timer=timers,
            ticker=FakeTickers(),
            alarm=FakeAlarm,
            detect_idle=None,
            use_tray=False,
        ),
    )


def prepare_timer(timers: FakeTimers) -> FakeWakeTimer:
    armed = [t for t in timers.made if t.armed and t.seconds == PREPARE_DELAY_S]
    assert len(armed) == 1, "one short timer builds the window"
    return armed[0]


def test_a_heads_up_builds_the_window_hidden_and_start_then_only_shows_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    timers = FakeTimers()
    app = build(tmp_path, timers)
    assert app._session_window is None
    app.reminders.coordinator.heads_up.emit(None)
    app.reminders.coordinator.heads_up.emit(None)  # a second heads-up arms nothing more
    timer = prepare_timer(timers)
    assert app._session_window is None, "nothing is built before the prompt has painted"
    timer.fire()
    window = app._session_window
    assert window is not None
    qtbot.addWidget(window)
    assert not window.isVisible(), "prepared, not shown: the break has not started"
    app.flow.open()
    assert app._session_window is window
    assert window.isVisible()
    app.close()


def test_a_prompt_without_heads_up_prepares_the_window_too(qtbot: QtBot, tmp_path: Path) -> None:
    timers = FakeTimers()
    app = build(tmp_path, timers)
    app.reminders.coordinator.prompt_requested.emit()
    prepare_timer(timers).fire()
    assert app._session_window is not None
    qtbot.addWidget(app._session_window)
    assert app.reminders.prompt is not None
    qtbot.addWidget(app.reminders.prompt)
    assert app.reminders.prompt.isVisible()
    assert not app._session_window.isVisible()
    app.close()
