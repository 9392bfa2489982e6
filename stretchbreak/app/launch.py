"""Starting the app: the tray icon first, then everything else.

A start shows its face (tray icon or status window) as soon as Qt is up and this is known to
be the only instance, and logs ``ready`` from the first turn of the event loop. Only then
does it import and build the rest (store, settings, scheduler, windows: most of the start-up
time, see docs/performance.md). That second step runs inside a single event-loop callback,
so no click or command can reach the app half-built: they wait until it is done.

Every way out ends in the one ``Shutdown`` (``shutdown.py``), made here before the app so
that a start that fails leaves through it too; its last step lets go of the data folder's
lock, so no second app writes to the folder before this one has closed the log.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QLoggingCategory
from PySide6.QtWidgets import QApplication

from stretchbreak import APP_ID, __version__
from stretchbreak.app.shutdown import Shutdown, keep_running_without_windows
from stretchbreak.infra.instance import InstanceError, InstanceServer
from stretchbreak.infra.instance_start import claim, launch_request
from stretchbreak.infra.logs import setup_logging
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import resources_dir
from stretchbreak.services.timers import QtWakeTimer, on_next_turn
from stretchbreak.ui.face import Face, show_face
from stretchbreak.ui.translations import install_translations
from stretchbreak.ui.tray import TrayIntents

if TYPE_CHECKING:
    from stretchbreak.app.compose import App

log = logging.getLogger(__name__)


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
    try:
        paths.create_folders()
        setup_logging(paths.log_dir)
    except OSError as error:  # a data folder we may not write: one line, as for bad options
        print(
            f"stretchbreak: error: cannot use {error.filename}: {error.strerror}", file=sys.stderr
        )
        return 2
    log.info("stretchbreak %s starting (data in %s, speed ×%s)", __version__, paths.data_dir, speed)
    # Qt's multimedia backends report every audio server they did not find; our own log says
    # once whether sound works, which is all a user needs to know.
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt, QApplication)
    qt.setApplicationName("stretchbreak")
    qt.setApplicationDisplayName("stretchbreak")
    qt.setApplicationVersion(__version__)
    qt.setDesktopFileName(APP_ID)
    install_translations(qt, resources_dir() / "i18n")
    instance: InstanceServer | None = InstanceServer(timers=QtWakeTimer)
    assert instance is not None
    instance.hold()  # until the app's handlers are registered
    command, request = launch_request(goal, settings_only, opens_window)
    try:
        # Held for the whole process: no second app ever writes to this data folder.
        data_lock = claim(instance, paths.data_dir, command, request)
    except InstanceError as error:
        log.info("not started: %s", error)
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return 1
    if data_lock is None:
        return 0  # another launch won the race to start and took this one's wish
    if not instance.listening:
        instance = None
    keep_running_without_windows(qt)
    shutdown = Shutdown()
    # Until the app's own handling is in place, a quit signal is noted and obeyed right after.
    early_quit: list[int] = []
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda received, _frame: early_quit.append(received))
    face = show_face(use_tray, resources_dir() / "icons", TrayIntents())

    def build() -> None:
        # The monotonic stamp lets benchmarks/ measure process start → face shown from outside.
        log.info("ready (monotonic %.6f)", time.monotonic())
        try:
            app = build_app(qt, paths, speed, face, instance, shutdown)
        except Exception:  # a start that breaks half-way still leaves through shutdown
            log.exception("the app could not be built")
            print("stretchbreak: error: the app could not start; see the log", file=sys.stderr)
            app = None
        shutdown.add("data folder's lock let go", data_lock.release)
        if app is None:
            qt.exit(1)
            return
        if early_quit:
            log.info("quitting on signal %s", early_quit[0])
            qt.quit()
            return
        if settings_only:
            app.open_settings()
        elif opens_window:
            app.flow.open(goal)
        log.info("started (monotonic %.6f)", time.monotonic())

    on_next_turn(build)
    status = qt.exec()
    shutdown.run("the event loop ended")  # nothing more when aboutToQuit ran it
    log.info("stretchbreak stopped with status %s", status)
    return status


def build_app(
    qt: QApplication,
    paths: AppPaths,
    speed: float,
    face: Face,
    instance: InstanceServer | None,
    shutdown: Shutdown,
) -> App | None:
    """Everything behind the face (``compose``); None (after saying why) when the exercise
    cannot load."""
    from stretchbreak.app.compose import App
    from stretchbreak.core.exercise import ContentError
    from stretchbreak.infra.resources import load_bundled_exercise

    try:
        exercise = load_bundled_exercise()
    except (ContentError, FileNotFoundError) as error:
        log.error("cannot load the exercise: %s", error)
        print(f"stretchbreak: cannot load the exercise: {error}", file=sys.stderr)
        return None
    app = App(qt, paths, exercise, speed, face=face, shutdown=shutdown)
    if instance is not None:
        app.reminders.serve(instance)
        instance.release()
        shutdown.add("commands no longer taken", instance.close)
    return app
