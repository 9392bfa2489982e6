"""The prompt never takes focus; the tray menu and the status window forward every intent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QApplication, QLineEdit, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from stretchbreak.infra.resources import resources_dir
from stretchbreak.ui.app_icon import app_icon, use_app_icon
from stretchbreak.ui.prompt import PromptInfo, PromptWindow
from stretchbreak.ui.status_window import StatusWindow
from stretchbreak.ui.tray import (
    TrayIcon,
    TrayIntents,
    TrayState,
    TrayStatus,
    find_action,
    tray_icon,
)

GOALS = [("desk-reset", "Desk-break reset"), ("warmup", "Warm-up before training")]


def status(paused: bool = False) -> TrayStatus:
    if paused:
        return TrayStatus(TrayState.PAUSED, "Paused until 15:30", True)
    return TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)


def test_the_prompt_is_shown_without_taking_focus(qtbot: QtBot) -> None:
    typing = QLineEdit()
    qtbot.addWidget(typing)
    typing.show()
    typing.activateWindow()
    typing.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is typing)
    prompt = PromptWindow()
    qtbot.addWidget(prompt)
    flags = prompt.windowFlags()
    for flag in (
        Qt.WindowType.Tool,
        Qt.WindowType.WindowStaysOnTopHint,
        Qt.WindowType.WindowDoesNotAcceptFocus,
    ):
        assert flags & flag
    assert prompt.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    prompt.show_prompt(PromptInfo("Desk-break reset", "1 set × 6–8", 1))
    assert prompt.isVisible()
    assert QApplication.activeWindow() is typing
    assert QApplication.focusWidget() is typing
    qtbot.keyClicks(typing, "still typing")
    assert typing.text() == "still typing"
    assert prompt.detail.text() == "Desk-break reset\n1 set × 6–8 · about 1 min"
    assert all(
        b.focusPolicy() is Qt.FocusPolicy.NoFocus for b in (prompt.start_button, prompt.skip_button)
    )


def test_the_prompt_sits_in_the_corner_near_the_tray(qtbot: QtBot) -> None:
    prompt = PromptWindow()
    qtbot.addWidget(prompt)
    prompt.show_prompt(PromptInfo("Recovery", "2 sets × 6", 3))
    area = prompt.screen().availableGeometry()
    assert prompt.geometry().right() <= area.right()
    assert prompt.geometry().bottom() <= area.bottom()
    assert prompt.x() > area.center().x()
    assert prompt.y() > area.center().y()


def test_prompt_buttons_start_snooze_and_skip(qtbot: QtBot) -> None:
    prompt = PromptWindow()
    qtbot.addWidget(prompt)
    with qtbot.waitSignal(prompt.start_requested):
        prompt.start_button.click()
    with qtbot.waitSignal(prompt.skip_requested):
        prompt.skip_button.click()
    snoozes = [a.text() for a in prompt.snooze_menu.actions()]
    assert snoozes == ["5 min", "10 min", "15 min"]
    with qtbot.waitSignal(prompt.snooze_requested) as snoozed:
        prompt.snooze_menu.actions()[1].trigger()
    assert snoozed.args == [10]


def tray(qtbot: QtBot, paused: bool = False) -> TrayIcon:
    return TrayIcon(resources_dir() / "icons", lambda: status(paused), lambda: GOALS, TrayIntents())


def test_the_tray_menu_offers_every_action_with_a_fresh_status(qtbot: QtBot) -> None:
    icon = tray(qtbot)
    icon.menu.aboutToShow.emit()
    texts = [a.text() for a in icon.menu.actions() if not a.isSeparator()]
    assert texts == [
        "Start a break now",
        "Next break at 14:50 (in 23 min)",
        "Pause reminders",
        "Resume reminders",
        "History…",
        "Settings…",
        "Welcome…",
        "About…",
        "Quit",
    ]
    resume = find_action(icon.menu, "Resume reminders")
    assert resume is not None
    assert not resume.isEnabled()
    assert icon.icon.toolTip() == "stretchbreak\nNext break at 14:50 (in 23 min)"
    assert not icon.icon.icon().isNull()


def test_tray_actions_emit_the_intents(qtbot: QtBot) -> None:
    icon = tray(qtbot, paused=True)
    icon.menu.aboutToShow.emit()  # the menu is filled as it opens
    intents = icon.intents
    cases = [
        ("Warm-up before training", intents.break_requested, ["warmup"]),
        ("1 hour", intents.pause_requested, [60]),
        ("Until tomorrow", intents.pause_requested, [None]),
        ("Resume reminders", intents.resume_requested, []),
        ("History…", intents.history_requested, []),
        ("Settings…", intents.settings_requested, []),
        ("Welcome…", intents.welcome_requested, []),
        ("About…", intents.about_requested, []),
        ("Quit", intents.quit_requested, []),
    ]
    for text, signal, args in cases:
        action = find_action(icon.menu, text)
        assert action is not None, text
        with qtbot.waitSignal(signal) as emitted:
            action.trigger()
        assert emitted.args == args, text


def test_a_left_click_starts_the_default_break(qtbot: QtBot) -> None:
    icon = tray(qtbot)
    with qtbot.waitSignal(icon.intents.break_requested) as started:
        icon.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert started.args == ["desk-reset"]


def test_every_tray_state_has_its_icon_in_every_tray_size(qtbot: QtBot) -> None:
    icons = resources_dir() / "icons"
    for state in TrayState:
        assert (icons / f"tray-{state}.svg").is_file(), "the source of the PNGs"
        icon = tray_icon(icons, state)
        sizes = sorted(size.width() for size in icon.availableSizes())
        assert sizes == [16, 22, 24, 32, 44, 48, 64], state
        assert not icon.pixmap(22, 22).isNull()


def test_the_status_window_offers_the_same_intents(qtbot: QtBot) -> None:
    intents = TrayIntents()
    window = StatusWindow(lambda: status(True), lambda: GOALS, intents, "No system tray here.")
    qtbot.addWidget(window)
    window.show()
    assert window.line.text() == "Paused until 15:30"
    assert window.reason.text() == "No system tray here."
    with qtbot.waitSignal(intents.break_requested) as started:
        window.start_button.click()
    assert started.args == ["desk-reset"]
    help_texts = [a.text() for a in window.help_menu.actions()]
    assert help_texts == ["Welcome…", "About…"]
    for action, signal in zip(
        window.help_menu.actions(),
        (intents.welcome_requested, intents.about_requested),
        strict=True,
    ):
        with qtbot.waitSignal(signal):
            action.trigger()
    pause_texts = [a.text() for a in window.pause_menu.actions()]
    assert pause_texts[0] == "Resume reminders"
    with qtbot.waitSignal(intents.pause_requested) as paused:
        window.pause_menu.actions()[1].trigger()
    assert paused.args == [30]
    for button, signal in (
        (window.history_button, intents.history_requested),
        (window.settings_button, intents.settings_requested),
        (window.quit_button, intents.quit_requested),
    ):
        with qtbot.waitSignal(signal):
            button.click()


class UserClose(QCloseEvent):
    """A close as the window manager delivers it when the user clicks the close button."""

    def spontaneous(self) -> bool:
        return True


def test_closing_the_status_window_by_hand_minimises_it_but_quitting_closes_it(
    qtbot: QtBot,
) -> None:
    window = StatusWindow(lambda: status(), lambda: GOALS, TrayIntents(), "")
    qtbot.addWidget(window)
    window.show()
    by_hand = UserClose()
    window.closeEvent(by_hand)
    assert not by_hand.isAccepted()
    assert window.isVisible()
    QApplication.closeAllWindows()  # what quitting the app sends
    assert not window.isVisible()


def test_the_window_icon_comes_in_every_size_without_svg(qtbot: QtBot) -> None:
    icon = app_icon(resources_dir() / "icons")
    sizes = sorted(size.width() for size in icon.availableSizes())
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    assert not icon.pixmap(48, 48).isNull()


def test_the_tray_icon_changes_only_when_its_state_does(qtbot: QtBot) -> None:
    paused = [False]
    icon = TrayIcon(
        resources_dir() / "icons", lambda: status(paused[0]), lambda: GOALS, TrayIntents()
    )
    first = icon.icon.icon().cacheKey()
    icon.refresh()
    assert icon.icon.icon().cacheKey() == first, "same state: the same icon, nothing to flush"
    paused[0] = True
    icon.refresh()
    assert icon.icon.icon().cacheKey() != first
    assert icon.icon.toolTip() == "stretchbreak\nPaused until 15:30"


def test_the_window_icon_is_given_once_when_a_window_needs_it(qapp: QApplication) -> None:
    qapp.setWindowIcon(QIcon())  # as at start: the tray's own window carries no icon
    use_app_icon(resources_dir() / "icons")
    given = qapp.windowIcon()
    assert sorted(s.width() for s in given.availableSizes()) == [16, 24, 32, 48, 64, 128, 256]
    use_app_icon(resources_dir() / "icons")
    assert qapp.windowIcon().cacheKey() == given.cacheKey(), "set once, not again"
