"""The design's rules on timers and shown text, checked on the whole package's source.

Each rule is proved on a snippet first (it catches what it should, and stays quiet on object
names, style sheets and keys), then run over ``stretchbreak/``; a failure names file and line.
"""

from __future__ import annotations

import pytest

from tests.source_rules import (
    TIMER_HOMES,
    python_files,
    relative,
    timer_uses,
    untranslated_messages,
    untranslated_text,
)

#: Where user-facing text is put on screen: the windows, the composition root, the services'
#: messages (tray line, save problems) the tray and windows show as they are.
TEXT_MODULES = ("ui/*.py", "app/*.py", "services/*.py")


def test_the_timer_rule_catches_every_way_to_a_qt_timer() -> None:
    snippet = """
from PySide6.QtCore import QTimer
from PySide6 import QtCore
a = QTimer()
QTimer.singleShot(0, print)
QtCore.QTimer.singleShot(0, print)
widget.startTimer(10)
"""
    lines = sorted({finding.line for finding in timer_uses(snippet, "x.py")})
    assert lines == [2, 4, 5, 6, 7]


def test_qtimer_is_made_only_by_the_timer_factory_and_the_alarm_adapter() -> None:
    found = [
        str(finding)
        for path in python_files("**/*.py")
        if relative(path) not in TIMER_HOMES
        for finding in timer_uses(path.read_text(encoding="utf-8"), relative(path))
    ]
    assert not found, (
        "Qt timers come from services/timers.py (passed in as a factory to infra): "
        + "; ".join(found)
    )


def test_the_timer_homes_still_exist() -> None:
    homes = {relative(path) for path in python_files("**/*.py")}
    assert set(TIMER_HOMES) <= homes


@pytest.mark.parametrize(
    "line",
    [
        'button.setText("Start")',
        'self.setWindowTitle("History")',
        'box.setToolTip(f"Next break at {at}")',
        'field.setPlaceholderText("e.g. 14:30")',
        'QLabel("Sets done", self)',
        'QPushButton("Skip")',
        'QAction(icon, "Quit", menu)',
        'tray.showMessage("stretchbreak", "Break time")',
        'tabs.addTab(page, "Calls")',
        'widget.setAccessibleName("Snooze menu")',
        'label("Welcome back", name="welcomeTitle")',
        'self.tray.notify("Break", body)',
        'window.show_problem("Could not save " + what)',
        'dialog.refuse_save("Fix the field first")',
        'status.setText("Paused" if paused else tr("Running"))',
        'table.setHorizontalHeaderLabels([tr("Day"), "Sets"])',
        'box.setText("{} sets".format(n))',
        'QPushButton(text="Skip")',
    ],
)
def test_the_text_rule_catches_shown_words_without_tr(line: str) -> None:
    assert untranslated_text(line, "x.py"), line


@pytest.mark.parametrize(
    "line",
    [
        'button.setText(tr("Start"))',
        'self.setWindowTitle("stretchbreak")',  # the app's name is never translated
        'box.setObjectName("primaryButton")',
        'self.setStyleSheet("QLabel { color: red; }")',
        'settings.setValue("window/geometry", data)',
        'label(tr("Welcome back"), name="welcomeTitle")',
        "status.setText(f\"{tr('Next')}: {when}\")",
        'tips.setText(f"<b>{_escape(name)}</b><br>{_escape(text)}")',
        'tips.setText(f"•&nbsp;{_escape(text)}")',
        'counter.setText(f"{done} / {total}")',
        'counter.setText(f"{minutes:02}:{seconds:02}")',
        "button.setText(words.start)",
        'button.setText("")',
        "menu.addAction(action)",
        'combo.addItem(tr("Off"), "off")',  # the data argument is a key
        'keys.get("Escape")',
    ],
)
def test_the_text_rule_stays_quiet_on_names_styles_and_keys(line: str) -> None:
    assert not untranslated_text(line, "x.py"), line


def test_shown_text_goes_through_tr() -> None:
    found = [
        str(finding)
        for path in python_files(*TEXT_MODULES)
        for finding in untranslated_text(path.read_text(encoding="utf-8"), relative(path))
    ]
    assert not found, "user-facing text goes through tr(): " + "; ".join(found)


@pytest.mark.parametrize(
    ("snippet", "caught"),
    [
        ('self.failed.emit(f"Could not save {what}")', True),
        ('self.failed.emit(tr("Could not save {what}").format(what=what))', False),
        ("self.changed.emit(store)", False),
        ('def line() -> str:\n    return "Paused"', True),
        ('def line() -> str:\n    return tr("Paused")', False),
        ('def key() -> int:\n    return "paused"', False),
        ('raise NotSaved("it waits in memory")', True),
        ('raise NotSaved(tr("it waits in memory"))', False),
        ('raise ValueError("interval_s must be positive")', False),  # for a programmer
        ('raise OSError(reason or "the history is unavailable")', True),  # the window shows it
        ('raise PermissionError(tr("The history is read-only."))', False),
        ('def hold(n: int) -> str:\n    return f"{n} s"', True),  # a unit is a word too
        ('def hold(n: int) -> str:\n    return tr("{n} s").format(n=n)', False),
        ('raise InvalidTransition("a session is already running")', False),
        ('log.warning("sound cues off: %s", reason)', False),
        ('raise CommandRejected(f"unknown goal {goal!r}")', False),  # the CLI's, in English
        ('def why() -> str | None:\n    return f"could not: {error}"', True),
    ],
)
def test_the_message_rule_tells_user_messages_from_programmer_ones(
    snippet: str, caught: bool
) -> None:
    assert bool(untranslated_messages(snippet, "x.py")) is caught, snippet


def test_the_messages_built_away_from_the_screen_go_through_tr() -> None:
    found = [
        str(finding)
        for path in python_files(*TEXT_MODULES)
        for finding in untranslated_messages(path.read_text(encoding="utf-8"), relative(path))
    ]
    assert not found, "text built for the user goes through tr(): " + "; ".join(found)
