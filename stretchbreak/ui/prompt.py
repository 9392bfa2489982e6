"""The break prompt: a small window in the corner that never takes the keyboard from the user.

Measured on X11 window managers: only ``Tool | WindowStaysOnTopHint | WindowDoesNotAcceptFocus``
together with ``WA_ShowWithoutActivating`` lets typing continue in the user's window while
the prompt stays on top and its buttons still work by mouse. So the prompt takes no keys;
the keyboard paths live in the tray menu and the guided window.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from stretchbreak.ui.presenters import PromptInfo as PromptInfo  # what it shows; made there
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label, px_font
from stretchbreak.ui.window_style import STYLE

SNOOZE_MINUTES = (5, 10, 15)
#: Distance from the screen's corner, so the prompt sits near the tray without touching it.
MARGIN = 16

PROMPT_FLAGS = (
    Qt.WindowType.Tool
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowDoesNotAcceptFocus
    | Qt.WindowType.FramelessWindowHint
)


class PromptWindow(QWidget):
    """Signals: ``start_requested()``, ``snooze_requested(int minutes)``, ``skip_requested()``."""

    start_requested = Signal()
    snooze_requested = Signal(int)
    skip_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, PROMPT_FLAGS)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(tr("Time for a back stretch"))
        self.setMinimumWidth(320)
        frame = QFrame()
        frame.setObjectName("promptFrame")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title = label(tr("Time for a back stretch"), name="promptTitle")
        self.title.setFont(px_font(self, 17, QFont.Weight.DemiBold))
        self.detail = label(name="promptDetail")
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.start_button = self._button(tr("Start"), tr("Start the stretch now"))
        self.start_button.setObjectName("primaryButton")
        self.start_button.clicked.connect(self.start_requested)
        self.snooze_button = self._button(tr("Snooze"), tr("Remind me again later"))
        self.snooze_menu = QMenu(self.snooze_button)
        for minutes in SNOOZE_MINUTES:
            action = self.snooze_menu.addAction(tr("{n} min").format(n=minutes))
            action.triggered.connect(lambda _=False, m=minutes: self.snooze_requested.emit(m))
        self.snooze_button.setMenu(self.snooze_menu)
        self.skip_button = self._button(tr("Skip"), tr("Skip this break"))
        self.skip_button.clicked.connect(self.skip_requested)
        row.addWidget(self.start_button)
        row.addWidget(self.snooze_button)
        row.addWidget(self.skip_button)
        layout.addLayout(row)

    @staticmethod
    def _button(text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        # A focusable button would let a click take the keyboard from the user's window.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(34)
        return button

    def show_prompt(self, info: PromptInfo) -> None:
        """Appear in the corner near the tray, on top, without taking focus."""
        self.detail.setText(
            tr("{goal}\n{target} · about {minutes} min").format(
                goal=info.goal_name, target=info.target, minutes=max(1, info.minutes)
            )
        )
        self.setAccessibleDescription(self.detail.text())
        self.adjustSize()
        self.move(self.corner_position())
        self.show()

    def corner_position(self) -> QPoint:
        """Bottom right of the screen's free area, where most trays are."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        size = self.size().expandedTo(self.minimumSizeHint())
        return QPoint(area.right() - size.width() - MARGIN, area.bottom() - size.height() - MARGIN)
