"""The guided stretch window: shows the view for the session's phase and maps keys to intents.

It renders only what the ``SessionRunner`` reports and forwards what the user asks for; it
never decides timing, and it never writes anything but its own geometry.
"""

from __future__ import annotations

from functools import partial
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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import Feeling
from stretchbreak.core.progression import smaller_target
from stretchbreak.core.session_values import Phase, SessionSummary, SessionView, TempoMode
from stretchbreak.core.settings import VoiceMode
from stretchbreak.core.target import Target
from stretchbreak.services.break_flow import StartChoices
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.confirm_bar import ConfirmBar
from stretchbreak.ui.done_view import DoneView
from stretchbreak.ui.figure import make_figure
from stretchbreak.ui.guided_views import RepView, RestView, SetupView
from stretchbreak.ui.session_keys import FEELING_KEYS, Page, announcement, keys_for
from stretchbreak.ui.sound_button import SoundButton
from stretchbreak.ui.start_view import StartView
from stretchbreak.ui.text import target_text, tr
from stretchbreak.ui.tips_panel import TipsPanel
from stretchbreak.ui.widgets import ShortcutStrip, label
from stretchbreak.ui.window_geometry import GeometryMemory, fit_on_screen
from stretchbreak.ui.window_keys import WindowKeys
from stretchbreak.ui.window_style import STYLE


class SessionWindow(QWidget):
    """Signals: ``start_requested(StartRequest)``, ``voice_requested(VoiceMode)``,
    ``history_requested()``, ``settings_requested()``.
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

        self.stack = QStackedWidget()
        self.start_view = StartView(exercise, make_figure(exercise, runner.clock, ticker))
        self.setup_view = SetupView(exercise, runner, ticker)
        self.rep_view = RepView(runner, ticker, exercise)
        self.rest_view = RestView(runner, ticker, exercise)
        self.done_view = DoneView(exercise)
        self.tips_panel = TipsPanel(exercise)
        views: list[QWidget] = [self.start_view, self.setup_view, self.rep_view, self.rest_view]
        views += [self.done_view, self.tips_panel]
        for page in views:
            self.stack.addWidget(page)
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
        runner.view_changed.connect(self._on_runner_view_changed)
        runner.session_ended.connect(self._on_runner_session_ended)
        self._pages = dict(zip(views, Page, strict=True))  # in Page's order: START … TIPS
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

    # ------------------------------------------------------------------ keys
    def _bind_keys(self) -> None:
        """A focused control keeps Space and Enter; otherwise they are the view's actions."""
        keys, runner = WindowKeys(self), self._runner
        keys.bind((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.primary_action, controls_first=True)
        keys.bind((Qt.Key.Key_Space,), self.space_action, controls_first=True)
        keys.bind((Qt.Key.Key_Escape,), self.escape_action)
        keys.bind((Qt.Key.Key_F1,), self.toggle_tips)
        keys.bind((Qt.Key.Key_Plus, Qt.Key.Key_Equal), runner.extend_rest)
        keys.bind((Qt.Key.Key_S,), runner.skip_rest)
        keys.bind((Qt.Key.Key_P,), runner.toggle_pause)
        # The feelings' own keys work on the summary only (digits belong to the target boxes).
        self._feeling_shortcuts = [
            shortcut
            for key, feeling in zip(FEELING_KEYS, self.done_view.feeling_buttons, strict=True)
            for shortcut in keys.bind((key,), partial(self.done_view.choose, feeling))
        ]
        self.keys = keys

    def primary_action(self) -> None:
        """Enter: Start, Ready, Continue or Done, whatever the view's main button is."""
        page = self.stack.currentWidget()
        if self._confirming:
            self.end_session()
        elif page is self.tips_panel:
            self.toggle_tips()
        elif page is self.start_view:
            self.start_view.request_start()
        elif page is self.done_view:
            self.close()
        elif self._view is not None and self._view.paused:
            self._runner.resume()
        elif page is self.setup_view:
            self._runner.ready()
        elif page is self.rest_view:
            self._runner.skip_rest()

    def space_action(self) -> None:
        """Space: next step when self-paced and waiting, otherwise pause or resume."""
        view = self._view
        if view is None or self._confirming or self.stack.currentWidget() is self.tips_panel:
            return
        if view.paused:
            self._runner.resume()
        elif view.tempo is TempoMode.SELF_PACED and view.waiting_for_user:
            if view.phase is Phase.SETUP:
                if not self._runner.next_cue():
                    self._runner.ready()
            else:
                self._runner.advance()
        else:
            self._runner.pause()

    def escape_action(self) -> None:
        """Esc: leave tips, dismiss the question, or cancel; a set in progress asks first."""
        page = self.stack.currentWidget()
        if self._confirming:
            self.keep_going()
        elif page is self.tips_panel:
            self.toggle_tips()
        elif page in (self.start_view, self.done_view):
            self.close()
        elif self._view is not None and self._view.phase is Phase.SETUP:
            self._runner.cancel()
            self._show_page(self.start_view)
        elif self._view is not None and not self._view.phase.finished:
            self._ask_to_end()

    def _ask_to_end(self) -> None:
        self._confirming = True
        self._confirm_paused = self._runner.pause()
        self.confirm_bar.setVisible(True)
        self.end_button.setFocus()
        self._update_shortcuts()
        self._announce(tr("End this session? Press Enter to end, Escape to keep going."))

    def keep_going(self) -> None:
        self._confirming = False
        self.confirm_bar.setVisible(False)
        if self._confirm_paused:
            self._runner.resume()
        self._update_shortcuts()

    def end_session(self) -> None:
        self._confirming = False
        self.confirm_bar.setVisible(False)
        self._runner.cancel()

    def toggle_tips(self) -> None:
        if self.stack.currentWidget() is self.tips_panel:
            self._tips_paused = False
            self._render_current()
            return
        view = self._view
        running = view is not None and not view.phase.finished and not view.paused
        self._tips_paused = running and self._runner.pause()
        self._show_page(self.tips_panel)

    # ------------------------------------------------------------------ rendering
    def _on_runner_view_changed(self, view: SessionView) -> None:
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
        view = self._view
        if view is None or view.phase is Phase.OVERVIEW:
            self._show_page(self.start_view)
            return
        if view.phase is Phase.SETUP:
            self.setup_view.show_view(view)
            self._show_page(self.setup_view)
        elif view.phase.in_rep:
            self.rep_view.show_view(view)
            self._show_page(self.rep_view)
        elif view.phase is Phase.REST:
            self.rest_view.show_view(view)
            self._show_page(self.rest_view)
        else:
            self._show_page(self.done_view)

    def _on_runner_session_ended(self, summary: SessionSummary) -> None:
        self._render_done(summary)

    def _render_done(self, summary: SessionSummary) -> None:
        goal = self._exercise.goal(summary.goal)
        smaller = smaller_target(goal, summary.target)
        self.done_view.show_summary(summary, smaller)

    def _on_done_view_feeling_chosen(self, feeling: Feeling) -> None:
        self._runner.rate(feeling)
        session = self._runner.session
        if session is not None and session.summary is not None:
            self._render_done(session.summary)

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
        current = self.stack.currentWidget()
        page = self._pages[current] if current is not None else Page.START
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
        for view in (self.start_view, self.setup_view, self.rep_view, self.rest_view):
            if view.figure is not None:
                view.figure.set_reduced_motion(reduced_motion)

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
