"""Windows come back where the user left them, from a small private state file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QWidget


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
