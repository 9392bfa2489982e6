"""The question asked before a session in progress ends: keep going, or end it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label


class ConfirmBar(QFrame):
    """Hidden until asked; "End session" is the primary button, the one Enter presses."""

    def __init__(
        self,
        keep_going: Callable[[], None],
        end_session: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("confirmBar")
        row = QHBoxLayout(self)
        row.addWidget(label(tr("End this session? Sets you finished stay in your log.")), 1)
        self.keep_button = QPushButton(tr("Keep going"))
        self.keep_button.clicked.connect(keep_going)
        self.end_button = QPushButton(tr("End session"))
        self.end_button.setObjectName("primaryButton")
        self.end_button.clicked.connect(end_session)
        row.addWidget(self.keep_button)
        row.addWidget(self.end_button)
        self.setVisible(False)
