"""The composition root: builds every object once, connects their signals, runs the loop.

Nothing else in the package creates long-lived objects or knows how they are wired.
"""

from __future__ import annotations

import logging
import sys
import uuid

from PySide6.QtCore import QLoggingCategory
from PySide6.QtWidgets import QApplication

from stretchbreak import __version__
from stretchbreak.core.clock import SystemClock
from stretchbreak.core.exercise import ContentError
from stretchbreak.core.session_log import MemorySessionLog
from stretchbreak.infra.logs import setup_logging
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise, resources_dir
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.services.quit_signals import QuitSignals
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.sound_cues import SoundCues
from stretchbreak.services.timers import qt_ticker, qt_wake_timer
from stretchbreak.ui.session_window import SessionWindow

log = logging.getLogger(__name__)

WINDOW_STATE_NAME = "window-state.ini"


def run(
    paths: AppPaths, *, speed: float = 1.0, use_tray: bool = True, goal: str | None = None
) -> int:
    """Start the app and return its exit status."""
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
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("stretchbreak")
    app.setApplicationDisplayName("stretchbreak")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("stretchbreak")

    clock = SystemClock()
    session_log = MemorySessionLog()
    runner = SessionRunner(clock, qt_wake_timer)
    flow = BreakFlow(exercise, runner, session_log, lambda: uuid.uuid4().hex, speed=speed)
    sounds = SoundCues(resources_dir() / "sounds", clock, enabled=True)
    windows: list[SessionWindow] = []

    def session_window() -> SessionWindow:
        """Built on first use and then reused, so every later open paints at once."""
        if not windows:
            window = SessionWindow(
                exercise, runner, qt_ticker, state_file=paths.config_dir / WINDOW_STATE_NAME
            )
            window.sound_toggled.connect(lambda on: setattr(sounds, "enabled", on))
            window.start_requested.connect(flow.start)
            windows.append(window)
        return windows[0]

    quit_signals = QuitSignals()
    runner.phase_changed.connect(sounds.on_phase_changed)
    flow.choices_ready.connect(lambda choices: session_window().open_start(choices))
    flow.log_failed.connect(lambda message: log.error("%s", message))
    quit_signals.quit_requested.connect(lambda number: _quit(app, number))
    # Whatever ends the loop, a set in progress is kept as partial before the process goes.
    app.aboutToQuit.connect(runner.cancel)
    flow.open(goal)
    log.info("ready")
    status = app.exec()
    quit_signals.close()
    log.info("stretchbreak stopped with status %s", status)
    return status


def _quit(app: QApplication, number: int) -> None:
    log.info("quitting on signal %s", number)
    app.quit()
