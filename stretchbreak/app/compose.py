"""The composition root: builds every object of a run once, in one order, and connects them.

``INIT_ORDER`` below is that order, read top to bottom; each step is a method named
``_init_<step>`` and is logged as it runs (``init: <step>``). Every step may use what the
steps above it built, never what comes after. Each object that must be closed adds its
closing step to ``shutdown`` as it is built, so the way out (``shutdown.py``) follows the
same order. ``launch.py`` shows the face before any of this runs; the windows are built
on first use (``windows.py``).

Nothing else in the package creates long-lived objects or knows how they are wired.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from stretchbreak.app.alarms import AlarmWiring
from stretchbreak.app.context import Openers, Outside, RunContext
from stretchbreak.app.cues import BreakCues
from stretchbreak.app.reminders import ReminderWiring
from stretchbreak.app.shutdown import Shutdown, close_log
from stretchbreak.app.welcome import ProblemReport, Welcome
from stretchbreak.app.windows import PREPARE_DELAY_S, AppWindows
from stretchbreak.core.clock import SystemClock
from stretchbreak.core.exercise import Exercise
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.local_time import local_zone
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import resources_dir
from stretchbreak.infra.scheduler import BreakScheduler
from stretchbreak.infra.settings_file import load_settings, remove_stale_temporaries
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import StoreOpening, open_store
from stretchbreak.services.break_flow import BreakFlow, connect_runner
from stretchbreak.services.coordinator import Alarm
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.log_keeper import LogKeeper
from stretchbreak.services.quit_signals import QuitSignals
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.ui.face import show_face
from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import TrayIntents

if TYPE_CHECKING:
    from stretchbreak.infra.settings_file import LoadedSettings
    from stretchbreak.ui.face import Face

__all__ = ["INIT_ORDER", "PREPARE_DELAY_S", "App"]

log = logging.getLogger(__name__)

#: The one init order. Each name is a step ``App._init_<name>``; the comment says why it
#: comes where it does.
INIT_ORDER = (
    "files",  # leftovers of a cut-short save go before anything reads the files
    "settings",  # every later step is configured from them
    "history",  # the log (or the keeper's memory when it cannot open) before anything logs
    "session",  # runner and flow: the log is where their sets go
    "book",  # the history's reader, on the log just opened
    "cues",  # tones and voice follow the runner
    "quit_signals",  # SIGINT/SIGTERM quit cleanly from here on
    "connections",  # the session's signals, and the way out (shutdown)
    "face",  # the tray icon or status window (launch.py has shown it already)
    "alarms",  # alarm clock, away detection, busy signals, coordinator, wake watch
    "reminders",  # the face and the prompt follow the coordinator; then the first plan
    "first_start",  # the welcome on a first start (and About, from the menu)
    "problems",  # a broken settings file or log said where people look
)


class App(AppWindows):
    """Every long-lived object of one run; windows are built on first use and then reused."""

    def __init__(
        self,
        qt: QApplication,
        paths: AppPaths,
        exercise: Exercise,
        speed: float = 1.0,
        *,
        outside: Outside | None = None,
        face: Face | None = None,
        shutdown: Shutdown | None = None,
    ) -> None:
        """``outside`` holds the real clock, timers, alarm clock and detectors unless a test
        hands in fakes; ``face`` and ``shutdown`` are ``launch``'s when it made them first."""
        self.qt = qt
        self.paths = paths
        self.exercise = exercise
        self.speed = speed
        self._outside = outside = outside or Outside()
        self.clock = outside.clock or SystemClock()
        self.zone = local_zone()
        #: What every part of the run reads; the settings getter follows the dialog's OK.
        self.run = RunContext(self.clock, self.zone, exercise, lambda: self.settings, speed)
        self._wake_timer = outside.wake_timer
        self._ticker = outside.ticker
        self._face = face
        #: The one way out; ``launch`` passes its own and adds the lock's step after ours.
        self.shutdown = shutdown or Shutdown()
        self._scheduler: BreakScheduler | None = None
        for step in INIT_ORDER:
            log.info("init: %s", step)
            getattr(self, f"_init_{step}")()
        # Last: a signal that arrives while the steps above run still ends in a clean quit.
        self.shutdown.add("quit signals handed back", self.quit_signals.close)

    # ------------------------------------------------------------------ init order
    def _init_files(self) -> None:
        for written in (self.paths.settings, self.paths.schedule_state):
            for stale in remove_stale_temporaries(written):
                log.info("removed %s, left by a save that was cut short", stale)

    def _init_settings(self) -> None:
        self._loaded: LoadedSettings = load_settings(self.paths.settings, self.clock.now)
        self.settings = self._loaded.settings
        #: What the user is told for the whole run: the settings file's problem, a damaged
        #: history moved aside. Why the history cannot be written *now* is the keeper's.
        self.notices = [self._loaded.notice] if self._loaded.notice else []
        if self._loaded.notice:  # the store's notice is logged by the keeper
            log.warning("%s", self._loaded.notice)

    def _init_history(self) -> None:
        database, now, zone = self.paths.database, self.clock.now, self.zone
        self._had_log = database.exists()  # before opening creates it: a first start or not

        def reopen() -> StoreOpening:
            return open_store(database, now, tz=zone)

        self._opening = reopen()
        if self._opening.store is not None and self._opening.notice:
            self.notices.append(self._opening.notice)
        self.keeper = LogKeeper(self._opening, reopen, self._wake_timer)

    def _init_session(self) -> None:
        self.runner = SessionRunner(self.clock, self._wake_timer)
        self._prepare_timer = self._wake_timer(self._on_prepare_timer_timeout)
        self.flow = BreakFlow(self.exercise, self.keeper, _new_id, speed=self.speed)
        # First of the runner's listeners: each result is in the log before others hear of it.
        connect_runner(self.flow, self.runner)

    def _init_book(self) -> None:
        opening, zone = self._opening, self.zone
        self.book = HistoryBook(
            opening.store, self.clock, lambda: zone, opening.notice, write_file=write_export
        )

    def _init_cues(self) -> None:
        self.cues = BreakCues(self.exercise, self.clock, self._wake_timer, self.speed)
        self.sounds, self.voice = self.cues.sounds, self.cues.voice

    def _init_quit_signals(self) -> None:
        self.quit_signals = QuitSignals()

    def _init_connections(self) -> None:
        runner, flow, keeper, book = self.runner, self.flow, self.keeper, self.book
        self._apply(self.settings)
        self.cues.connect(runner)
        flow.choices_ready.connect(lambda choices: self.session_window().open_start(choices))
        flow.log_failed.connect(self._on_flow_log_failed)
        keeper.store_opened.connect(self._on_keeper_store_opened)
        keeper.saved_again.connect(self._on_keeper_saved_again)
        keeper.notice_changed.connect(self._on_keeper_notice_changed)
        # Finished sets and sessions refresh the history once the flow has logged them.
        flow.logged.connect(self._on_flow_logged)
        self.quit_signals.quit_requested.connect(self._on_quit_signals_quit_requested)
        # The way out, in this order: a set in progress is kept as partial before the log
        # closes; imports stop before it closes too.
        self.qt.aboutToQuit.connect(self.shutdown.run)
        self.shutdown.add("set in progress kept as partial", runner.cancel)
        self.shutdown.add("history imports stopped", book.stop_imports)
        self.shutdown.add("log closed", self._close_log)
        self.shutdown.add("alarm clock stopped", self._stop_scheduler)

    def _init_face(self) -> None:
        if self._face is None:  # a start through launch.py has shown it before the init
            use_tray = self._outside.use_tray
            self._face = show_face(use_tray, resources_dir() / "icons", TrayIntents())
        self.face: Face = self._face

    def _init_alarms(self) -> None:
        alarm = self._outside.alarm or self._start_scheduler  # APScheduler after the face
        self.alarms = AlarmWiring(
            self.run, alarm, self.keeper, self.paths.schedule_state, self._outside, self.runner
        )
        self.coordinator = self.alarms.coordinator
        self.coordinator.heads_up.connect(lambda _due: self._prepare_session_window())
        self.coordinator.prompt_requested.connect(self._prepare_session_window)

    def _init_reminders(self) -> None:
        self.opens = Openers(self.open_history, self.open_settings, lambda: self.flow.open(None))
        self.reminders = ReminderWiring(
            self.qt, self.run, self.alarms, self.flow, self.face, self.opens
        )
        self.alarms.start()  # the first plan, with the face and the prompt listening

    def _init_first_start(self) -> None:
        self.welcome = Welcome(
            self.run, self.coordinator, self.face, self.paths.data_dir, self.opens,
            lambda: self._session_window is not None and self._session_window.isVisible(),
        )  # fmt: skip
        self.welcome.greet_if_new(self._had_log, self.alarms.idle, self._wake_timer)
        self.shutdown.add("welcome's wait cancelled", self.welcome.close)

    def _init_problems(self) -> None:
        self.problems = ProblemReport(self._loaded, self.face, self.opens)
        if self.keeper.notice:  # a tray app may show no window for hours: say it there too
            self.face.notify(tr("Your sets are kept in memory for now"), self.keeper.notice)

    # ------------------------------------------------------------------ alarm clock
    def _start_scheduler(self) -> Alarm:
        """APScheduler's import costs ~15 MiB and ~0.1 s: paid after the tray is up."""
        self._scheduler = BreakScheduler()
        self._scheduler.start()
        return self._scheduler

    def _stop_scheduler(self) -> None:
        self.alarms.stop()
        if self._scheduler is not None:
            self._scheduler.shutdown()

    # ------------------------------------------------------------------ the log
    @property
    def store(self) -> Store | None:
        """The open history, or None while it cannot be opened (sets wait in the keeper)."""
        store = self.keeper.store
        assert store is None or isinstance(store, Store)
        return store

    def _on_flow_log_failed(self, message: str) -> None:
        log.error("%s", message)
        # The message already says whether the set is kept in memory or was refused.
        self.session_window().show_problem(message if message.endswith(".") else f"{message}.")

    def _on_flow_logged(self) -> None:
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
        self.face.notify(tr("Your sets are saved again"), message)

    def _on_keeper_notice_changed(self, notice: str) -> None:
        self.book.use_source(None, notice)
        if self._session_window is not None:
            self._session_window.show_problem(self.standing_notice())
        self.face.notify(tr("Your sets are kept in memory for now"), notice)

    def _close_log(self) -> None:
        close_log(self.keeper, self.paths.database, self.paths.log_dir)

    # ------------------------------------------------------------------ the way out
    def _on_quit_signals_quit_requested(self, number: int) -> None:
        log.info("quitting on signal %s", number)
        self.qt.quit()

    def close(self) -> None:
        """What quitting does, for a run that ends without the event loop ending."""
        self.shutdown.run("closed without the event loop")


def _new_id() -> str:
    return uuid.uuid4().hex
