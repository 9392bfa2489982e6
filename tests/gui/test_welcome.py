"""The welcome and About windows: what they say, their buttons, and the keyboard."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from stretchbreak.core.schedule import Activity, Status
from stretchbreak.core.welcome_facts import day_groups
from stretchbreak.core.working_hours import WorkingHours
from stretchbreak.ui.about import AboutWindow
from stretchbreak.ui.welcome import (
    WelcomeInfo,
    WelcomeWindow,
    hours_text,
    next_break_text,
    where_text,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)
INFO = WelcomeInfo("Your first break comes today at 10:50 (in 50 min).", "Mon–Fri 09:00", "x")


def test_the_next_break_is_said_in_words_inside_and_outside_working_hours() -> None:
    due = datetime(2026, 12, 7, 10, 50, tzinfo=BERLIN)
    inside = Status(Activity.ACTIVE, due.astimezone(UTC), None)
    assert next_break_text(inside, None, MONDAY_10, BERLIN) == (
        "Your first break comes today at 10:50 (in 50 min)."
    )
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)
    start = datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
    outside = Status(Activity.OUTSIDE_HOURS, datetime(2026, 12, 7, 9, 50, tzinfo=BERLIN), None)
    assert next_break_text(outside, start, saturday, BERLIN) == (
        "It is outside your working hours now; they begin Mon at 09:00. "
        "The first break comes Mon at 09:50."
    )
    paused = Status(Activity.PAUSED, None, datetime(2026, 12, 7, 11, 30, tzinfo=BERLIN))
    assert next_break_text(paused, None, MONDAY_10, BERLIN) == (
        "Reminders are paused until today at 11:30."
    )
    nothing = Status(Activity.OUTSIDE_HOURS, None, None)
    assert "none are set" in next_break_text(nothing, None, MONDAY_10, BERLIN)
    unplanned = Status(Activity.ACTIVE, None, None)
    assert "two weeks" in next_break_text(unplanned, None, MONDAY_10, BERLIN)


def test_the_working_hours_read_as_a_week() -> None:
    assert hours_text(day_groups(WorkingHours())) == "Mon–Fri 09:00–12:30, 13:30–17:30"
    assert hours_text(()) == "No working hours are set."


def test_the_tray_icon_is_placed_or_the_status_window_named() -> None:
    screen = QRect(0, 0, 1280, 800)
    top_right = where_text(QRect(1250, 2, 22, 22), screen)
    assert "in the system tray at the top right of the screen" in top_right
    assert "bottom left" in where_text(QRect(10, 780, 22, 22), screen)
    assert "in the system tray." in where_text(QRect(), screen)
    assert "in the system tray." in where_text(QRect(0, 0, 22, 22), screen), "not yet placed"
    assert "stands in for the tray icon" in where_text(None, None)


def welcome(qtbot: QtBot) -> WelcomeWindow:
    window = WelcomeWindow(INFO)
    qtbot.addWidget(window)
    return window


def test_the_welcome_says_what_when_and_where(qtbot: QtBot) -> None:
    window = welcome(qtbot)
    window.open_now()
    assert window.next_break.text() == INFO.next_break
    assert window.hours.text() == INFO.hours
    assert "Dynamic Back Stretch" in window.what.text()
    assert window.windowTitle() == "Welcome"


def test_try_and_hours_buttons_ask_for_their_windows(qtbot: QtBot) -> None:
    window = welcome(qtbot)
    window.open_now()
    with qtbot.waitSignal(window.hours_requested):
        window.hours_button.click()
    with qtbot.waitSignal(window.try_requested):
        window.try_button.click()
    assert not window.isVisible(), "trying the stretch closes the welcome"


def test_the_welcome_is_complete_by_keyboard(qtbot: QtBot) -> None:
    window = welcome(qtbot)
    window.open_now()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.focusWidget() is window.done_button
    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [window.hours_button, window.try_button, window.done_button]
    qtbot.keyClick(window.done_button, Qt.Key.Key_Return)
    assert not window.isVisible(), "Enter means Got it"
    window.open_now()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible(), "Esc closes it"
    for widget in window.findChildren(QPushButton):
        assert widget.accessibleName(), widget.text()
    assert window.accessibleName() == "Welcome to stretchbreak"


def test_shown_calmly_the_welcome_leaves_the_keyboard_where_it_is(qtbot: QtBot) -> None:
    typing = QLineEdit()
    qtbot.addWidget(typing)
    typing.show()
    typing.activateWindow()
    typing.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is typing)
    window = welcome(qtbot)
    window.open_calmly()
    assert window.isVisible()
    assert QApplication.activeWindow() is typing
    qtbot.keyClicks(typing, "abc")
    assert typing.text() == "abc"


def test_about_names_the_version_the_data_folder_and_the_docs(qtbot: QtBot, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# docs\n", encoding="utf-8")
    about = AboutWindow("1.2.3", tmp_path / "data", readme)
    qtbot.addWidget(about)
    about.open_now()
    assert about.heading.text() == "stretchbreak 1.2.3"
    assert about.folder.text() == str(tmp_path / "data")
    assert readme.as_uri() in about.docs.text()
    assert about.docs.openExternalLinks()
    with qtbot.waitSignal(about.welcome_requested):
        about.welcome_button.click()
    about.open_now()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is about)
    qtbot.keyClick(about.close_button, Qt.Key.Key_Return)
    assert not about.isVisible()
    for widget in [*about.findChildren(QPushButton), about.folder, about.docs]:
        assert isinstance(widget, QWidget)
        assert widget.accessibleName(), widget


def test_about_without_local_docs_says_where_they_are(qtbot: QtBot, tmp_path: Path) -> None:
    about = AboutWindow("1.2.3", tmp_path, None)
    qtbot.addWidget(about)
    assert "stretchbreak --help" in about.docs.text()
