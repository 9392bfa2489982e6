"""The app's window icon, set when the first window opens rather than at start.

Qt gives the application icon to every top-level window, the tray icon's hidden one
included, and renders each of its sizes for ``_NET_WM_ICON``. Set at start, that left seven
pixmaps in Qt's pixmap cache, which Qt then flushes one per 10 s timer tick: an idle app
woke every 10 s for over a minute. Until the user opens a window there is no icon to show.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon

from stretchbreak import APP_ID


def app_icon(icons: Path) -> QIcon:
    """The window icon from PNG sizes: an SVG icon would load Qt's SVG module."""
    icon = QIcon()
    for png in sorted((icons / "app").glob(f"{APP_ID}-*.png")):
        icon.addFile(str(png))
    return icon


def use_app_icon(icons: Path) -> None:
    """Give the application its window icon, once."""
    if QGuiApplication.windowIcon().isNull():
        QGuiApplication.setWindowIcon(app_icon(icons))
