"""The guided stretch window: its header, problem bar and shortcut strip around the pages,
showing the page for the session's phase.

It renders only what it is given and forwards what the user asks for; it never decides
timing or what to suggest, and it never writes anything but its own geometry. It connects
itself to nothing: the composition root (``app.windows.wire_session_window``) connects the
runner's views to ``show_view`` and the flow's summaries to ``show_summary``. The pages live in
``session_pages``, what the keys do in ``session_actions``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QCloseEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import Feeling
from stretchbreak.core.progression import Suggestion
from stretchbreak.core.session_values import Phase, SessionSummary, SessionView
from stretchbreak.core.settings import VoiceMode
from stretchbreak.core.target import Target
from stretchbreak.services.break_flow import StartChoices
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.confirm_bar import ConfirmBar
from stretchbreak.ui.session_actions import SessionActions
from stretchbreak.ui.session_keys import Page, announcement, keys_for
from stretchbreak.ui.session_pages import SessionPages
from stretchbreak.ui.sound_button import SoundButton
from stretchbreak.ui.text import target_text, tr
from stretchbreak.ui.widgets import ShortcutStrip, label
from stretchbreak.ui.window_geometry import GeometryMemory, fit_on_screen
from stretchbreak.ui.window_style import STYLE


class SessionWindow(SessionActions, QWidget):
    """Signals: ``start_requested(StartRequest)``, ``voice_requested(VoiceMode)``,
    ``history_requested()``, ``settings_requested()``. Slots: ``show_view(SessionView)``,
    ``show_summary(SessionSummary, Suggestion | None)``. The user's pause, resume, end and
    answer still go straight to the runner it is given.
    """

    start_requested = Signal(object)
    voice_requested = Signal(object)
    history_requested = Signal()
    settings_requested = Signal()

    def __init__(
        self,
        exercise: Exercise,
        runner: SessionRunner,
        ticker: TickerFactory,
        state_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._exercise = exercise
        self._runner = runner
        self._geometry = GeometryMemory(state_file, "session_window", QSize(960, 720))
        self._view: SessionView | None = None
        self._tips_paused = False
        self._confirming = False
        self._confirm_paused = False
        self.announcements: list[str] = []
        self._session_line = exercise.name
        # The exercise alone: the platform adds the app's display name ("… — stretchbreak").
        self.setWindowTitle(exercise.name)
        self.setMinimumSize(640, 480)
        self.setStyleSheet(STYLE)
        # The window itself may hold the keyboard: Enter and Space are then the view's actions.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 10)
        header = QHBoxLayout()
        self.heading = label(exercise.name, name="windowHeading")
        header.addWidget(self.heading, 1)
        self.sound_button = SoundButton()
        self.sound_button.mode_requested.connect(self.voice_requested)
        self.history_button = QPushButton(tr("History"))
        self.history_button.setAccessibleName(tr("Open the history of your sessions"))
        self.history_button.clicked.connect(self.history_requested)
        header.addWidget(self.history_button)
        self.settings_button = QPushButton(tr("Settings"))
        self.settings_button.setAccessibleName(tr("Open the settings"))
        self.settings_button.clicked.connect(self.settings_requested)
        header.addWidget(self.settings_button)
        self.tips_button = QPushButton(tr("Tips (F1)"))
        self.tips_button.setAccessibleName(tr("Show tips and questions"))
        self.tips_button.clicked.connect(self.toggle_tips)
        header.addWidget(self.sound_button)
        header.addWidget(self.tips_button)
        outer.addLayout(header)
        self.problem = label(name="problemBar")
        self.problem.setVisible(False)
        outer.addWidget(self.problem)

        self.pages = SessionPages(exercise, runner, ticker)
        self.stack = self.pages.stack
        self.start_view, self.setup_view = self.pages.start_view, self.pages.setup_view
        self.rep_view, self.rest_view = self.pages.rep_view, self.pages.rest_view
        self.done_view, self.tips_panel = self.pages.done_view, self.pages.tips_panel
        outer.addWidget(self.stack, 1)

        self.confirm_bar = ConfirmBar(self.keep_going, self.end_session)
        self.keep_button, self.end_button = (
            self.confirm_bar.keep_button,
            self.confirm_bar.end_button,
        )
        outer.addWidget(self.confirm_bar)

        self.shortcuts = ShortcutStrip()
        outer.addWidget(self.shortcuts)

        self.start_view.start_requested.connect(self.start_requested)
        self.done_view.feeling_chosen.connect(self._on_done_view_feeling_chosen)
        self.done_view.done_requested.connect(self.close)
        self.tips_panel.close_requested.connect(self.toggle_tips)
        self._bind_keys()
        self._show_page(self.start_view)

    # ------------------------------------------------------------------ opening
    def open_start(self, choices: StartChoices) -> None:
        """Show the start view with fresh choices, unless a session is running."""
        session = self._runner.session
        if session is None or session.phase.finished:
            self.start_view.show_choices(choices)
            self._view = None
            self._show_page(self.start_view)
            self.present()  # Enter and Space start at once; Tab goes on to the choices
            self.start_view.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.present()

    def prepare(self) -> None:
        """Do the costly part of a first show while nobody waits: native window, style, layout,
        fonts and glyphs (rendered once offscreen), so Start on a prompt paints at once."""
        self._geometry.restore(self)
        self.winId()
        self.grab()

    def present(self) -> None:
        """Show, raise and focus: the user asked for this window."""
        if not self.isVisible():
            self._geometry.restore(self)
        self.show()
        fit_on_screen(self)  # again, now that the frame around it is known
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        if QGuiApplication.platformName() != "offscreen":  # it has no window stack to raise
            self.raise_()
            self.activateWindow()

    def show_problem(self, text: str) -> None:
        """A problem the user must know about (a set that could not be saved yet)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self._announce(text)

    # ------------------------------------------------------------------ rendering
    def show_view(self, view: SessionView) -> None:
        """The runner's view of the session: the page for its phase, and the session line."""
        previous = self._view
        self._view = view
        if view.phase is Phase.OVERVIEW:
            return
        # A narrow window breaks the line only between its parts, never inside "4 s hold".
        parts = (
            self._exercise.name,
            self._runner_goal_name(),
            *target_text(self._target()).split(" · "),
        )
        self._session_line = " · ".join(part.replace(" ", "\u00a0") for part in parts)
        if self.stack.currentWidget() is not self.tips_panel:
            self._render_current()
        self._announce_change(previous, view)

    def _render_current(self) -> None:
        self._show_page(self.pages.page_for(self._view))

    def show_summary(self, summary: SessionSummary, suggestion: Suggestion | None) -> None:
        """A session's summary, again after each answer, with what to try next time."""
        self.pages.show_summary(summary, suggestion)

    def _on_done_view_feeling_chosen(self, feeling: Feeling) -> None:
        # The flow hears the answer from the runner and sends the summary back, with the
        # suggestion it implies, to ``show_summary``.
        self._runner.rate(feeling)

    def _show_page(self, page: QWidget) -> None:
        with self.keys.keep_keyboard_in_window(self.stack):
            self.stack.setCurrentWidget(page)
        # The start view names the exercise itself; other views need the session line.
        self.heading.setText("" if page is self.start_view else self._session_line)
        self.tips_button.setText(
            tr("Close tips (F1)") if page is self.tips_panel else tr("Tips (F1)")
        )
        self._update_shortcuts()

    def _update_shortcuts(self) -> None:
        page = self.pages.kind(self.stack.currentWidget())
        for shortcut in self._feeling_shortcuts:
            shortcut.setEnabled(page is Page.DONE and not self._confirming)
        self.shortcuts.show_keys(keys_for(page, self._view, self._confirming))

    # ------------------------------------------------------------------ accessibility
    def _announce_change(self, previous: SessionView | None, view: SessionView) -> None:
        text = announcement(previous, view)
        if text is not None:
            self._announce(text)

    def _announce(self, text: str) -> None:
        """Tell screen readers about a change they cannot see coming."""
        self.announcements.append(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))

    # ------------------------------------------------------------------ helpers
    def _runner_goal_name(self) -> str:
        session = self._runner.session
        return session.plan.goal.name if session else ""

    def _target(self) -> Target:
        session = self._runner.session
        assert session is not None
        return session.plan.target

    def set_voice(self, mode: VoiceMode, reduced_motion: bool = False) -> None:
        """Show the cue setting without announcing it back; still or moving figures."""
        self.sound_button.set_mode(mode)
        self.pages.set_reduced_motion(reduced_motion)

    def set_sound_available(self, available: bool) -> None:
        """Without an audio output the button says so, rather than claiming sound is on."""
        self.sound_button.set_available(available)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing mid-session ends it; every finished set is already in the log.

        A close the user asks of the window manager (Alt+F4, the title bar's button) during a
        set asks first, as Esc does; asked a second time, it ends the session.
        """
        session = self._runner.session
        view = self._view
        in_set = view is not None and not view.phase.finished and view.phase is not Phase.SETUP
        if event.spontaneous() and in_set and not self._confirming:
            event.ignore()
            self._ask_to_end()
            return
        if session is not None and not session.phase.finished:
            self._runner.cancel()
        self._confirming = False
        self.confirm_bar.setVisible(False)
        self._geometry.save(self)
        super().closeEvent(event)
