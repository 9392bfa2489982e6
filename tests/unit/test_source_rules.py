"""The design's rules on timers, shown text and lazy imports, checked on the package's source.

Each rule is proved on a snippet first (it catches what it should, and stays quiet on object
names, style sheets and keys), then run over ``stretchbreak/``; a failure names file and line.
"""

from __future__ import annotations

import pytest

from tests.source_rules import (
    LAZY_SEAMS,
    TIMER_HOMES,
    function_imports,
    imports_outside_seams,
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
        # A text built into a name and handed on leaves for a message the rule cannot follow.
        (
            'def f(r):\n    what = f"set {r.index} of session {r.id}"\n    self._write(what, r)',
            True,
        ),
        ('def f(r):\n    what = tr("set {n}").format(n=r.index)\n    self._write(what, r)', False),
        ('def f(r):\n    what = f"set {r.index}"\n    log.info("%s waits", what)', False),
        (
            'def f(r):\n    count = f"{r.index}/{r.total}"\n    self._write(count, r)',
            False,
        ),  # no words
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


SPRINKLED = """
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stretchbreak.ui.prompt import PromptWindow


class Window:
    from os import sep

    def open(self) -> None:
        from stretchbreak.ui.prompt import PromptWindow

        def later() -> None:
            import uuid

    async def wait(self) -> None:
        import asyncio


def helper() -> None:
    if json:
        import datetime
"""


def test_the_import_rule_finds_every_import_in_a_function_body() -> None:
    found = [(f.function, f.line) for f in function_imports(SPRINKLED, "x.py")]
    # Not the module's imports, not TYPE_CHECKING's, not the class body's.
    assert found == [("Window.open", 13), ("Window.open.later", 16), ("Window.wait", 19),
                     ("helper", 24)]  # fmt: skip


def test_a_seam_allows_its_own_function_and_those_nested_in_it_only() -> None:
    seams = {("x.py", "Window.open"): "the window, when it opens"}
    left = [(f.function, f.statement) for f in imports_outside_seams(SPRINKLED, "x.py", seams)]
    assert left == [("Window.wait", "import asyncio"), ("helper", "import datetime")]


@pytest.mark.parametrize(
    ("path", "source"),
    [
        # A new sprinkled import in a module that has a seam, beside the seam …
        (
            "stretchbreak/app/windows.py",
            "class AppWindows:\n    def refresh(self):\n        import json\n",
        ),
        # … in a function named like a seam of another module …
        ("stretchbreak/app/compose.py", "def start_app():\n    import uuid\n"),
        # … and in a module with none.
        ("stretchbreak/core/stats.py", "def totals():\n    from datetime import date\n"),
    ],
)
def test_the_import_rule_fails_on_a_new_sprinkled_import(path: str, source: str) -> None:
    assert [str(f) for f in imports_outside_seams(source, path)]


def test_the_import_rule_lets_the_named_seams_through() -> None:
    source = "class AppWindows:\n    def open_history(self):\n        import json\n"
    assert imports_outside_seams(source, "stretchbreak/app/windows.py") == []


def test_imports_sit_at_the_top_except_at_the_named_seams() -> None:
    found = [
        str(found)
        for path in python_files("**/*.py")
        for found in imports_outside_seams(path.read_text(encoding="utf-8"), relative(path))
    ]
    assert not found, (
        "import at the top of the module, or name the seam in tests/source_rules.LAZY_SEAMS "
        "with its reason: " + "; ".join(found)
    )


def test_every_seam_still_imports_lazily_and_says_why_in_one_line() -> None:
    lazy = {
        (relative(path), found.function)
        for path in python_files("**/*.py")
        for found in function_imports(path.read_text(encoding="utf-8"), relative(path))
    }
    stale = [
        f"{path}: {function}"
        for path, function in LAZY_SEAMS
        if not any(p == path and (f == function or f.startswith(function + ".")) for p, f in lazy)
    ]
    assert not stale, "seams without a lazy import (take them off LAZY_SEAMS): " + "; ".join(stale)
    long = [seam for seam, reason in LAZY_SEAMS.items() if "\n" in reason or len(reason) > 90]
    assert not long, "one short line of reason each"
    assert all(reason.strip() for reason in LAZY_SEAMS.values())
