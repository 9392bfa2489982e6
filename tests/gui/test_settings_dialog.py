"""The settings dialog edits a copy, refuses what the file rules refuse, and hands back the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QSpinBox
from pytestqt.qtbot import QtBot

from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import DeferSettings, Settings, VoiceMode
from stretchbreak.core.settings_schema import FIELDS, choices_of, range_of
from stretchbreak.core.working_hours import TimeRange
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.ui.settings_defer import SignState
from stretchbreak.ui.settings_dialog import SettingsDialog


def dialog(
    qtbot: QtBot, settings: Settings | None = None, away: bool | None = None
) -> SettingsDialog:
    made = SettingsDialog(settings or Settings(), load_bundled_exercise(), Path("/data"), away)
    qtbot.addWidget(made)
    made.show()
    return made


def test_the_fields_show_the_settings(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    assert shown.interval.value() == 50
    assert shown.days["mon"].text() == "09:00-12:30, 13:30-17:30"
    assert shown.days["sun"].text() == ""
    assert shown.goal.currentData() == "desk-reset"
    assert shown.sound.isChecked()
    assert shown.voice.currentData() == "spoken"
    assert not shown.reduced_motion.isChecked()
    assert shown.folder_label.text() == "/data"


def test_ok_hands_back_an_edited_copy(qtbot: QtBot) -> None:
    original = replace(Settings(), unknown={"reminders": {"colour": "teal"}})
    shown = dialog(qtbot, original)
    shown.interval.setValue(25)
    shown.days["sat"].setText("10:00-11:00")
    shown.fixed_times.setText("10:30, 15:00")
    shown.tempo.setCurrentIndex(shown.tempo.findData("self-paced"))
    shown.start_at_login.setChecked(True)
    shown.voice.setCurrentIndex(shown.voice.findData("tones"))
    shown.reduced_motion.setChecked(True)
    with qtbot.waitSignal(shown.settings_accepted) as accepted:
        shown.ok_button.click()
    edited: Settings = accepted.args[0]
    assert edited.breaks.voice is VoiceMode.TONES
    assert edited.breaks.reduced_motion
    assert edited.reminders.interval_minutes == 25
    assert edited.reminders.working_hours["sat"] == (TimeRange(time(10), time(11)),)
    assert edited.reminders.fixed_times == (time(10, 30), time(15))
    assert edited.breaks.tempo is TempoMode.SELF_PACED
    assert edited.system.start_at_login
    assert edited.unknown == original.unknown
    assert original.reminders.interval_minutes == 50  # the original is untouched


def test_an_impossible_time_is_refused_with_the_field_marked(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    emitted: list[Settings] = []
    shown.settings_accepted.connect(emitted.append)
    shown.days["tue"].setText("09:00-17:61")
    shown.ok_button.click()
    assert shown.isVisible()
    assert emitted == []
    assert shown.days["tue"].property("invalid") is True
    assert shown.days["mon"].property("invalid") is False
    assert shown.problems.text() == "Tuesday: “09:00-17:61” is not a time range like 09:00-17:00"
    shown.days["tue"].setText("09:00-17:00")
    shown.ok_button.click()
    assert len(emitted) == 1
    assert not shown.isVisible()


def test_overlapping_ranges_and_bad_fixed_times_are_refused(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    shown.days["wed"].setText("09:00-12:00, 11:00-13:00")
    shown.fixed_times.setText("25:00")
    shown.ok_button.click()
    assert shown.isVisible()
    assert shown.days["wed"].property("invalid") is True
    assert shown.fixed_times.property("invalid") is True


def test_cancel_changes_nothing(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    emitted: list[Settings] = []
    shown.settings_accepted.connect(emitted.append)
    shown.interval.setValue(90)
    buttons = shown.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert emitted == []


def test_away_availability_is_shown_when_known(qtbot: QtBot) -> None:
    assert "unavailable" in dialog(qtbot, away=False).away_status.text()
    assert not hasattr(dialog(qtbot), "away_status")


def test_the_calls_page_shows_each_signal_and_hands_back_the_defer_table(qtbot: QtBot) -> None:
    states = [
        SignState("microphone", "PulseAudio"),
        SignState("fullscreen", None, "no X11 session"),
    ]
    settings = Settings(defer=DeferSettings(camera=False, grace_minutes=5))
    shown = SettingsDialog(
        settings, load_bundled_exercise(), Path("/data"), None, defer_states=states
    )
    qtbot.addWidget(shown)
    shown.show()
    page = shown.defer_page
    assert shown.tabs.tabText(shown.tabs.indexOf(page)) == "Calls"
    texts = {key: status.text() for key, status in page.sign_states.items()}
    assert texts == {
        "microphone": "Microphone: watching through PulseAudio",
        "camera": "Camera: not checked yet",
        "fullscreen": "Fullscreen: unavailable: no X11 session",
        "do_not_disturb": "Do not disturb: not checked yet",
    }
    assert page.signs["microphone"].isChecked()
    assert not page.signs["camera"].isChecked()
    assert page.grace.value() == 5
    page.signs["fullscreen"].setChecked(False)
    page.max_hours.setValue(4)
    with qtbot.waitSignal(shown.settings_accepted) as accepted:
        shown.ok_button.click()
    edited: Settings = accepted.args[0]
    assert edited.defer == DeferSettings(
        camera=False, fullscreen=False, grace_minutes=5, max_hours=4
    )


def test_every_setting_has_a_field_holding_the_schemas_range_and_choices(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    assert set(shown.inputs) == {field.key for field in FIELDS}
    for field in FIELDS:
        widget = shown.inputs[field.key]
        if isinstance(widget, QSpinBox):
            allowed = range_of(field.key)
            assert (widget.minimum(), widget.maximum()) == (allowed.low, allowed.high)
        elif isinstance(widget, QComboBox) and field.key != "break.goal":
            offered = tuple(widget.itemData(index) for index in range(widget.count()))
            assert offered == choices_of(field.key)
