"""What every window needs, done when the first window opens rather than at start.

The window icon: Qt gives the application icon to every top-level window, the tray icon's
hidden one included, and renders each of its sizes for ``_NET_WM_ICON``. Set at start, that
left seven pixmaps in Qt's pixmap cache, which Qt then flushes one per 10 s timer tick: an
idle app woke every 10 s for over a minute. The readable palette and the accessible window
roles: asking an X11 session for its palette loads the style and theme (~25 ms), which a tray
icon never needs. Until the user sees a window there is nothing to show them on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from stretchbreak import APP_ID
from stretchbreak.ui.accessibility import install_window_roles
from stretchbreak.ui.contrast import readable_palette


def app_icon(icons: Path) -> QIcon:
    """The window icon from PNG sizes: an SVG icon would load Qt's SVG module."""
    icon = QIcon()
    for png in sorted((icons / "app").glob(f"{APP_ID}-*.png")):
        icon.addFile(str(png))
    return icon


def use_app_icon(icons: Path) -> None:
    """Before a window is built: give the application its window icon, a palette whose
    text is readable (WCAG AA) and the windows' accessible roles; each once."""
    if QGuiApplication.windowIcon().isNull():
        QGuiApplication.setWindowIcon(app_icon(icons))
    global _palette_done
    if not _palette_done:
        _palette_done = True
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.setPalette(readable_palette(application.palette()))
    install_window_roles()


_palette_done = False
