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

from stretchbreak.app_reminders import STATE_NAME, Reminders
from stretchbreak.app_welcome import ProblemReport, Welcome
from stretchbreak.core.clock import Clock, SystemClock
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.session_log import MemorySessionLog, SessionLog
from stretchbreak.core.settings import Settings, VoiceMode
from stretchbreak.infra import autostart
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
from stretchbreak.infra.store_open import open_store
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.services.coordinator import Alarm
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.quit_signals import QuitSignals
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.sound_cues import SoundCues
from stretchbreak.services.timers import TickerFactory, WakeTimerFactory, qt_ticker, qt_wake_timer
from stretchbreak.services.voice import VoiceCoach
from stretchbreak.ui.app_icon import use_app_icon

if TYPE_CHECKING:
    # Imported where first used: an idle tray process never loads a window's code (and
    # its memory) until the user opens that window (docs/performance.md).
    from stretchbreak.infra.scheduler import BreakScheduler
    from stretchbreak.infra.voice_files import VoiceLibrary
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
        opening = open_store(paths.database, self.clock.now, tz=zone)
        self.store: Store | None = opening.store
        self.notices = [n for n in (loaded.notice, opening.notice) if n]
        if loaded.notice:  # the store's notice is logged where the store was opened
            log.warning("%s", loaded.notice)
        session_log: SessionLog = self.store if self.store else MemorySessionLog()
        self.runner = SessionRunner(self.clock, wake_timer)
        self._prepare_timer = wake_timer(self._on_prepare_timer_timeout)
        self.flow = BreakFlow(exercise, self.runner, session_log, _new_id, speed=speed)
        self.book = HistoryBook(self.store, self.clock, lambda: zone, unavailable=opening.notice)
        self.sounds = SoundCues(resources_dir() / "sounds", self.clock)
        self.voice = VoiceCoach(
            _voice_loader(), self.clock, wake_timer, tuple(c.title for c in exercise.setup), speed
        )
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
            face,
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

    def _connect(self) -> None:
        runner, flow = self.runner, self.flow
        runner.phase_changed.connect(self.sounds.on_phase_changed)
        runner.session_started.connect(self._on_runner_session_started)
        runner.session_started.connect(self.voice.on_session_started)
        runner.view_changed.connect(self.voice.on_view_changed)
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
            window.set_sound_available(self.sounds.check_available())
            self.sounds.availability_changed.connect(window.set_sound_available)
            self._session_window = window
            self._apply(self.settings)
            window.voice_requested.connect(self._on_session_window_voice_requested)
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

    def open_settings(self, key: str | None = None) -> None:
        """Show the dialog on a fresh copy of the current settings; only OK changes anything.

        ``key`` (a settings key such as ``reminders.working_hours``) opens it at that page."""
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
        dialog = SettingsDialog(self.settings, self.exercise, self.paths.data_dir, away)
        dialog.settings_accepted.connect(self._on_settings_dialog_settings_accepted)
        dialog.finished.connect(self._on_settings_dialog_finished)
        if self.notices:
            self.problems.fill(dialog, self.notices)
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
        self.voice.enabled = breaks.cues is VoiceMode.SPOKEN
        if not self.voice.enabled:
            self.voice.stop()
        self.sounds.enabled = breaks.cues is VoiceMode.TONES
        if self._session_window is not None:  # the window reads the voice files: no cost at start
            self._fall_back_to_tones(breaks.cues)
            self._session_window.set_voice(breaks.cues, breaks.reduced_motion)

    def _on_runner_session_started(self, _event: object = None) -> None:
        self._fall_back_to_tones(self.settings.breaks.cues)

    def _fall_back_to_tones(self, cues: VoiceMode) -> None:
        """A language without spoken cues gets tones (known once its files are read)."""
        if cues is VoiceMode.SPOKEN and not self.voice.has_voice:
            self.voice.enabled = False
            self.sounds.enabled = True

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
            return f"The settings were saved, but starting at login could not be changed: {error}"
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

    def _standing_notice(self) -> str:
        return "\n\n".join(self.notices)

    @property
    def history_window(self) -> HistoryWindow | None:
        """The history window once it has been opened."""
        return self._history_window

    def open_history(self) -> None:
        if self._history_window is None:
            from stretchbreak.ui.history_window import HistoryWindow

            use_app_icon(resources_dir() / "icons")
            self._history_window = HistoryWindow(self.book, self.exercise)
        self._history_window.open()

    def _on_flow_log_failed(self, message: str) -> None:
        log.error("%s", message)
        # The message already says whether the set is kept in memory or was refused.
        self.session_window().show_problem(message if message.endswith(".") else f"{message}.")

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
        self.welcome.close()
        self.quit_signals.close()

    def _close_log(self) -> None:
        if self.store is None:
            return
        if not self.store.retry_pending():
            log.error("sets not saved at exit: %s", ", ".join(self.store.pending))
        self.store.close()


def _voice_loader() -> Callable[[], VoiceLibrary | None]:
    """Reads the spoken cues of the desktop's language when first needed, not at start-up."""

    def load() -> VoiceLibrary | None:
        from PySide6.QtCore import QLocale

        from stretchbreak.infra.voice_files import load_voice

        return load_voice(resources_dir() / "voice", QLocale.system().name())

    return load


def _new_id() -> str:
    import uuid  # not at start-up: uuid loads platform, subprocess and more

    return uuid.uuid4().hex
