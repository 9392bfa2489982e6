"""The app's face: the tray icon, or a small status window where no tray exists.

It is the first thing a start shows, before the rest of the app is built (see
``stretchbreak.launch``): until ``bind`` connects the real status it says "Starting…".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtWidgets import QSystemTrayIcon

from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import TrayIcon, TrayIntents, TrayState, TrayStatus

if TYPE_CHECKING:
    from stretchbreak.ui.status_window import StatusWindow

log = logging.getLogger(__name__)

#: Either face; a string so the status window's module loads only where it is used.
Face: TypeAlias = "TrayIcon | StatusWindow"

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
