"""A problem reported by the tray and the status window leads to where it is fixed."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from stretchbreak.infra.resources import resources_dir
from stretchbreak.ui.status_window import StatusWindow
from stretchbreak.ui.tray import TrayIcon, TrayIntents, TrayState, TrayStatus, find_action

STATUS = TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)
PROBLEM = "The settings file has 1 problem"
DETAIL = "Monday: “9-17” is not a valid time range"


def tray() -> TrayIcon:
    return TrayIcon(resources_dir() / "icons", lambda: STATUS, lambda: (), TrayIntents())


def test_the_tooltip_and_the_menu_carry_the_problem_until_it_is_cleared(qtbot: QtBot) -> None:
    icon = tray()
    icon.show_problem(PROBLEM, DETAIL)
    assert icon.icon.toolTip() == f"stretchbreak\n{STATUS.line}\n⚠ {PROBLEM}"
    icon.menu.aboutToShow.emit()
    first = icon.menu.actions()[0]
    assert first.text() == f"⚠ {PROBLEM} — open Settings…"
    with qtbot.waitSignal(icon.intents.problem_requested):
        first.trigger()
    icon.show_problem(None)
    assert icon.icon.toolTip() == f"stretchbreak\n{STATUS.line}"
    icon.menu.aboutToShow.emit()
    assert find_action(icon.menu, f"⚠ {PROBLEM} — open Settings…") is None


def test_a_click_on_the_problem_notification_asks_to_fix_it_but_not_on_a_prompt(
    qtbot: QtBot,
) -> None:
    icon = tray()
    asked: list[bool] = []
    icon.intents.problem_requested.connect(lambda: asked.append(True))
    icon.show_problem(PROBLEM, DETAIL)
    icon.icon.messageClicked.emit()
    assert asked == [True]
    icon.notify("Time for a back stretch", "Desk-break reset")
    icon.icon.messageClicked.emit()
    assert asked == [True], "a click on the break notification is not about the problem"
    assert isinstance(icon.icon, QSystemTrayIcon)


def test_the_status_window_shows_the_problem_with_a_button_to_settings(qtbot: QtBot) -> None:
    intents = TrayIntents()
    window = StatusWindow(lambda: STATUS, lambda: (), intents, "")
    qtbot.addWidget(window)
    window.show()
    assert not window.problem.isVisible()
    assert not window.problem_button.isVisible()
    window.show_problem(PROBLEM, DETAIL)
    assert window.problem.text() == f"⚠ {PROBLEM}\n{DETAIL}"
    assert window.problem_button.accessibleName() == "Open Settings to fix the problem"
    with qtbot.waitSignal(intents.problem_requested):
        window.problem_button.click()
    window.show_problem(None)
    assert not window.problem.isVisible()
