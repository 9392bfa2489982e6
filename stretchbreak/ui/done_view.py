"""The end of a session: what was done against the target, and "How did it feel?"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import Feeling
from stretchbreak.core.progression import Suggestion
from stretchbreak.core.session_values import SessionSummary
from stretchbreak.core.tally import SessionKind, reps_of, session_kind
from stretchbreak.ui.text import clock_time, plural, target_text, tr
from stretchbreak.ui.widgets import label, px_font, scrolling

FEELINGS: tuple[tuple[Feeling, str], ...] = (
    (Feeling.EASY, "Easy"),
    (Feeling.JUST_RIGHT, "Just right"),
    (Feeling.HARD, "Hard"),
    (Feeling.PAINFUL, "Painful"),
)


class DoneView(QWidget):
    """Signals: ``feeling_chosen(Feeling)``, ``done_requested()``."""

    feeling_chosen = Signal(object)
    done_requested = Signal()

    def __init__(self, exercise: Exercise, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = label(name="viewTitle")
        self.heading.setFont(px_font(self, 30, QFont.Weight.Bold))
        layout.addWidget(self.heading)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self._values: dict[str, QLabel] = {}
        for row, (key, name) in enumerate(
            (
                ("sets", tr("Sets done")),
                ("reps", tr("Reps done")),
                ("hold", tr("Hold")),
                ("active", tr("Time in sets")),
                ("target", tr("Target")),
            )
        ):
            caption = label(name, wrap=False)
            caption.setFont(px_font(self, 16, QFont.Weight.DemiBold))
            value = label(name=f"summary-{key}")
            value.setFont(px_font(self, 16))
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self._values[key] = value
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.nothing_kept = label(
            tr("Nothing was kept: the session ended before its first rep was over."),
            name="nothingKept",
        )
        self.nothing_kept.setVisible(False)
        layout.addWidget(self.nothing_kept)

        question = label(tr("How did it feel?"), name="sectionHeading")
        question.setFont(px_font(self, 18, QFont.Weight.DemiBold))
        layout.addSpacing(8)
        layout.addWidget(question)
        feelings = QHBoxLayout()
        self._group = QButtonGroup(self)
        self.feeling_buttons: dict[Feeling, QPushButton] = {}
        for feeling, text in FEELINGS:
            button = QPushButton(tr(text))
            button.setCheckable(True)
            # One answer of four: screen readers hear a radio button, and arrows move along.
            button.setAutoExclusive(True)
            button.setObjectName("feelingButton")
            button.setMinimumHeight(40)
            button.setAccessibleName(tr("It felt {f}").format(f=tr(text).lower()))
            button.clicked.connect(lambda _=False, f=feeling: self.feeling_chosen.emit(f))
            self._group.addButton(button)
            self.feeling_buttons[feeling] = button
            feelings.addWidget(button)
        layout.addLayout(feelings)

        self.safety = QFrame()
        self.safety.setObjectName("safetyNote")
        safety = QVBoxLayout(self.safety)
        title = label(tr("Stop here for today"), name="safetyTitle")
        title.setFont(px_font(self, 16, QFont.Weight.DemiBold))
        safety.addWidget(title)
        for note in exercise.safety:
            safety.addWidget(label("• " + note))
        self.next_time = label(name="nextTime")
        safety.addWidget(self.next_time)
        self.safety.setVisible(False)
        layout.addWidget(self.safety)

        layout.addStretch(1)
        self._scroll = scrolling(body, tr("Summary of the session"))
        self._body = body, layout
        outer.addWidget(self._scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.done_button = QPushButton(tr("Done"))
        self.done_button.setObjectName("primaryButton")
        self.done_button.setMinimumHeight(44)
        self.done_button.setAccessibleName(tr("Done: close the session"))
        self.done_button.clicked.connect(self.done_requested)
        buttons.addWidget(self.done_button)
        outer.addLayout(buttons)

    def choose(self, feeling: Feeling) -> None:
        """Answer "How did it feel?" as a click on that feeling's button would."""
        self.feeling_buttons[feeling].click()

    def value_text(self, key: str) -> str:
        return self._values[key].text()

    def show_summary(self, summary: SessionSummary, smaller_next: Suggestion | None) -> None:
        target = summary.target
        kind = session_kind(summary)
        finished = kind is SessionKind.FINISHED
        self.heading.setText(tr("Well done") if finished else tr("Session ended early"))
        self.nothing_kept.setVisible(kind is SessionKind.EMPTY)
        sets = tr("{d} of {t}").format(d=summary.sets_done, t=target.sets)
        if summary.partial_sets:
            sets += " " + tr("(one cut short after {n})").format(
                n=plural(summary.partial_reps, tr("rep"), tr("reps"))
            )
        self._set("sets", sets)
        reps = reps_of(summary)
        self._set("reps", tr("{d} of {t}").format(d=reps, t=target.sets * target.reps))
        self._set("hold", plural(target.hold_seconds, tr("second"), tr("seconds")))
        self._set("active", clock_time(summary.set_seconds))
        self._set("target", target_text(target))
        # An exclusive group never unchecks its checked button: a feeling chosen after the
        # last session would stay shown as chosen for this one.
        self._group.setExclusive(False)
        for feeling, button in self.feeling_buttons.items():
            button.setChecked(feeling is summary.feeling)
        self._group.setExclusive(True)
        self.safety.setVisible(summary.feeling is Feeling.PAINFUL)
        if smaller_next is not None and smaller_next.lightest:
            self.next_time.setText(
                tr(
                    "This was already the lightest target of this goal. Next time move only "
                    "as far as stays free of pain, or leave the stretch out for today."
                )
            )
        elif smaller_next is not None:
            self.next_time.setText(
                tr("Next time try a smaller target: {t}.").format(
                    t=target_text(smaller_next.target)
                )
            )
        if summary.feeling is Feeling.PAINFUL:
            # Laid out first, so that the advice's place is known: scrolled to, it is read.
            body, layout = self._body
            layout.activate()
            body.resize(body.width(), layout.totalHeightForWidth(body.width()))
            self._scroll.ensureWidgetVisible(self.next_time)

    def _set(self, key: str, text: str) -> None:
        value = self._values[key]
        value.setText(text)
        value.setAccessibleName(text)
