"""Settings as a user meets them: the dialog, the file, start at login, a broken file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app import App
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


def build(paths: AppPaths) -> App:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        clock=FakeClock(),
        wake_timer=FakeTimers(),
        ticker=FakeTickers(),
        alarm=FakeAlarm,
        detect_idle=None,
    )


def test_settings_changed_in_the_dialog_are_saved_and_survive_a_restart(
    qtbot: QtBot, tmp_path: Path, private_home: Path
) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    app = build(paths)
    app.open_settings()
    dialog = app.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.interval.setValue(30)
    dialog.days["mon"].setText("08:00-12:00, 13:00-16:00")
    dialog.rest.setValue(45)
    dialog.start_at_login.setChecked(True)
    dialog.ok_button.click()
    saved = tomllib.loads(paths.settings.read_text())
    assert saved["reminders"]["interval_minutes"] == 30
    assert saved["reminders"]["working_hours"]["mon"] == ["08:00-12:00", "13:00-16:00"]
    assert saved["system"]["start_at_login"] is True
    autostart = private_home / ".config" / "autostart" / "stretchbreak.desktop"
    assert autostart.exists()
    assert "Exec=" in autostart.read_text()
    app.close()

    again = build(paths)
    assert again.settings.reminders.interval_minutes == 30
    assert again.flow._rest_seconds == 45  # the next session rests 45 s
    again.open_settings()
    assert again.settings_dialog is not None
    qtbot.addWidget(again.settings_dialog)
    again.settings_dialog.start_at_login.setChecked(False)
    again.settings_dialog.ok_button.click()
    assert not autostart.exists()
    again.close()


def test_the_sound_button_cycles_the_voice_setting(qtbot: QtBot, tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    app = build(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    assert app.voice.enabled
    assert not app.sounds.enabled
    window.sound_button.click()
    assert (app.voice.enabled, app.sounds.enabled) == (False, True)
    assert 'voice = "tones"' in paths.settings.read_text()
    window.sound_button.click()
    assert (app.voice.enabled, app.sounds.enabled) == (False, False)
    assert 'voice = "silent"' in paths.settings.read_text()
    window.sound_button.click()
    assert app.voice.enabled
    assert 'voice = "spoken"' in paths.settings.read_text()
    app.close()


def test_an_old_sound_false_is_silent_until_the_button_picks_a_mode(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    paths.settings.write_text("[break]\nsound = false\n")
    app = build(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    assert (app.voice.enabled, app.sounds.enabled) == (False, False)
    window.sound_button.click()  # silent → spoken
    assert app.voice.enabled
    saved = tomllib.loads(paths.settings.read_text())["break"]
    assert (saved["sound"], saved["voice"]) == (True, "spoken")
    app.close()


def test_unknown_keys_in_the_file_survive_a_save(qtbot: QtBot, tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    paths.settings.write_text(
        '[reminders]\ninterval_minutes = 40\ncolour = "teal"\n[plugins]\nx = 1\n'
    )
    app = build(paths)
    assert app.settings.reminders.interval_minutes == 40
    app.open_settings()
    assert app.settings_dialog is not None
    qtbot.addWidget(app.settings_dialog)
    app.settings_dialog.ok_button.click()
    saved = tomllib.loads(paths.settings.read_text())
    assert saved["reminders"]["colour"] == "teal"
    assert saved["plugins"] == {"x": 1}
    app.close()


def test_a_bad_value_falls_back_and_the_user_is_told(qtbot: QtBot, tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    paths.settings.write_text("[reminders]\ninterval_minutes = -5\n")
    app = build(paths)
    assert app.settings.reminders.interval_minutes == 50
    app.flow.open()
    window = app.session_window()
    qtbot.addWidget(window)
    assert "reminders.interval_minutes" in window.problem.text()
    assert paths.settings.read_text() == "[reminders]\ninterval_minutes = -5\n"
    app.close()
