"""Pro tips, common mistakes, questions and optional equipment, readable at any moment."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from stretchbreak.core.exercise import Exercise
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label, px_font, scrolling


class TipsPanel(QWidget):
    """Signals: ``close_requested()``."""

    close_requested = Signal()

    def __init__(self, exercise: Exercise, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Tips and questions"))
        outer = QVBoxLayout(self)
        heading = label(tr("Tips and questions"), name="viewTitle")
        heading.setFont(px_font(self, 24, QFont.Weight.DemiBold))
        outer.addWidget(heading)

        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 12, 0)
        self.sections: dict[str, int] = {}

        def section(title: str, items: list[tuple[str, str]]) -> None:
            if not items:
                return
            self.sections[title] = len(items)
            head = label(title, name="sectionHeading")
            head.setFont(px_font(self, 17, QFont.Weight.DemiBold))
            content.addSpacing(6)
            content.addWidget(head)
            for name, text in items:
                entry = label(selectable=True)
                entry.setTextFormat(Qt.TextFormat.RichText)
                if name:
                    entry.setText(f"<b>{_escape(name)}</b><br>{_escape(text)}")
                    entry.setAccessibleName(f"{name}. {text}")
                else:  # a bullet: the mark and its text on one line
                    entry.setText(f"•&nbsp;{_escape(text)}")
                    entry.setAccessibleName(text)
                content.addWidget(entry)

        section(
            tr("How it should feel"),
            [
                (tr("Move with intention"), exercise.intro),
                (tr("Progress wisely"), exercise.progression_rule),
            ],
        )
        section(tr("Pro tips"), [(t.title, t.detail) for t in exercise.tips])
        section(tr("Common mistakes"), [(m.title, m.detail) for m in exercise.mistakes])
        section(tr("Questions"), [(q.question, q.answer) for q in exercise.faq])
        equipment = [(e.name, e.use) for e in exercise.equipment]
        if exercise.equipment_tip and equipment:
            equipment.append((tr("Keep it comfortable"), exercise.equipment_tip))
        section(tr("Optional equipment"), equipment)
        section(tr("Safety"), [("", note) for note in exercise.safety])
        content.addStretch(1)
        outer.addWidget(scrolling(body, tr("Tips and questions, scrollable")), 1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(tr("Close tips"))
        self.close_button.setObjectName("primaryButton")
        self.close_button.setMinimumHeight(40)
        self.close_button.setAccessibleName(tr("Close tips and return"))
        self.close_button.clicked.connect(self.close_requested)
        row.addWidget(self.close_button)
        outer.addLayout(row)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
