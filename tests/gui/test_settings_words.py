"""The settings dialog speaks people's words, and a message goes once its field is fixed."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from stretchbreak.core.settings import Settings
from stretchbreak.core.settings_parse import SettingProblem, parse_settings
from stretchbreak.core.settings_schema import FIELDS
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.ui.settings_dialog import SettingsDialog
from stretchbreak.ui.settings_words import (
    LABELS,
    PAGES,
    field_label,
    field_problem,
    file_problem,
    page_for,
)


def dialog(qtbot: QtBot) -> SettingsDialog:
    made = SettingsDialog(Settings(), load_bundled_exercise(), Path("/data"), None)
    qtbot.addWidget(made)
    made.show()
    return made


def test_a_wrong_range_is_named_by_its_day_not_its_key() -> None:
    assert field_problem("reminders.working_hours.mon[0]", ["9-17"]) == (
        "Monday: “9-17” is not a time range like 09:00-17:00"
    )
    assert field_problem("reminders.working_hours.wed[1]", ["09:00-12:00", "11:00-13:00"]) == (
        "Wednesday: “11:00-13:00” overlaps “09:00-12:00”; the ranges of one day must not overlap"
    )
    assert field_problem("reminders.fixed_times[1]", ["10:30", "25:00"]) == (
        "Also remind at: “25:00” is not a time like 10:30"
    )


def test_an_item_that_is_fine_after_all_has_no_message() -> None:
    assert field_problem("reminders.working_hours.mon[0]", ["09:00-17:00"]) is None
    assert field_problem("reminders.working_hours.mon[1]", ["bad", "09:00-17:00"]) is None
    assert field_problem("reminders.working_hours.mon[3]", ["09:00-17:00"]) is None
    assert field_problem("reminders.fixed_times[0]", ["10:30"]) is None
    assert field_problem("reminders.interval_minutes", ["5"]) is None


def test_a_file_problem_is_led_by_the_field_name() -> None:
    parsed = parse_settings({"break": {"rest_seconds": 5000}, "reminders": {"intervall": 5}})
    words = [file_problem(problem) for problem in parsed.problems]
    assert any(w.startswith("Rest between sets: 5000 is out of range") for w in words), words
    unknown = next(w for w in words if "intervall" in w)
    overlap = parse_settings(
        {"reminders": {"working_hours": {"tue": ["09:00-12:00", "11:00-13:00"]}}}
    ).problems[0]
    assert file_problem(overlap).startswith('Tuesday: "11:00-13:00" overlaps')
    fixed = parse_settings({"reminders": {"fixed_times": ["7"]}}).problems[0]
    assert file_problem(fixed) == (
        "Also remind at: “7” is not a time like 10:30; the default is used until it is fixed"
    )
    not_text = parse_settings({"reminders": {"fixed_times": [7]}}).problems[0]
    assert file_problem(not_text).startswith("Also remind at: 7 is an integer")
    assert unknown.startswith("reminders.intervall is not a known setting")
    assert field_label("reminders.working_hours.sun[2]") == "Sunday"
    assert field_label("somewhere.else") is None


def test_each_key_opens_its_own_page() -> None:
    assert page_for("reminders.working_hours.mon[0]") == 0
    assert page_for("break.rest_seconds") == 1
    assert page_for("away.minutes") == 2
    assert page_for("defer.grace_minutes") == 3
    assert page_for("system.notifications") == 4
    assert page_for("system.start_at_login") == 5
    assert page_for("whatever") == 0
    assert page_for("") == 0


def test_the_message_goes_once_the_field_is_fixed(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    shown.days["mon"].setText("9-17")
    shown.fixed_times.setText("25:00")
    shown.ok_button.click()
    assert shown.problems.text() == (
        "Monday: “9-17” is not a time range like 09:00-17:00\n"
        "Also remind at: “25:00” is not a time like 10:30"
    )
    shown.days["mon"].setText("09:00-17:00")
    assert shown.days["mon"].property("invalid") is False
    assert shown.problems.text() == "Also remind at: “25:00” is not a time like 10:30"
    shown.fixed_times.setText("15:00")
    assert not shown.problems.isVisible()
    assert shown.fixed_times.property("invalid") is False


def test_opened_for_a_key_it_shows_that_page_and_field(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    shown.show_page_for("break.rest_seconds")
    assert shown.tabs.currentIndex() == 1
    shown.show_page_for("reminders.working_hours.thu[0]")
    assert shown.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: shown.days["thu"].hasFocus())


def test_problems_found_in_the_file_stay_listed_until_saved(qtbot: QtBot) -> None:
    shown = dialog(qtbot)
    key = "reminders.working_hours.mon[0]"
    problem = SettingProblem(key, f'{key} = "9-17" is not a valid time range')
    shown.show_file_problems((problem,), "")
    fallback = (
        "Monday: “9-17” is not a time range like 09:00-17:00; the default is used until it is fixed"
    )
    assert shown.problems.text() == fallback
    shown.days["tue"].setText("bad")
    shown.ok_button.click()
    assert shown.problems.text().splitlines() == [
        "Tuesday: “bad” is not a time range like 09:00-17:00",
        fallback,
    ]
    shown.show_file_problems((problem,), "The log could not be opened.")
    assert shown.problems.text().splitlines()[-2:] == [fallback, "The log could not be opened."]


def test_every_label_and_page_names_a_setting_or_table_of_the_schema() -> None:
    keys = {field.key for field in FIELDS}
    tables = {".".join(field.path[:depth]) for field in FIELDS for depth in (1, 2)}
    assert set(LABELS) <= keys | tables
    assert {prefix for prefixes in PAGES for prefix in prefixes} <= keys | tables


def test_every_setting_has_the_name_its_field_shows() -> None:
    """A problem in the file is told by the field's name, so every key needs one."""
    assert {field.key for field in FIELDS} - set(LABELS) == set()
