"""The app's face: the tray icon, or a small status window where no tray exists.

It is the first thing a start shows, before the rest of the app is built (see
``stretchbreak.app.launch``): until ``bind`` connects the real status it says "Starting…".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QSystemTrayIcon

from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import TrayIcon, TrayIntents, TrayState, TrayStatus

log = logging.getLogger(__name__)


class Face(Protocol):
    """What the app asks of its face, whichever it is (``TrayIcon`` or ``StatusWindow``):
    the root talks to this, never to one of them, so it needs no branch per face."""

    #: What the user asks for through the face (a break, a pause, a window, quitting).
    intents: TrayIntents

    def show(self) -> None: ...

    def bind(
        self, status: Callable[[], TrayStatus], goals: Callable[[], Sequence[tuple[str, str]]]
    ) -> None:
        """Follow the real status and goals from now on."""
        ...

    def refresh(self) -> None:
        """Show the current status again (cheap: called on every change)."""
        ...

    def notify(self, title: str, text: str, quiet: bool = False) -> None:
        """A message of the face's own, for when no desktop notification was shown."""
        ...

    def show_problem(self, problem: str | None, detail: str = "", balloon: bool = True) -> None:
        """Report a problem to fix, or clear it (None)."""
        ...

    def bring_forward(self) -> None:
        """Put the face in front, for a second launch without a command."""
        ...

    def tray_area(self) -> QRect | None:
        """Where on the screen the tray icon sits, None for a face that is no tray icon."""
        ...


NO_TRAY = (
    "No system tray was found on this desktop (on GNOME it needs the AppIndicator extension), "
    "so stretchbreak shows this small window instead. Closing it minimises it."
)
FORCED = "Started with --no-tray: this small window stands in for the tray icon."


def starting() -> TrayStatus:
    """What the face says in the moment between appearing and the first plan."""
    return TrayStatus(TrayState.ACTIVE, "Starting…", False)


def no_goals() -> Sequence[tuple[str, str]]:
    return ()


def show_face(use_tray: bool, icons: Path, intents: TrayIntents) -> Face:
    """Show the tray icon when asked for and available, otherwise the status window."""
    face: Face
    if use_tray and QSystemTrayIcon.isSystemTrayAvailable():
        face = TrayIcon(icons, starting, no_goals, intents)
    else:
        reason = tr(FORCED) if not use_tray else tr(NO_TRAY)
        log.info("%s", reason)
        from stretchbreak.ui.app_icon import use_app_icon
        from stretchbreak.ui.status_window import StatusWindow

        use_app_icon(icons)
        face = StatusWindow(starting, no_goals, intents, reason)
    face.show()
    return face
