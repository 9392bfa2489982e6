"""A date box for filters that the keyboard can leave: no Tab trap."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget


class DateField(QDateEdit):
    """A date box that Tab and Shift+Tab leave, also while it shows "any day".

    ``QDateEdit`` uses Tab to move between its year, month and day, and swallows it outright
    while showing its special value: a keyboard trap. Arrow keys still move between parts.
    """

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            tabbing = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            plain = not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            )
            if tabbing and plain:
                forward = event.key() == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                QWidget.focusNextPrevChild(self, forward)
                return True
        return super().event(event)
