"""The start view: what the exercise is, which goal, what target, which tempo — then Start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise, Goal, Range
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.target import Target
from stretchbreak.services.break_flow import StartChoices, StartRequest
from stretchbreak.ui.figure import FigureWidget
from stretchbreak.ui.text import goal_ranges, tr
from stretchbreak.ui.widgets import label, px_font, scrolling


class GoalCard(QPushButton):
    """A checkable card naming a goal and its ranges; one of four in an exclusive group."""

    def __init__(self, goal: Goal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.goal = goal
        self.setCheckable(True)
        # One goal of four: screen readers hear a radio button, and arrows move along.
        self.setAutoExclusive(True)
        self.setObjectName("goalCard")
        self.setText(f"{goal.name}\n{goal_ranges(goal)}\n{goal.tempo_note}")
        self.setToolTip(goal.summary)
        self.setAccessibleName(f"{goal.name}: {goal_ranges(goal)}")
        self.setAccessibleDescription(f"{goal.summary} {goal.tempo_note}")
        self.setMinimumHeight(72)


class StartView(QWidget):
    """Signals: ``start_requested(StartRequest)``."""

    start_requested = Signal(object)

    def __init__(
        self,
        exercise: Exercise,
        figure: FigureWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._exercise = exercise
        #: One calm rep in a loop, so a first-time user sees the movement before starting.
        self.figure = figure
        self._choices: StartChoices | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # The choices scroll in a small window; the Start button always stays in view.
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)

        self.title = label(exercise.name, name="viewTitle")
        self.title.setFont(px_font(self, 26, QFont.Weight.DemiBold))
        layout.addWidget(self.title)
        layout.addWidget(label(exercise.purpose))

        if figure is None:
            layout.addWidget(self._overview(exercise))
        else:
            beside = QHBoxLayout()
            beside.addWidget(self._overview(exercise), 3)
            figure.setMinimumHeight(200)
            beside.addWidget(figure, 2)
            layout.addLayout(beside)
            figure.show_loop()

        layout.addWidget(self._section(tr("Choose a goal")))
        cards = QGridLayout()
        cards.setSpacing(8)
        self._cards = QButtonGroup(self)
        self._cards.setExclusive(True)
        self.goal_cards: dict[str, GoalCard] = {}
        for index, goal in enumerate(exercise.goals):
            card = GoalCard(goal)
            self._cards.addButton(card)
            self.goal_cards[goal.id] = card
            cards.addWidget(card, index // 2, index % 2)
            card.toggled.connect(self._on_card_toggled)
        layout.addLayout(cards)

        layout.addWidget(self._section(tr("Target")))
        targets = QHBoxLayout()
        self.sets = self._spin(tr("Sets"), targets)
        self.reps = self._spin(tr("Reps per set"), targets)
        self.hold = self._spin(tr("Hold, seconds"), targets)
        targets.addStretch(1)
        layout.addLayout(targets)
        self.reason = label(name="suggestionReason")
        layout.addWidget(self.reason)

        tempo = QHBoxLayout()
        self.guided = QRadioButton(tr("Guided: every rep flows on its own"))
        self.self_paced = QRadioButton(tr("Self-paced: press Space to move on"))
        for button in (self.guided, self.self_paced):
            tempo.addWidget(button)
        tempo.addStretch(1)
        layout.addLayout(tempo)

        layout.addStretch(1)
        outer.addWidget(scrolling(body, tr("The exercise and your choices")), 1)
        self.start_button = QPushButton(tr("Start"))
        self.start_button.setObjectName("primaryButton")
        self.start_button.setAccessibleName(tr("Start the session"))
        self.start_button.setMinimumHeight(44)
        self.start_button.clicked.connect(self.request_start)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.start_button)
        outer.addLayout(row)

    def _overview(self, exercise: Exercise) -> QFrame:
        overview = exercise.overview
        frame = QFrame()
        frame.setObjectName("overview")
        grid = QGridLayout(frame)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(16)
        equipment = overview.equipment_required
        if overview.equipment_optional:
            equipment += " · " + tr("optional: ") + ", ".join(overview.equipment_optional)
        rows = (
            (tr("Body part"), overview.body_part),
            (tr("Primary muscles"), ", ".join(overview.primary_muscles)),
            (tr("Secondary muscles"), ", ".join(overview.secondary_muscles)),
            (tr("Equipment"), equipment),
            (tr("Difficulty"), f"{overview.difficulty}: {overview.difficulty_reason}"),
        )
        for row, (name, value) in enumerate(rows):
            key = label(name, wrap=False)
            key.setFont(px_font(self, 13, QFont.Weight.DemiBold))
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label(value, selectable=True), row, 1)
        grid.setColumnStretch(1, 1)
        return frame

    def _section(self, text: str) -> QWidget:
        heading = label(text, name="sectionHeading")
        heading.setFont(px_font(self, 16, QFont.Weight.DemiBold))
        return heading

    def _spin(self, name: str, row: QHBoxLayout) -> QSpinBox:
        spin = QSpinBox()
        spin.setAccessibleName(name)
        spin.setMinimumWidth(64)
        caption = label(name, wrap=False)
        caption.setBuddy(spin)
        row.addWidget(caption)
        row.addWidget(spin)
        row.addSpacing(12)
        return spin

    # ------------------------------------------------------------------ state
    def show_choices(self, choices: StartChoices) -> None:
        self._choices = choices
        (self.guided if choices.tempo is TempoMode.GUIDED else self.self_paced).setChecked(True)
        card = self.goal_cards[choices.goal]
        if card.isChecked():
            self._prefill(card.goal)
        card.setChecked(True)

    def selected_goal(self) -> Goal:
        checked = self._cards.checkedButton()
        assert isinstance(checked, GoalCard)
        return checked.goal

    def request(self) -> StartRequest:
        tempo = TempoMode.GUIDED if self.guided.isChecked() else TempoMode.SELF_PACED
        target = Target(self.sets.value(), self.reps.value(), self.hold.value())
        return StartRequest(self.selected_goal().id, target, tempo)

    def request_start(self) -> None:
        self.start_requested.emit(self.request())

    def _on_card_toggled(self, checked: bool) -> None:
        if checked:
            self._prefill(self.selected_goal())

    def _prefill(self, goal: Goal) -> None:
        if self._choices is None:
            return
        suggestion = self._choices.suggestions[goal.id]
        for spin, allowed, value in (
            (self.sets, goal.sets, suggestion.target.sets),
            (self.reps, goal.reps, suggestion.target.reps),
            (self.hold, goal.hold_seconds, suggestion.target.hold_seconds),
        ):
            _limit(spin, allowed, value)
        self.reason.setText(suggestion.reason)


def _limit(spin: QSpinBox, allowed: Range, value: int) -> None:
    """Let the box hold only values inside the goal's range."""
    spin.setRange(allowed.low, allowed.high)
    spin.setValue(allowed.clamp(value))
    spin.setEnabled(allowed.low != allowed.high)
    spin.setToolTip(f"{allowed}")
