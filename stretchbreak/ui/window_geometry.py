"""Windows come back where the user left them, from a small private state file, and always
open whole on the screen that holds them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fitted(frame: QRect, available: QRect) -> QRect:
    """``frame`` moved, and shrunk only if it must be, to lie wholly within ``available``.

    A remembered or default size can be taller than a smaller screen, or a remembered place
    can hang off its bottom (a 720-px window at y = 195 on a 900-px screen): the user would
    have to drag a window by its title bar to reach its buttons.
    """
    width = min(frame.width(), available.width())
    height = min(frame.height(), available.height())
    x = min(max(frame.x(), available.left()), available.left() + available.width() - width)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


#: The window manager's frame before it is known (it is drawn only after the window is
#: mapped): a generous title bar and border, so the real frame fits too. Openbox's is
#: 20 px above and 1–5 px around.
FRAME_GUESS = QMargins(4, 32, 4, 8)


def fit_on_screen(window: QWidget, available: QRect | None = None) -> None:
    """Place ``window`` and its frame on the free area of its screen (``available``, by
    default the screen's area without panels and docks)."""
    if available is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
    inner, outer = window.geometry(), window.frameGeometry()
    frame = QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )
    if frame.isNull():
        frame = FRAME_GUESS
    placed = fitted(inner.marginsAdded(frame), available).marginsRemoved(frame)
    if placed != inner:
        window.setGeometry(placed)


class GeometryMemory:
    def __init__(self, state_file: Path | None, key: str, default: QSize) -> None:
        self._state_file = state_file
        self._key = f"{key}/geometry"
        self._default = default

    @property
    def state_file(self) -> Path | None:
        return self._state_file

    def restore(self, window: QWidget) -> None:
        stored = self._open().value(self._key) if self._state_file else None
        if not (isinstance(stored, QByteArray) and window.restoreGeometry(stored)):
            window.resize(self._default)
        fit_on_screen(window)

    def save(self, window: QWidget) -> None:
        if self._state_file is None:
            return
        settings = self._open()
        settings.setValue(self._key, window.saveGeometry())
        settings.sync()
        try:
            self._state_file.chmod(0o600)
        except OSError:  # not saved (QSettings fails quietly): a window place is not worth a word
            return

    def _open(self) -> QSettings:
        return QSettings(str(self._state_file), QSettings.Format.IniFormat)
