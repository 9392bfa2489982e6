"""Settings as a user meets them: the dialog, the file, start at login, a broken file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.core.cue_schedule import EVERY_SESSION
from stretchbreak.core.settings import VoiceMode
from stretchbreak.infra.paths import AppPaths
from stretchbreak.services import effect_cache
from tests.integration.app.conftest import MakeApp
from tests.integration.sound.test_sound_cues import FakeSoundEffect, fake_multimedia

__all__ = ["fake_multimedia"]  # a fixture, used by name below


def test_settings_changed_in_the_dialog_are_saved_and_survive_a_restart(
    qtbot: QtBot, private_home: Path, paths: AppPaths, make_app: MakeApp
) -> None:
    app = make_app(paths)
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

    again = make_app(paths)
    assert again.settings.reminders.interval_minutes == 30
    assert again.flow.defaults.rest_seconds == 45  # the next session rests 45 s
    again.open_settings()
    assert again.settings_dialog is not None
    qtbot.addWidget(again.settings_dialog)
    again.settings_dialog.start_at_login.setChecked(False)
    again.settings_dialog.ok_button.click()
    assert not autostart.exists()
    again.close()


def test_the_sound_button_cycles_the_voice_setting(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, paths: AppPaths, make_app: MakeApp
) -> None:
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    app = make_app(paths)
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


def test_the_cues_load_when_the_window_opens_and_go_when_it_closes(
    qtbot: QtBot, fake_multimedia: type[FakeSoundEffect], paths: AppPaths, make_app: MakeApp
) -> None:
    """Loading opens the audio output ahead of the first cue; an idle app holds none."""
    app = make_app(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    assert app.voice.loaded == 0  # built ahead (a heads-up), not shown: nothing loaded
    window.present()
    qtbot.waitUntil(window.isVisible)
    titles = [cue.title for cue in app.exercise.setup]
    loaded = {effect.url.fileName() for effect in fake_multimedia.made}
    assert {"sit-back.wav", "well-done.wav", "kneel-down.wav"} <= loaded
    assert not any(name.endswith("seconds.wav") for name in loaded)  # those load when said
    assert app.voice.loaded == len(EVERY_SESSION) + len(titles)
    assert all(effect.plays == 0 for effect in fake_multimedia.made)  # nothing heard
    window.close()
    assert app.voice.loaded == 0
    window.present()
    assert app.voice.loaded == len(EVERY_SESSION) + len(titles)
    window.sound_button.click()  # spoken → tones: the clips go, the tones come
    assert app.voice.loaded == 0
    app.close()


def test_an_old_sound_false_is_silent_until_the_button_picks_a_mode(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, paths: AppPaths, make_app: MakeApp
) -> None:
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    paths.settings.write_text("[break]\nsound = false\n")
    app = make_app(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    assert (app.voice.enabled, app.sounds.enabled) == (False, False)
    window.sound_button.click()  # silent → spoken
    assert app.voice.enabled
    saved = tomllib.loads(paths.settings.read_text())["break"]
    assert (saved["sound"], saved["voice"]) == (True, "spoken")
    app.close()


def test_without_an_audio_output_the_sound_button_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, paths: AppPaths, make_app: MakeApp
) -> None:
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: False)
    app = make_app(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    assert app.settings.breaks.sound  # the setting is on, and stays on
    assert window.sound_button.text() == "No audio output"
    assert not window.sound_button.isEnabled()
    app.close()


def test_unknown_keys_in_the_file_survive_a_save(
    qtbot: QtBot, paths: AppPaths, make_app: MakeApp
) -> None:
    paths.settings.write_text(
        '[reminders]\ninterval_minutes = 40\ncolour = "teal"\n[plugins]\nx = 1\n'
    )
    app = make_app(paths)
    assert app.settings.reminders.interval_minutes == 40
    app.open_settings()
    assert app.settings_dialog is not None
    qtbot.addWidget(app.settings_dialog)
    app.settings_dialog.ok_button.click()
    saved = tomllib.loads(paths.settings.read_text())
    assert saved["reminders"]["colour"] == "teal"
    assert saved["plugins"] == {"x": 1}
    app.close()


def test_a_bad_value_falls_back_and_the_user_is_told(
    qtbot: QtBot, paths: AppPaths, make_app: MakeApp
) -> None:
    paths.settings.write_text("[reminders]\ninterval_minutes = -5\n")
    app = make_app(paths)
    assert app.settings.reminders.interval_minutes == 50
    app.flow.open()
    window = app.session_window()
    qtbot.addWidget(window)
    assert "reminders.interval_minutes" in window.problem.text()
    assert paths.settings.read_text() == "[reminders]\ninterval_minutes = -5\n"
    app.close()


def _failing_save(paths: AppPaths) -> None:
    """The config folder replaced by a file: no save can succeed, as with a folder the user
    cannot write (a test running as root can write any folder)."""
    paths.settings.unlink(missing_ok=True)
    paths.config_dir.rmdir()
    paths.config_dir.write_text("not a folder")


def test_a_failed_save_is_shown_in_the_dialog_which_stays_open(
    qtbot: QtBot, tmp_path: Path, private_home: Path, make_app: MakeApp
) -> None:
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs")
    paths.create_folders()
    app = make_app(paths)
    _failing_save(paths)
    app.open_settings()
    dialog = app.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.interval.setValue(30)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.problems.isVisible()
    assert "Could not save the settings" in dialog.problems.text()
    assert str(paths.config_dir) in dialog.problems.text()
    assert app.settings.reminders.interval_minutes == 50  # nothing half-applied
    app.close()


def test_a_read_only_settings_file_is_not_overwritten_and_the_dialog_says_so(
    qtbot: QtBot, private_home: Path, paths: AppPaths, make_app: MakeApp
) -> None:
    paths.settings.write_text("[reminders]\ninterval_minutes = 40\n")
    paths.settings.chmod(0o400)
    app = make_app(paths)
    app.open_settings()
    dialog = app.settings_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.interval.setValue(30)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "read-only" in dialog.problems.text()
    assert paths.settings.read_text() == "[reminders]\ninterval_minutes = 40\n"
    app.close()


def test_a_failed_save_from_the_sound_button_is_shown_in_the_guided_window(
    qtbot: QtBot,
    tmp_path: Path,
    private_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_app: MakeApp,
) -> None:
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs")
    paths.create_folders()
    app = make_app(paths)
    window = app.session_window()
    qtbot.addWidget(window)
    window.show()
    _failing_save(paths)
    window.sound_button.click()  # spoken → tones
    assert (app.voice.enabled, app.sounds.enabled) == (False, True)  # works for this run
    assert window.sound_button.text() == "Tones only"
    assert app.settings.breaks.voice is VoiceMode.SPOKEN  # the file keeps what it had
    assert window.problem.isVisible()
    assert "Could not save the settings" in window.problem.text()
    app.close()
