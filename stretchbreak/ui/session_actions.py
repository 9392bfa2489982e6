"""What the guided window's keys do: Enter, Space, Esc, F1, the rest's and pause's letters,
the feelings' digits, and the "End this session?" question that Esc asks mid-set.

``SessionActions`` is the key half of ``SessionWindow``: the window builds the pages and
renders the runner's views; these methods turn a key into one of the runner's intents.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QPushButton, QStackedWidget, QWidget

from stretchbreak.core.session_values import Phase, SessionView, TempoMode
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.ui.confirm_bar import ConfirmBar
from stretchbreak.ui.done_view import DoneView
from stretchbreak.ui.guided_views import RestView, SetupView
from stretchbreak.ui.session_keys import FEELING_KEYS
from stretchbreak.ui.start_view import StartView
from stretchbreak.ui.text import tr
from stretchbreak.ui.tips_panel import TipsPanel
from stretchbreak.ui.window_keys import WindowKeys


class SessionActions:
    """The guided window's key actions; mixed into ``SessionWindow``, which holds the state."""

    _runner: SessionRunner
    _view: SessionView | None
    _confirming: bool
    _confirm_paused: bool
    _tips_paused: bool
    _feeling_shortcuts: list[QShortcut]
    keys: WindowKeys
    stack: QStackedWidget
    start_view: StartView
    setup_view: SetupView
    rest_view: RestView
    done_view: DoneView
    tips_panel: TipsPanel
    confirm_bar: ConfirmBar
    end_button: QPushButton

    if TYPE_CHECKING:  # the window's own, which these actions use

        def close(self) -> bool: ...
        def _show_page(self, page: QWidget) -> None: ...
        def _render_current(self) -> None: ...
        def _update_shortcuts(self) -> None: ...
        def _announce(self, text: str) -> None: ...

    def _bind_keys(self) -> None:
        """A focused control keeps Space and Enter; otherwise they are the view's actions."""
        assert isinstance(self, QWidget)
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
