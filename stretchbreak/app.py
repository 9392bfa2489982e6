"""The composition root: builds every object once, connects their signals, runs the loop.

Nothing else in the package creates long-lived objects or knows how they are wired.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLoggingCategory
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from stretchbreak import __version__
from stretchbreak.app_reminders import Reminders
from stretchbreak.core.clock import Clock, SystemClock
from stretchbreak.core.exercise import ContentError, Exercise
from stretchbreak.core.session_log import MemorySessionLog, SessionLog
from stretchbreak.core.settings import Settings
from stretchbreak.infra import autostart
from stretchbreak.infra.idle import IdleBackend, detect_idle_backend
from stretchbreak.infra.instance import InstanceError, InstanceServer, send_command, socket_name
from stretchbreak.infra.local_time import local_zone
from stretchbreak.infra.logs import setup_logging
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise, resources_dir
from stretchbreak.infra.settings_file import load_settings, save_settings
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import open_store
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.services.coordinator import Alarm
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.quit_signals import QuitSignals
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.sound_cues import SoundCues
from stretchbreak.services.timers import TickerFactory, WakeTimerFactory, qt_ticker, qt_wake_timer
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.session_window import SessionWindow
from stretchbreak.ui.settings_dialog import SettingsDialog
from stretchbreak.ui.translations import install_translations

if TYPE_CHECKING:
    from stretchbreak.infra.scheduler import BreakScheduler

log = logging.getLogger(__name__)

WINDOW_STATE_NAME = "window-state.ini"
#: The reverse-DNS id of the desktop entry, icon and metainfo.
APP_ID = "io.github.stretchbreak"


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
    ) -> None:
        self.qt = qt
        self.paths = paths
        self.exercise = exercise
        self.clock = clock or SystemClock()
        self._ticker = ticker
        loaded = load_settings(paths.settings, self.clock.now)
        self.settings = loaded.settings
        zone = local_zone()
        opening = open_store(paths.database, self.clock.now, tz=zone)
        self.store: Store | None = opening.store
        self.notices = [n for n in (loaded.notice, opening.notice) if n]
        for notice in self.notices:
            log.warning("%s", notice)
        session_log: SessionLog = self.store if self.store else MemorySessionLog()
        self.runner = SessionRunner(self.clock, wake_timer)
        self.flow = BreakFlow(exercise, self.runner, session_log, _new_id, speed=speed)
        self.book = HistoryBook(self.store, self.clock, lambda: zone, unavailable=opening.notice)
        self.sounds = SoundCues(resources_dir() / "sounds", self.clock)
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
            self.store,
            paths.data_dir,
            speed,
            use_tray,
            alarm or self._start_scheduler,
            self.open_history,
            self.open_settings,
            detect_idle,
        )

    def _connect(self) -> None:
        runner, flow = self.runner, self.flow
        runner.phase_changed.connect(self.sounds.on_phase_changed)
        flow.choices_ready.connect(lambda choices: self.session_window().open_start(choices))
        flow.log_failed.connect(self._on_flow_log_failed)
        # After the flow has logged them, finished sets and sessions refresh the history.
        for finished in (runner.set_completed, runner.set_abandoned, runner.session_ended):
            finished.connect(self._on_runner_logged)
        self.quit_signals.quit_requested.connect(self._on_quit_signals_quit_requested)
        # Whatever ends the loop, a set in progress is kept as partial before the log closes.
        self.qt.aboutToQuit.connect(runner.cancel)
        self.qt.aboutToQuit.connect(self._close_log)
        self.qt.aboutToQuit.connect(self._stop_scheduler)

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
            window = SessionWindow(
                self.exercise,
                self.runner,
                self._ticker,
                state_file=self.paths.config_dir / WINDOW_STATE_NAME,
            )
            window.set_sound(self.settings.breaks.sound)
            window.sound_toggled.connect(self._on_session_window_sound_toggled)
            window.start_requested.connect(self.flow.start)
            window.history_requested.connect(self.open_history)
            window.settings_requested.connect(self.open_settings)
            window.show_problem(self._standing_notice())
            self._session_window = window
        return self._session_window

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        """The settings dialog while it is open."""
        return self._settings_dialog

    def open_settings(self) -> None:
        """Show the dialog on a fresh copy of the current settings; only OK changes anything."""
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        away = self.reminders.idle is not None
        dialog = SettingsDialog(self.settings, self.exercise, self.paths.data_dir, away)
        dialog.settings_accepted.connect(self.change_settings)
        dialog.finished.connect(self._on_settings_dialog_finished)
        if self.notices:
            dialog.problems.setText("\n\n".join(self.notices))
            dialog.problems.setVisible(True)
        self._settings_dialog = dialog
        dialog.show()

    def change_settings(self, settings: Settings) -> None:
        """Save first (a failed save is reported, never silent), then let everyone follow."""
        previous = self.settings
        try:
            save_settings(self.paths.settings, settings)
        except OSError as error:
            log.error("could not save %s: %s", self.paths.settings, error)
            self._tell(f"Could not save the settings to {self.paths.settings}: {error}")
        self.settings = settings
        self._apply(settings)
        self.reminders.coordinator.change_settings(settings)
        if settings.system.start_at_login != previous.system.start_at_login:
            self._set_autostart(settings.system.start_at_login)

    def _apply(self, settings: Settings) -> None:
        breaks = settings.breaks
        self.flow.configure(breaks.goal, breaks.tempo, breaks.rest_seconds)
        self.sounds.enabled = breaks.sound
        if self._session_window is not None:
            self._session_window.set_sound(breaks.sound)

    def _set_autostart(self, on: bool) -> None:
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
            self._tell(f"Could not change starting at login: {error}")
            return
        log.info("start at login %s (%s)", "on" if on else "off", entry.location)

    def _data_dir_option(self) -> str | None:
        """The root to pass on at login, when this run keeps its files under one."""
        return str(self.paths.data_dir) if self.paths.data_dir == self.paths.config_dir else None

    def _on_session_window_sound_toggled(self, on: bool) -> None:
        self.change_settings(replace(self.settings, breaks=replace(self.settings.breaks, sound=on)))

    def _on_settings_dialog_finished(self) -> None:
        self._settings_dialog = None

    def _standing_notice(self) -> str:
        return "\n\n".join(self.notices)

    def _tell(self, text: str) -> None:
        self.session_window().show_problem(text)

    @property
    def history_window(self) -> HistoryWindow | None:
        """The history window once it has been opened."""
        return self._history_window

    def open_history(self) -> None:
        if self._history_window is None:
            self._history_window = HistoryWindow(self.book, self.exercise)
        self._history_window.open()

    def _on_flow_log_failed(self, message: str) -> None:
        log.error("%s", message)
        self.session_window().show_problem(
            f"{message}. It is kept and will be saved again with the next set."
        )

    def _on_runner_logged(self) -> None:
        if self.store is not None and self.store.pending_count == 0 and self._session_window:
            self._session_window.show_problem(self._standing_notice())
        self.book.notify_changed()

    def _on_quit_signals_quit_requested(self, number: int) -> None:
        log.info("quitting on signal %s", number)
        self.qt.quit()

    def close(self) -> None:
        """What quitting does, for a run that ends without the event loop ending."""
        self.runner.cancel()
        self._close_log()
        self._stop_scheduler()
        self.quit_signals.close()

    def _close_log(self) -> None:
        if self.store is None:
            return
        if not self.store.retry_pending():
            log.error("sets not saved at exit: %s", ", ".join(self.store.pending))
        self.store.close()


def run(
    paths: AppPaths,
    *,
    speed: float = 1.0,
    use_tray: bool = True,
    goal: str | None = None,
    settings_only: bool = False,
    opens_window: bool = False,
) -> int:
    """Start the app and return its exit status.

    Without a command it starts quietly in the tray; ``break`` also opens the guided window
    and ``settings`` the settings dialog.
    """
    paths.create_folders()
    setup_logging(paths.log_dir)
    log.info("stretchbreak %s starting (data in %s, speed ×%s)", __version__, paths.data_dir, speed)
    try:
        exercise = load_bundled_exercise()
    except (ContentError, FileNotFoundError) as error:
        print(f"stretchbreak: cannot load the exercise: {error}", file=sys.stderr)
        return 1
    # Qt's multimedia backends report every audio server they did not find; our own log says
    # once whether sound works, which is all a user needs to know.
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt, QApplication)
    qt.setApplicationName("stretchbreak")
    qt.setApplicationDisplayName("stretchbreak")
    qt.setApplicationVersion(__version__)
    qt.setDesktopFileName(APP_ID)
    qt.setWindowIcon(QIcon(str(resources_dir() / "icons" / f"{APP_ID}.svg")))
    install_translations(qt, resources_dir() / "i18n")
    name = socket_name(paths.data_dir)
    instance: InstanceServer | None = InstanceServer()
    assert instance is not None
    command, request = launch_request(goal, settings_only, opens_window)
    try:
        if not instance.listen(name):
            # Another launch won the race to start: hand this one's wish over and leave.
            send_command(name, command, request)
            return 0
    except InstanceError as error:
        log.warning("%s; other launches cannot reach this one", error)
        instance = None
    # The app lives in the tray: closing a window never quits it, Quit does.
    qt.setQuitOnLastWindowClosed(False)
    app = App(qt, paths, exercise, speed, use_tray=use_tray)
    if instance is not None:
        app.reminders.serve(instance, app.open_settings)
        qt.aboutToQuit.connect(instance.close)
    if settings_only:
        app.open_settings()
    elif opens_window:
        app.flow.open(goal)
    log.info("ready")
    status = qt.exec()
    app.quit_signals.close()
    log.info("stretchbreak stopped with status %s", status)
    return status


def launch_request(
    goal: str | None, settings_only: bool, opens_window: bool
) -> tuple[str, dict[str, object]]:
    """What a launch asks of an instance that already runs."""
    if settings_only:
        return "settings", {}
    if opens_window:
        return "break", ({"goal": goal} if goal else {})
    return "show", {}


def _new_id() -> str:
    return uuid.uuid4().hex
