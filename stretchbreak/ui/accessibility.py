"""Roles Qt does not give by itself: our top-level windows are plain ``QWidget`` subclasses,
which Qt reports to assistive technology as a "filler"; they are windows (at-spi2: frame).
A scroll area that takes Tab (so the keyboard can scroll it) is a named panel, not a filler."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QDialog, QMainWindow, QScrollArea, QWidget


def _window_interface(key: str, target: QObject) -> QAccessibleInterface | None:
    """A window role for a top-level plain widget; None lets Qt's own factories answer."""
    if (
        isinstance(target, QWidget)
        and target.isWindow()
        and not isinstance(target, (QDialog, QMainWindow))
        and target.metaObject().className() not in _QT_OWN
    ):
        return QAccessibleWidget(target, QAccessible.Role.Window)
    if isinstance(target, QWidget) and target.metaObject().className() == "Heatmap":
        return QAccessibleWidget(target, QAccessible.Role.Chart)  # its name is the chosen day
    if isinstance(target, QScrollArea) and target.accessibleName():
        return QAccessibleWidget(target, QAccessible.Role.Pane)
    return None


#: Qt's own top-level helpers (menus, tooltips, tray icons) keep the roles Qt gives them.
_QT_OWN = frozenset(
    {"QMenu", "QTipLabel", "QSystemTrayIconSys", "QComboBoxPrivateContainer", "QCalendarPopup"}
)

_installed = False


def install_window_roles() -> None:
    """Once per process, before any window is shown to assistive technology."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_window_interface)
        _installed = True
