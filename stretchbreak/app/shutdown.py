"""The one way out: every exit path runs the same ordered steps, once.

Whatever ends a run — Quit in the tray menu, ``stretchbreak quit``, SIGINT or SIGTERM (via
``QuitSignals``), a start that fails, or a test that closes the app without an event loop —
ends in ``Shutdown.run``. The app is tray-resident, so closing the last window is never a
way out (``keep_running_without_windows``); the event loop ending is (``aboutToQuit``).

The steps run in the order they were added, which is the order the init sequence built
their objects in (``compose.INIT_ORDER``), then the launch's own: the set in progress is
kept as partial before the log closes, the log closes before the alarm clock stops, and the
data folder's lock is let go of last, so no second app writes before this one is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from stretchbreak.ui.text import plural, tr

if TYPE_CHECKING:  # imported by launch before the app is built: kept light
    from stretchbreak.services.log_keeper import LogKeeper

log = logging.getLogger(__name__)


class Shutdown:
    """Named steps, run once in the order they were added; a failing step is logged and the
    rest still run, so one broken part never keeps the log open or the lock held."""

    def __init__(self) -> None:
        self._steps: list[tuple[str, Callable[[], object]]] = []
        self.done = False

    def add(self, name: str, step: Callable[[], object]) -> None:
        self._steps.append((name, step))

    def run(self, why: str = "the event loop ends") -> None:
        if self.done:
            return
        self.done = True
        log.info("shutting down: %s", why)
        for name, step in self._steps:
            log.debug("shutdown: %s", name)
            try:
                step()
            except Exception:  # the next steps (the log, the lock) matter more
                log.exception("shutdown step %r failed", name)


def keep_running_without_windows(qt: QApplication) -> None:
    """The app lives in the tray: closing a window never quits it, Quit does."""
    qt.setQuitOnLastWindowClosed(False)


def close_log(keeper: LogKeeper, database: Path, log_dir: Path) -> None:
    """Every change that still cannot be saved is named, in the log and on stderr, and said
    in a desktop notification, which outlives the app: a tray app's stderr is read by
    nobody."""
    unsaved = keeper.close()
    if not unsaved:
        return
    log.error("not saved to %s at exit: %s", database, "; ".join(unsaved))
    from stretchbreak.infra.notifications import DesktopNotifications

    DesktopNotifications().show(
        tr("Not everything could be saved"),
        tr("{count} could not be saved to {path}; the log in {logs} names each.").format(
            count=plural(len(unsaved), tr("change"), tr("changes")), path=database, logs=log_dir
        ),
        [],
    )
