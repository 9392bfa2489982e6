"""The welcome on a first start, About, and a broken settings file shown in the app itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.infra.idle import IdleBackend
from stretchbreak.infra.paths import WELCOME_MARK_NAME, AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.ui.status_window import StatusWindow
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


class Typing:
    """An idle backend whose user types until told to stop."""

    name = "test"

    def __init__(self) -> None:
        self.idle = 0.2

    def idle_seconds(self) -> float | None:
        return self.idle


def build(
    paths: AppPaths, idle: IdleBackend | None = None, timers: FakeTimers | None = None
) -> App:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        outside=Outside(
            clock=FakeClock(),
            wake_timer=timers or FakeTimers(),
            ticker=FakeTickers(),
            alarm=FakeAlarm,
            detect_idle=(lambda: idle) if idle is not None else None,
        ),
    )


def started(paths: AppPaths) -> App:
    """The app after its first turn of the event loop, when a first start's welcome looks
    for a calm moment (no idle backend here: calm at once)."""
    timers = FakeTimers()
    app = build(paths, timers=timers)
    timers.fire_armed()
    return app


def fresh(tmp_path: Path) -> AppPaths:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    return paths


def test_the_welcome_appears_on_the_first_start_only(qtbot: QtBot, tmp_path: Path) -> None:
    paths = fresh(tmp_path)
    app = started(paths)
    window = app.welcome.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible()
    assert (paths.data_dir / WELCOME_MARK_NAME).is_file()
    assert "stands in for the tray icon" in window.where.text()  # offscreen: no tray
    assert window.hours.text() == "Mon–Fri 09:00–12:30, 13:30–17:30"
    app.close()
    again = started(paths)
    assert again.welcome.window is None
    again.close()


def test_a_folder_used_before_the_welcome_existed_is_not_greeted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    started(paths).close()
    (paths.data_dir / WELCOME_MARK_NAME).unlink()
    again = started(paths)
    assert again.welcome.window is None
    assert (paths.data_dir / WELCOME_MARK_NAME).is_file()
    again.close()


def test_the_welcome_waits_for_a_pause_in_typing(qtbot: QtBot, tmp_path: Path) -> None:
    typing, timers = Typing(), FakeTimers()
    app = build(fresh(tmp_path), typing, timers)
    assert app.welcome.window is None, "not while the user types"
    timers.fire_armed()  # the first look, on the first turn of the event loop
    assert app.welcome.window is None
    timers.fire_armed()
    assert app.welcome.window is None
    typing.idle = 5.0
    timers.fire_armed()
    window = app.welcome.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible()
    app.close()


def test_try_opens_the_guided_window_and_hours_open_settings_there(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = started(fresh(tmp_path))
    window = app.welcome.window
    assert window is not None
    qtbot.addWidget(window)
    window.hours_button.click()
    dialog = app.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Reminders"
    window.try_button.click()
    guided = app.session_window()
    qtbot.addWidget(guided)
    assert guided.isVisible()
    assert guided.windowTitle() == "Dynamic Back Stretch"
    app.close()


def test_a_first_start_with_break_shows_the_welcome_after_the_guided_window(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """``stretchbreak break`` on a fresh folder: the guided window the user asked for comes
    alone; the welcome waits until it has closed, instead of sitting under (or over) it."""
    timers = FakeTimers()
    paths = fresh(tmp_path)
    app = build(paths, timers=timers)
    app.flow.open(None)  # what the start does for ``break`` once the app is built
    guided = app.session_window()
    qtbot.addWidget(guided)
    assert guided.isVisible()
    timers.fire_armed()  # the next turns of the event loop, a second apart
    timers.fire_armed()
    assert app.welcome.window is None, "not while the guided window is open"
    assert not (paths.data_dir / WELCOME_MARK_NAME).exists()
    guided.close()
    timers.fire_armed()
    window = app.welcome.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible()
    assert (paths.data_dir / WELCOME_MARK_NAME).is_file()
    app.close()


def test_welcome_and_about_reopen_from_the_status_window(qtbot: QtBot, tmp_path: Path) -> None:
    app = started(fresh(tmp_path))
    status = app.face
    assert isinstance(status, StatusWindow)
    qtbot.addWidget(status)
    welcome = app.welcome.window
    assert welcome is not None
    qtbot.addWidget(welcome)
    welcome.done_button.click()
    status.help_menu.actions()[0].trigger()
    assert welcome.isVisible()
    status.help_menu.actions()[1].trigger()
    about = app.welcome.about
    assert about is not None
    qtbot.addWidget(about)
    assert about.isVisible()
    assert about.folder.text() == str(app.paths.data_dir)
    app.close()


def test_a_bad_settings_value_is_shown_in_the_app_and_leads_to_its_field(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    paths.settings.write_text(
        '[break]\nrest_seconds = 5000\n[reminders.working_hours]\nmon = ["9-17"]\n'
    )
    app = build(paths)
    status = app.face
    assert isinstance(status, StatusWindow)
    qtbot.addWidget(status)
    assert status.problem.isVisible()
    assert status.problem.text().startswith("⚠ The settings file has 2 problems")
    assert "Monday: " in status.problem.text() or "Rest between sets: " in status.problem.text()
    status.problem_button.click()
    dialog = app.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentIndex() == 0, "the first problem is on the Reminders page"
    assert "Monday: " in dialog.problems.text()
    assert "Rest between sets: 5000 is out of range" in dialog.problems.text()
    assert "reminders.working_hours.mon" not in dialog.problems.text()
    dialog.ok_button.click()
    assert not status.problem.isVisible(), "saving fixed the file"
    app.close()


def test_a_broken_or_unreadable_settings_file_is_shown_in_the_app_too(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    paths.settings.write_text('[reminders\ninterval_minutes = "oops\n')
    app = build(paths)
    status = app.face
    assert isinstance(status, StatusWindow)
    qtbot.addWidget(status)
    assert status.problem.text().startswith("⚠ The settings file was broken and moved aside")
    assert "settings.toml.bad-" in status.problem.text()
    app.close()
    paths.settings.mkdir()  # a folder where the file should be
    again = build(paths)
    status = again.face
    assert isinstance(status, StatusWindow)
    qtbot.addWidget(status)
    assert status.problem.text().startswith("⚠ The settings file could not be read")
    status.problem_button.click()
    dialog = again.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentIndex() == 0
    assert "Could not read the settings file" in dialog.problems.text()
    again.close()
