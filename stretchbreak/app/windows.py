"""The composition root's windows: the guided window, the settings dialog and the history,
each built on first use and then reused, and what the settings dialog's OK changes.

Part of ``App`` (``compose.py`` builds the objects these windows are given). Each window's
module is imported where it is first opened: an idle tray process never loads a window's
code (and its memory) until the user opens that window (docs/performance.md).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from stretchbreak.app.alarms import AlarmWiring
from stretchbreak.app.cues import BreakCues
from stretchbreak.app.welcome import ProblemReport
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.settings import Settings, VoiceMode
from stretchbreak.infra import autostart
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import resources_dir
from stretchbreak.infra.settings_file import SettingsNotSaved, save_settings
from stretchbreak.services.break_flow import BreakFlow, StartDefaults
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.log_keeper import LogKeeper
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory, WakeTimer
from stretchbreak.ui.app_icon import use_app_icon
from stretchbreak.ui.text import tr

if TYPE_CHECKING:
    from stretchbreak.ui.history_window import HistoryWindow
    from stretchbreak.ui.session_window import SessionWindow
    from stretchbreak.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

#: How long after a heads-up or prompt appears the guided window is built in the background.
PREPARE_DELAY_S = 0.3


def wire_session_window(window: SessionWindow, runner: SessionRunner, flow: BreakFlow) -> None:
    """The guided window's connections, made here and only here: by the app, and by the tests,
    screenshots and benchmarks that build a window, so that they run what users run. The
    runner's views and the flow's summaries (with the suggestion the flow decided) go to the
    window; its Start goes to the flow. The flow's ``choices_ready`` is left to the caller:
    the app builds the window only when a break opens."""
    runner.view_changed.connect(window.show_view)
    flow.summary_ready.connect(window.show_summary)
    window.start_requested.connect(flow.start)


class AppWindows:
    """The windows half of ``App``: the attributes below are set by ``App``'s init order."""

    paths: AppPaths
    exercise: Exercise
    settings: Settings
    notices: list[str]
    keeper: LogKeeper
    runner: SessionRunner
    flow: BreakFlow
    book: HistoryBook
    cues: BreakCues
    alarms: AlarmWiring
    problems: ProblemReport
    _ticker: TickerFactory
    _prepare_timer: WakeTimer
    _session_window: SessionWindow | None = None
    _history_window: HistoryWindow | None = None
    _settings_dialog: SettingsDialog | None = None

    # ------------------------------------------------------------------ guided window
    def _prepare_session_window(self) -> None:
        """The guided window is built when a break draws near (the heads-up, or the prompt
        itself when heads-ups are off), not when Start is clicked: building takes ~130 ms,
        reopening ~2 ms. The short delay lets the prompt paint first."""
        if self._session_window is None and not self._prepare_timer.armed:
            self._prepare_timer.arm(PREPARE_DELAY_S)

    def _on_prepare_timer_timeout(self) -> None:
        window = self.session_window()
        if not window.isVisible():
            window.prepare()

    def session_window(self) -> SessionWindow:
        if self._session_window is None:
            from stretchbreak.ui.session_window import SessionWindow

            use_app_icon(resources_dir() / "icons")
            window = SessionWindow(
                self.exercise,
                self.runner,
                self._ticker,
                state_file=self.paths.window_state,
            )
            wire_session_window(window, self.runner, self.flow)
            self.cues.attach(window)
            self._session_window = window
            self._apply(self.settings)
            window.voice_requested.connect(self._on_session_window_voice_requested)
            window.history_requested.connect(self.open_history)
            window.settings_requested.connect(self.open_settings)
            window.show_problem(self.standing_notice())
        return self._session_window

    def standing_notice(self) -> str:
        """What stays wrong until fixed: the settings file's problem, the history's."""
        return "\n\n".join(n for n in (*self.notices, self.keeper.notice) if n)

    def _on_session_window_voice_requested(self, mode: VoiceMode) -> None:
        """The sound button's cycle; any choice also lifts an old ``sound = false``."""
        wanted = replace(
            self.settings, breaks=replace(self.settings.breaks, voice=mode, sound=True)
        )
        problem = self.change_settings(wanted)
        if problem is not None:
            # The cues follow the button for this run; the file keeps what it had.
            self._apply(wanted)
            self.session_window().show_problem(problem)

    # ------------------------------------------------------------------ settings
    @property
    def settings_dialog(self) -> SettingsDialog | None:
        """The settings dialog while it is open."""
        return self._settings_dialog

    def open_settings(self, key: str | None = None) -> None:
        """Show the dialog on a fresh copy of the current settings; only OK changes anything.

        ``key`` (a settings key such as ``reminders.working_hours``) opens it at that page."""
        log.info("settings opened at %s", key or "the first page")
        if self._settings_dialog is not None:
            if key is not None:
                self._settings_dialog.show_page_for(key)
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        away = self.alarms.idle is not None
        from stretchbreak.ui.settings_dialog import SettingsDialog
        from stretchbreak.ui.window_geometry import fit_on_screen

        use_app_icon(resources_dir() / "icons")
        dialog = SettingsDialog(
            self.settings,
            self.exercise,
            self.paths.data_dir,
            away,
            defer_states=self.alarms.busy_states(),
        )
        dialog.settings_accepted.connect(self._on_settings_dialog_settings_accepted)
        dialog.finished.connect(self._on_settings_dialog_finished)
        notices = [n for n in (*self.notices, self.keeper.notice) if n]
        if notices:
            self.problems.fill(dialog, notices)
        self._settings_dialog = dialog
        if key is not None:
            dialog.show_page_for(key)
        fit_on_screen(dialog)
        dialog.show()
        fit_on_screen(dialog)  # again, now that the frame around it is known

    def change_settings(self, settings: Settings) -> str | None:
        """Save, then let everyone follow; returns what went wrong, for the caller to show
        where the user acted (the dialog, the guided window), or None. A failed save leaves
        the file and the running settings as they were."""
        try:
            save_settings(self.paths.settings, settings)
        except SettingsNotSaved as refused:
            log.error("%s", refused)
            return str(refused)
        self.problems.saved(self.notices)
        previous = self.settings
        self.settings = settings
        self._apply(settings)
        self.alarms.coordinator.change_settings(settings)
        if settings.system.start_at_login != previous.system.start_at_login:
            return self._set_autostart(settings.system.start_at_login)
        return None

    def _on_settings_dialog_settings_accepted(self, settings: Settings) -> None:
        problem = self.change_settings(settings)
        if problem is not None and self._settings_dialog is not None:
            self._settings_dialog.refuse_save(problem)

    def _on_settings_dialog_finished(self) -> None:
        self._settings_dialog = None

    def _apply(self, settings: Settings) -> None:
        breaks = settings.breaks
        self.flow.configure(StartDefaults(breaks.goal, breaks.tempo, breaks.rest_seconds))
        self.cues.apply(breaks)

    def _set_autostart(self, on: bool) -> str | None:
        try:
            entry = autostart.autostart_entry(
                sys.platform,
                os.environ,
                Path.home(),
                autostart.launch_command(sys.executable, self._data_dir_option()),
            )
            (autostart.enable if on else autostart.disable)(entry)
        except (OSError, ValueError) as error:
            log.warning("could not change start at login: %s", error)
            return tr(
                "The settings were saved, but starting at login could not be changed: {error}"
            ).format(error=error)
        log.info("start at login %s (%s)", "on" if on else "off", entry.location)
        return None

    def _data_dir_option(self) -> str | None:
        """The root to pass on at login, when this run keeps its files under one."""
        return str(self.paths.data_dir) if self.paths.data_dir == self.paths.config_dir else None

    # ------------------------------------------------------------------ history
    @property
    def history_window(self) -> HistoryWindow | None:
        """The history window once it has been opened."""
        return self._history_window

    def open_history(self) -> None:
        if self._history_window is None:
            from stretchbreak.ui.history_window import HistoryWindow

            use_app_icon(resources_dir() / "icons")
            self._history_window = HistoryWindow(
                self.book, self.exercise, state_file=self.paths.window_state
            )
        self._history_window.open()
