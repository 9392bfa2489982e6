"""``tr()``, here so that services can word their messages for the user (``ui.text`` too).

Services build a few texts the tray and windows show as they are: the tray's status line, a
set that could not be saved, the history writable again. Qt's translator is all it takes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str) -> str:
    """Translate; pyside6-lupdate files a plain ``tr("…")`` call under the empty context."""
    return QCoreApplication.translate("", text)
