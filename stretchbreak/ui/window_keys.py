"""Window-wide keys that leave a focused button, check box or radio button its own keys.

A window shortcut is seen before the focused widget gets the key, so a plain shortcut on
Space or Enter would take those keys from a button the user has reached with Tab. Bound
with ``controls_first``, the key presses the focused control instead, and reaches the
window's own action only when no such control has the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QStackedWidget, QWidget


class WindowKeys:
    """The shortcuts of one window."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self.shortcuts: list[QShortcut] = []

    def bind(
        self, keys: Iterable[Qt.Key], action: Callable[[], object], controls_first: bool = False
    ) -> list[QShortcut]:
        """Each of ``keys`` runs ``action``; with ``controls_first`` a focused control first."""
        made = []
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), self._window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            if controls_first:
                shortcut.activated.connect(lambda a=action: self._press_focused_or(a))
            else:
                shortcut.activated.connect(action)
            made.append(shortcut)
        self.shortcuts += made
        return made

    def focused_control(self) -> QAbstractButton | None:
        """The button, check box or radio button that has the keyboard in this window."""
        focused = QApplication.focusWidget()
        if (
            isinstance(focused, QAbstractButton)
            and self._window.isAncestorOf(focused)
            and focused.isVisible()
            and focused.isEnabled()
        ):
            return focused
        return None

    def _press_focused_or(self, action: Callable[[], object]) -> None:
        control = self.focused_control()
        if control is not None:
            control.click()
        else:
            action()

    @contextmanager
    def keep_keyboard_in_window(self, stack: QStackedWidget) -> Iterator[None]:
        """Around a change of ``stack``'s page: if the control that had the keyboard goes
        with its page, the window takes the keyboard back, where Enter and Space do the new
        page's main action, instead of letting it land on whatever button comes next."""
        old, focused = stack.currentWidget(), QApplication.focusWidget()
        yield
        if old is None or focused is None or old is stack.currentWidget():
            return
        if old.isAncestorOf(focused):
            self._window.setFocus(Qt.FocusReason.OtherFocusReason)
