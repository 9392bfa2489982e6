"""The small status window that stands in for the tray icon where no tray exists.

It renders the same ``TrayStatus`` and emits the same ``TrayIntents`` as the tray icon. It
lives apart from ``tray`` so that a start with a tray never loads its widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import PAUSE_CHOICES, TrayIntents, TrayStatus
from stretchbreak.ui.widgets import label
from stretchbreak.ui.window_style import STYLE


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
        # One button for both, so the window still fits a 640-pixel-wide screen.
        self.help_button = QPushButton(tr("Help"))
        self.help_button.setAccessibleName(tr("Help: the welcome and About"))
        self.help_menu = QMenu(self.help_button)
        self.help_menu.addAction(tr("Welcome…")).triggered.connect(intents.welcome_requested)
        self.help_menu.addAction(tr("About…")).triggered.connect(intents.about_requested)
        self.help_button.setMenu(self.help_menu)
        self.quit_button = QPushButton(tr("Quit"))
        self.quit_button.clicked.connect(intents.quit_requested)
        for button in (
            self.start_button,
            self.pause_button,
            self.history_button,
            self.settings_button,
            self.help_button,
            self.quit_button,
        ):
            row.addWidget(button)
        layout.addLayout(row)
        self.problem = label(name="problemBar")
        self.problem_button = QPushButton(tr("Open Settings"))
        self.problem_button.setAccessibleName(tr("Open Settings to fix the problem"))
        self.problem_button.clicked.connect(intents.problem_requested)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem, 1)
        problem_row.addWidget(self.problem_button)
        layout.addLayout(problem_row)
        self.show_problem(None)
        layout.addWidget(self.reason)
        self.refresh()

    def bind(
        self, status: Callable[[], TrayStatus], goals: Callable[[], Sequence[tuple[str, str]]]
    ) -> None:
        """Follow the real status and goals from now on (the face is shown before they exist)."""
        self._status = status
        self._goals = goals
        self.refresh()

    def refresh(self) -> None:
        status = self._status()
        self.line.setText(status.line)
        self._fill_pause_menu()

    def show_problem(self, problem: str | None, detail: str = "", balloon: bool = True) -> None:
        """A problem to fix (None clears it), with a button to where it is fixed; the window
        shows it in place, so it has no balloon (``balloon`` is the tray icon's)."""
        text = f"⚠ {problem}" + (f"\n{detail}" if detail else "") if problem else ""
        self.problem.setText(text)
        self.problem.setVisible(bool(problem))
        self.problem_button.setVisible(bool(problem))

    def notify(self, title: str, text: str, quiet: bool = False) -> None:
        """Nothing: a window has no balloon of its own; the desktop notification, where a
        server shows one, is all there is."""

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()

    def tray_area(self) -> QRect | None:
        return None

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
