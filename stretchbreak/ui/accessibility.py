"""Roles Qt does not give by itself, for assistive technology (at-spi2, as Orca reads them).

Our top-level windows are plain ``QWidget`` subclasses, which Qt reports as a "filler"; they
are windows (at-spi2: frame). A scroll area that takes Tab (so the keyboard can scroll it) is
a named panel, and the heatmap a chart, instead of fillers.

Qt asks the factory once per object, often while the object is still being built (before it
has a parent or a name), and keeps the answer: so the choice rests on the class alone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QDialog, QMainWindow, QWidget

#: Our classes by name (Python subclasses carry their own name in Qt's meta-object).
ROLES = {
    "SessionWindow": QAccessible.Role.Window,
    "HistoryWindow": QAccessible.Role.Window,
    "StatusWindow": QAccessible.Role.Window,
    "PromptWindow": QAccessible.Role.Window,
    "ViewScroll": QAccessible.Role.Pane,
    "Heatmap": QAccessible.Role.Chart,
}


def _interface(key: str, target: QObject) -> QAccessibleInterface | None:
    """Our role for one of our classes; None lets Qt's own factories answer."""
    if not isinstance(target, QWidget) or isinstance(target, (QDialog, QMainWindow)):
        return None
    name = target.metaObject().className()
    role = ROLES.get(name)
    if role is None and name.endswith("Window") and not name.startswith("Q"):
        role = QAccessible.Role.Window  # a window class added later keeps the right role
    return None if role is None else QAccessibleWidget(target, role)


_installed = False


def install_window_roles() -> None:
    """Once per process, before any window is shown to assistive technology."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_interface)
        _installed = True
