"""The tray icon and its menu, and the small status window used where no tray exists.

The menu is rebuilt every time it opens, so "Next break at …" is never stale; both faces
offer the same intents and render the same ``TrayStatus``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QSystemTrayIcon, QVBoxLayout, QWidget

from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label
from stretchbreak.ui.window_style import STYLE

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


@dataclass(frozen=True)
class TrayStatus:
    """What the tray shows: its icon state and two short lines of text."""

    state: TrayState
    #: E.g. "Next break at 14:50 (in 23 min)" or "Paused until 15:30".
    line: str
    paused: bool


class TrayIntents(QObject):
    """The intents both faces emit.

    Signals: ``break_requested(str goal)``, ``pause_requested(object minutes_or_none)``,
    ``resume_requested()``, ``history_requested()``, ``settings_requested()``,
    ``quit_requested()``.
    """

    break_requested = Signal(str)
    pause_requested = Signal(object)
    resume_requested = Signal()
    history_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()


def fill_menu(
    menu: QMenu, status: TrayStatus, goals: Sequence[tuple[str, str]], intents: TrayIntents
) -> None:
    """The tray menu; ``goals`` are (id, name) with the default goal first."""
    menu.clear()
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
        self.icon = QSystemTrayIcon(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_icon_activated)
        self.refresh()

    def refresh(self) -> None:
        """Icon and tooltip from the current status; cheap, so call it on every change."""
        status = self._status()
        self.icon.setIcon(QIcon(str(self._icons / f"tray-{status.state}.svg")))
        self.icon.setToolTip(f"stretchbreak\n{status.line}")
        self.refresh_menu()

    def refresh_menu(self) -> None:
        fill_menu(self.menu, self._status(), self._goals(), self.intents)

    def show(self) -> None:
        self.icon.show()

    def notify(self, title: str, text: str) -> None:
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            goals = self._goals()
            if goals:
                self.intents.break_requested.emit(goals[0][0])


class StatusWindow(QWidget):
    """Where no tray exists: the same status and intents in a small ordinary window."""

    def __init__(
        self,
        status: Callable[[], TrayStatus],
        goals: Callable[[], Sequence[tuple[str, str]]],
        intents: TrayIntents,
        reason: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._status = status
        self._goals = goals
        self.intents = intents
        self.setWindowTitle("stretchbreak")
        self.setStyleSheet(STYLE)
        layout = QVBoxLayout(self)
        self.line = label(name="statusLine")
        self.reason = label(reason, name="tip")
        layout.addWidget(self.line)
        row = QHBoxLayout()
        self.start_button = QPushButton(tr("Start now"))
        self.start_button.setObjectName("primaryButton")
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.pause_button = QPushButton(tr("Pause"))
        self.pause_menu = QMenu(self.pause_button)
        self.pause_button.setMenu(self.pause_menu)
        self.pause_menu.aboutToShow.connect(self._fill_pause_menu)
        self.history_button = QPushButton(tr("History"))
        self.history_button.clicked.connect(intents.history_requested)
        self.settings_button = QPushButton(tr("Settings"))
        self.settings_button.clicked.connect(intents.settings_requested)
        self.quit_button = QPushButton(tr("Quit"))
        self.quit_button.clicked.connect(intents.quit_requested)
        for button in (
            self.start_button,
            self.pause_button,
            self.history_button,
            self.settings_button,
            self.quit_button,
        ):
            row.addWidget(button)
        layout.addLayout(row)
        layout.addWidget(self.reason)
        self.refresh()

    def refresh(self) -> None:
        status = self._status()
        self.line.setText(status.line)
        self._fill_pause_menu()

    def _fill_pause_menu(self) -> None:
        self.pause_menu.clear()
        status = self._status()
        if status.paused:
            self.pause_menu.addAction(tr("Resume reminders")).triggered.connect(
                self.intents.resume_requested
            )
        for text, minutes in PAUSE_CHOICES:
            action = self.pause_menu.addAction(tr(text))
            action.triggered.connect(
                lambda _=False, m=minutes: self.intents.pause_requested.emit(m)
            )

    def _on_start_button_clicked(self) -> None:
        goals = self._goals()
        if goals:
            self.intents.break_requested.emit(goals[0][0])

    def closeEvent(self, event: QCloseEvent) -> None:
        """The user closing the only face of the app minimises it: quitting is a choice of its
        own. A close the app itself sends (Quit, a signal, logging out) goes through."""
        if event.spontaneous():
            event.ignore()
            self.showMinimized()
        else:
            event.accept()
