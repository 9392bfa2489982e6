"""The composition root: builds every object once, connects their signals, runs the loop.

Nothing else in the package creates long-lived objects or knows how they are wired.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from stretchbreak.app_cues import BreakCues
from stretchbreak.app_reminders import STATE_NAME, Reminders
from stretchbreak.app_welcome import ProblemReport, Welcome
from stretchbreak.core.clock import Clock, SystemClock
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.settings import Settings, VoiceMode
from stretchbreak.infra import autostart
from stretchbreak.infra.busy import Makers, platform_makers
from stretchbreak.infra.idle import IdleBackend, detect_idle_backend
from stretchbreak.infra.local_time import local_zone
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import resources_dir
from stretchbreak.infra.settings_file import (
    SettingsNotSaved,
    load_settings,
    remove_stale_temporaries,
    save_settings,
)
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import StoreOpening, open_store
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.services.coordinator import Alarm
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.log_keeper import LogKeeper
from stretchbreak.services.quit_signals import QuitSignals
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory, WakeTimerFactory, qt_ticker, qt_wake_timer
from stretchbreak.ui.app_icon import use_app_icon
from stretchbreak.ui.text import plural, tr

if TYPE_CHECKING:
    # Imported where first used: an idle tray process never loads a window's code (and
    # its memory) until the user opens that window (docs/performance.md).
    from stretchbreak.infra.scheduler import BreakScheduler
    from stretchbreak.ui.face import Face
    from stretchbreak.ui.history_window import HistoryWindow
    from stretchbreak.ui.session_window import SessionWindow
    from stretchbreak.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

WINDOW_STATE_NAME = "window-state.ini"
#: How long after a heads-up or prompt appears the guided window is built in the background.
PREPARE_DELAY_S = 0.3


class App:
    """Every long-lived object of one run; windows are built on first use and then reused."""

    def __init__(
        self,
        qt: QApplication,
        paths: AppPaths,
        exercise: Exercise,
        speed: float = 1.0,
        *,
        clock: Clock | None = None,
        wake_timer: WakeTimerFactory = qt_wake_timer,
        ticker: TickerFactory = qt_ticker,
        use_tray: bool = True,
        alarm: Callable[[], Alarm] | None = None,
        detect_idle: Callable[[], IdleBackend | None] | None = detect_idle_backend,
        face: Face | None = None,
        busy_makers: Callable[[], Makers] | None = platform_makers,
    ) -> None:
        self.qt = qt
        self.paths = paths
        self.exercise = exercise
        self.clock = clock or SystemClock()
        self._ticker = ticker
        for written in (paths.settings, paths.data_dir / STATE_NAME):
            for stale in remove_stale_temporaries(written):
                log.info("removed %s, left by a save that was cut short", stale)
        loaded = load_settings(paths.settings, self.clock.now)
        self.settings = loaded.settings
        zone = local_zone()
        had_log = paths.database.exists()  # before opening creates it: a first start or not

        def reopen() -> StoreOpening:
            return open_store(paths.database, self.clock.now, tz=zone)

        opening = reopen()
        #: What the user is told for the whole run: the settings file's problem, a damaged
        #: history moved aside. Why the history cannot be written *now* is the keeper's.
        self.notices = [loaded.notice] if loaded.notice else []
        if loaded.notice:  # the store's notice is logged by the keeper
            log.warning("%s", loaded.notice)
        if opening.store is not None and opening.notice:
            self.notices.append(opening.notice)
        self.keeper = LogKeeper(opening, reopen, wake_timer)
        self.runner = SessionRunner(self.clock, wake_timer)
        self._prepare_timer = wake_timer(self._on_prepare_timer_timeout)
        self.flow = BreakFlow(exercise, self.runner, self.keeper, _new_id, speed=speed)
        self.book = HistoryBook(opening.store, self.clock, lambda: zone, unavailable=opening.notice)
        self.cues = BreakCues(exercise, self.clock, wake_timer, speed)
        self.sounds, self.voice = self.cues.sounds, self.cues.voice
        self.quit_signals = QuitSignals()
        self._session_window: SessionWindow | None = None
        self._history_window: HistoryWindow | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._scheduler: BreakScheduler | None = None
        self._apply(self.settings)
        self._connect()
        self.reminders = Reminders(
            qt,
            self.clock,
            exercise,
            lambda: self.settings,
            self.flow,
            self.runner,
            self.keeper,
            paths.data_dir,
            speed,
            use_tray,
            alarm or self._start_scheduler,
            self.open_history,
            self.open_settings,
            detect_idle,
            face,
            busy_makers,
        )
        # The guided window is built when a break draws near (the heads-up, or the prompt
        # itself when heads-ups are off), not when Start is clicked: building takes ~130 ms,
        # reopening ~2 ms. The short delay lets the prompt paint first.
        coordinator = self.reminders.coordinator
        coordinator.heads_up.connect(lambda _due: self._prepare_session_window())
        coordinator.prompt_requested.connect(self._prepare_session_window)
        self.welcome = Welcome(
            self.clock, lambda: self.settings, self.reminders, paths.data_dir,
            lambda: self.flow.open(None), self.open_settings, speed,
        )  # fmt: skip
        self.welcome.greet_if_new(had_log, self.reminders.idle, wake_timer)
        self.problems = ProblemReport(loaded, self.reminders, self.open_settings)
        if self.keeper.notice:  # a tray app may show no window for hours: say it there too
            self._notify(tr("Your sets are kept in memory for now"), self.keeper.notice)

    def _connect(self) -> None:
        runner, flow = self.runner, self.flow
        self.cues.connect(runner)
        flow.choices_ready.connect(lambda choices: self.session_window().open_start(choices))
        flow.log_failed.connect(self._on_flow_log_failed)
        self.keeper.store_opened.connect(self._on_keeper_store_opened)
        self.keeper.saved_again.connect(self._on_keeper_saved_again)
        self.keeper.notice_changed.connect(self._on_keeper_notice_changed)
        # After the flow has logged them, finished sets and sessions refresh the history.
        for finished in (runner.set_completed, runner.set_abandoned, runner.session_ended):
            finished.connect(self._on_runner_logged)
        self.quit_signals.quit_requested.connect(self._on_quit_signals_quit_requested)
        # Whatever ends the loop, a set in progress is kept as partial before the log closes.
        self.qt.aboutToQuit.connect(runner.cancel)
        self.qt.aboutToQuit.connect(self.book.stop_imports)  # before the log closes
        self.qt.aboutToQuit.connect(self._close_log)
        self.qt.aboutToQuit.connect(self._stop_scheduler)

    def _prepare_session_window(self) -> None:
        if self._session_window is None and not self._prepare_timer.armed:
            self._prepare_timer.arm(PREPARE_DELAY_S)

    def _on_prepare_timer_timeout(self) -> None:
        window = self.session_window()
        if not window.isVisible():
            window.prepare()

    def _start_scheduler(self) -> Alarm:
        """APScheduler's import costs ~15 MiB and ~0.1 s: paid after the tray is up."""
        from stretchbreak.infra.scheduler import BreakScheduler

        self._scheduler = BreakScheduler()
        self._scheduler.start()
        return self._scheduler

    def _stop_scheduler(self) -> None:
        self.reminders.wake_watch.stop()
        if self._scheduler is not None:
            self._scheduler.shutdown()

    def session_window(self) -> SessionWindow:
        if self._session_window is None:
            from stretchbreak.ui.session_window import SessionWindow

            use_app_icon(resources_dir() / "icons")
            window = SessionWindow(
                self.exercise,
                self.runner,
                self._ticker,
                state_file=self.paths.config_dir / WINDOW_STATE_NAME,
            )
            self.cues.attach(window)
            self._session_window = window
            self._apply(self.settings)
            window.voice_requested.connect(self._on_session_window_voice_requested)
            window.start_requested.connect(self.flow.start)
            window.history_requested.connect(self.open_history)
            window.settings_requested.connect(self.open_settings)
            window.show_problem(self.standing_notice())
            self._session_window = window
        return self._session_window

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
        away = self.reminders.idle is not None
        from stretchbreak.ui.settings_dialog import SettingsDialog
        from stretchbreak.ui.window_geometry import fit_on_screen

        use_app_icon(resources_dir() / "icons")
        dialog = SettingsDialog(
            self.settings,
            self.exercise,
            self.paths.data_dir,
            away,
            defer_states=self.reminders.busy_states(),
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
        self.reminders.coordinator.change_settings(settings)
        if settings.system.start_at_login != previous.system.start_at_login:
            return self._set_autostart(settings.system.start_at_login)
        return None

    def _on_settings_dialog_settings_accepted(self, settings: Settings) -> None:
        problem = self.change_settings(settings)
        if problem is not None and self._settings_dialog is not None:
            self._settings_dialog.refuse_save(problem)

    def _apply(self, settings: Settings) -> None:
        breaks = settings.breaks
        self.flow.configure(breaks.goal, breaks.tempo, breaks.rest_seconds)
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

    def _on_settings_dialog_finished(self) -> None:
        self._settings_dialog = None

    @property
    def store(self) -> Store | None:
        """The open history, or None while it cannot be opened (sets wait in the keeper)."""
        store = self.keeper.store
        assert store is None or isinstance(store, Store)
        return store

    def standing_notice(self) -> str:
        """What stays wrong until fixed: the settings file's problem, the history's."""
        return "\n\n".join(n for n in (*self.notices, self.keeper.notice) if n)

    @property
    def history_window(self) -> HistoryWindow | None:
        """The history window once it has been opened."""
        return self._history_window

    def open_history(self) -> None:
        if self._history_window is None:
            from stretchbreak.ui.history_window import HistoryWindow

            use_app_icon(resources_dir() / "icons")
            self._history_window = HistoryWindow(
                self.book, self.exercise, state_file=self.paths.config_dir / WINDOW_STATE_NAME
            )
        self._history_window.open()

    def _on_flow_log_failed(self, message: str) -> None:
        log.error("%s", message)
        # The message already says whether the set is kept in memory or was refused.
        self.session_window().show_problem(message if message.endswith(".") else f"{message}.")

    def _on_runner_logged(self) -> None:
        store = self.keeper.store
        if store is not None and store.pending_count == 0 and self._session_window:
            self._session_window.show_problem(self.standing_notice())
        self.book.notify_changed()

    def _on_keeper_store_opened(self, store: Store) -> None:
        self.book.use_source(store)

    def _on_keeper_saved_again(self, message: str) -> None:
        """Said where the problem was shown: the guided window, and the tray if there is one."""
        if self._session_window is not None:
            self._session_window.show_problem(message)
        self._notify(tr("Your sets are saved again"), message)

    def _on_keeper_notice_changed(self, notice: str) -> None:
        self.book.use_source(None, notice)
        if self._session_window is not None:
            self._session_window.show_problem(self.standing_notice())
        self._notify(tr("Your sets are kept in memory for now"), notice)

    def _notify(self, title: str, text: str) -> None:
        tray = self.reminders.tray
        if tray is not None:
            tray.notify(title, text)

    def _on_quit_signals_quit_requested(self, number: int) -> None:
        log.info("quitting on signal %s", number)
        self.qt.quit()

    def close(self) -> None:
        """What quitting does, for a run that ends without the event loop ending."""
        self.runner.cancel()
        self._close_log()
        self._stop_scheduler()
        self.welcome.close()
        self.quit_signals.close()

    def _close_log(self) -> None:
        """Every change that still cannot be saved is named, in the log and on stderr, and
        said in a desktop notification, which outlives the app: a tray app's stderr is read
        by nobody."""
        unsaved = self.keeper.close()
        if unsaved:
            where = self.paths.database
            log.error("not saved to %s at exit: %s", where, "; ".join(unsaved))
            from stretchbreak.infra.notifications import DesktopNotifications

            DesktopNotifications().show(
                tr("Not everything could be saved"),
                tr("{count} could not be saved to {path}; the log in {logs} names each.").format(
                    count=plural(len(unsaved), tr("change"), tr("changes")),
                    path=where,
                    logs=self.paths.log_dir,
                ),
                [],
            )


def _new_id() -> str:
    import uuid  # not at start-up: uuid loads platform, subprocess and more

    return uuid.uuid4().hex
