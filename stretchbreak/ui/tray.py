"""The tray icon and its menu (the status window for desktops without a tray is its sibling).

The menu is rebuilt every time it opens, so "Next break at …" is never stale; both faces
offer the same intents and render the same ``TrayStatus``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from stretchbreak.ui.text import tr

#: Pause choices in minutes; None means "until the next working-hours start".
PAUSE_CHOICES: tuple[tuple[str, int | None], ...] = (
    ("30 min", 30),
    ("1 hour", 60),
    ("2 hours", 120),
    ("Until tomorrow", None),
)


class TrayState(StrEnum):
    ACTIVE = "active"
    DUE = "due"
    PAUSED = "paused"
    OFF_HOURS = "off-hours"
    #: A due break waits until the user is out of a call (``core.deferral``).
    WAITING = "waiting"


class TrayStatus(NamedTuple):
    """What the tray shows: its icon state and two short lines of text."""

    state: TrayState
    #: E.g. "Next break at 14:50 (in 23 min)" or "Paused until 15:30".
    line: str
    paused: bool


class TrayIntents(QObject):
    """The intents both faces emit.

    Signals: ``break_requested(str goal)``, ``pause_requested(object minutes_or_none)``,
    ``resume_requested()``, ``history_requested()``, ``settings_requested()``,
    ``welcome_requested()``, ``about_requested()``, ``problem_requested()`` (show the
    problem being reported, e.g. Settings at the bad key), ``quit_requested()``.
    """

    break_requested = Signal(str)
    pause_requested = Signal(object)
    resume_requested = Signal()
    history_requested = Signal()
    settings_requested = Signal()
    welcome_requested = Signal()
    about_requested = Signal()
    problem_requested = Signal()
    quit_requested = Signal()


def fill_menu(
    menu: QMenu,
    status: TrayStatus,
    goals: Sequence[tuple[str, str]],
    intents: TrayIntents,
    problem: str | None = None,
) -> None:
    """The tray menu; ``goals`` are (id, name) with the default goal first; a ``problem``
    being reported comes first, as an entry that opens where it can be fixed."""
    menu.clear()
    if problem:
        fix = menu.addAction(tr("⚠ {problem} — open Settings…").format(problem=problem))
        fix.triggered.connect(intents.problem_requested)
        menu.addSeparator()
    start = menu.addMenu(tr("Start a break now"))
    for goal_id, name in goals:
        action = start.addAction(name)
        action.triggered.connect(lambda _=False, g=goal_id: intents.break_requested.emit(g))
    info = menu.addAction(status.line)
    info.setEnabled(False)
    menu.addSeparator()
    pause = menu.addMenu(tr("Pause reminders"))
    for text, minutes in PAUSE_CHOICES:
        action = pause.addAction(tr(text))
        action.triggered.connect(lambda _=False, m=minutes: intents.pause_requested.emit(m))
    resume = menu.addAction(tr("Resume reminders"))
    resume.setEnabled(status.paused)
    resume.triggered.connect(intents.resume_requested)
    menu.addSeparator()
    menu.addAction(tr("History…")).triggered.connect(intents.history_requested)
    menu.addAction(tr("Settings…")).triggered.connect(intents.settings_requested)
    menu.addSeparator()
    menu.addAction(tr("Welcome…")).triggered.connect(intents.welcome_requested)
    menu.addAction(tr("About…")).triggered.connect(intents.about_requested)
    menu.addSeparator()
    menu.addAction(tr("Quit")).triggered.connect(intents.quit_requested)


def find_action(menu: QMenu, text: str) -> QAction | None:
    """The action with this text, in the menu or its submenus (for tests and accessibility)."""
    for action in menu.actions():
        if action.text() == text:
            return action
        sub = action.menu()
        if isinstance(sub, QMenu) and (found := find_action(sub, text)) is not None:
            return found
    return None


def tray_icon(icons: Path, state: TrayState) -> QIcon:
    """The state's icon from its pre-rendered PNG sizes (``scripts/make_icons.py``).

    PNGs, not the SVG sources: an SVG icon loads Qt's SVG module into the idle process.
    """
    icon = QIcon()
    for png in sorted((icons / "tray").glob(f"tray-{state}-*.png")):
        icon.addFile(str(png))
    return icon


class TrayIcon(QObject):
    """A left click starts the default break; the menu holds everything else."""

    def __init__(
        self,
        icons: Path,
        status: Callable[[], TrayStatus],
        goals: Callable[[], Sequence[tuple[str, str]]],
        intents: TrayIntents,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._icons = icons
        self._status = status
        self._goals = goals
        self.intents = intents
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.refresh_menu)
        self._shown: TrayState | None = None
        self.problem: str | None = None
        self._message_is_problem = False
        self.icon = QSystemTrayIcon(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_icon_activated)
        self.icon.messageClicked.connect(self._on_icon_message_clicked)
        self.refresh()

    def bind(
        self, status: Callable[[], TrayStatus], goals: Callable[[], Sequence[tuple[str, str]]]
    ) -> None:
        """Follow the real status and goals from now on (the face is shown before they exist)."""
        self._status = status
        self._goals = goals
        self.refresh()

    def refresh(self) -> None:
        """Icon and tooltip from the current status; cheap, so call it on every change."""
        status = self._status()
        if status.state != self._shown:
            # Only on a change: a new icon each time leaves old pixmaps for Qt's pixmap cache
            # to flush, which wakes the idle process every 10 s until it has.
            self.icon.setIcon(tray_icon(self._icons, status.state))
            self._shown = status.state
        tooltip = f"stretchbreak\n{status.line}"
        if self.problem:
            tooltip += f"\n⚠ {self.problem}"
        if self.icon.toolTip() != tooltip:
            self.icon.setToolTip(tooltip)
        # The menu is rebuilt as it opens; rebuilding it here too cost ~15 ms per change.
        if self.menu.isVisible():
            self.refresh_menu()

    def refresh_menu(self) -> None:
        fill_menu(self.menu, self._status(), self._goals(), self.intents, self.problem)

    def show(self) -> None:
        self.icon.show()

    def bring_forward(self) -> None:
        """Nothing to do: the tray icon is always in view."""

    def tray_area(self) -> QRect | None:
        return self.icon.geometry()

    def notify(self, title: str, text: str, quiet: bool = False) -> None:
        """A desktop notification; ``quiet`` ones carry no icon and stay up less long."""
        self._message_is_problem = False
        kind = (
            QSystemTrayIcon.MessageIcon.NoIcon if quiet else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(title, text, kind, 5_000 if quiet else 10_000)

    def show_problem(self, problem: str | None, detail: str = "", balloon: bool = True) -> None:
        """Report a problem in the tooltip and the menu, and once as a notification whose
        click (where the desktop reports clicks) asks to fix it; None clears it. No balloon
        when a desktop notification with its own "Open Settings" action was shown."""
        self.problem = problem
        self.refresh()
        if problem and balloon:
            self._message_is_problem = True
            hint = tr("The first entry of the tray menu opens Settings at this problem.")
            text = f"{detail}\n{hint}" if detail else hint
            self.icon.showMessage(problem, text, QSystemTrayIcon.MessageIcon.Warning, 20_000)

    def _on_icon_message_clicked(self) -> None:
        if self._message_is_problem:
            self.intents.problem_requested.emit()

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            goals = self._goals()
            if goals:
                self.intents.break_requested.emit(goals[0][0])
