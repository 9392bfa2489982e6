"""The views shown while the session runs: setup cues, each rep, and the rest between sets.

Each renders a ``SessionView`` and nothing else; buttons only forward intents to the runner.
Text is sized from the window's height so it stays readable from a couple of metres away.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.session_values import Phase, SessionView, TempoMode
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.contrast import muted
from stretchbreak.ui.countdown_ring import CountdownRing
from stretchbreak.ui.figure import FigureWidget, make_figure
from stretchbreak.ui.text import clock_time, plural, tr
from stretchbreak.ui.widgets import label, px_font

CENTER = Qt.AlignmentFlag.AlignHCenter
#: Below this view height the setup cues need every line and the figure steps aside.
SETUP_FIGURE_MIN_HEIGHT = 460


def _button(text: str, accessible: str, slot: object) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible)
    button.setMinimumHeight(40)
    button.clicked.connect(slot)
    return button


def _with_figure(figure: FigureWidget | None, ring: QWidget) -> QHBoxLayout:
    """The figure beside the countdown ring, the figure wider: it is what eyes look for."""
    row = QHBoxLayout()
    if figure is not None:
        row.addWidget(figure, 3)
    row.addWidget(ring, 2)
    return row


def counter_text(view: SessionView) -> str:
    return tr("Set {s} of {st} · Rep {r} of {rt}").format(
        s=view.set_number, st=view.sets_total, r=view.rep_number, rt=view.reps_total
    )


class SetupView(QWidget):
    """The setup cues, one highlighted at a time, and the knee-cushion tip."""

    def __init__(
        self,
        exercise: Exercise,
        runner: SessionRunner,
        ticker: TickerFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.figure = make_figure(exercise, runner.clock, ticker, setup=True)
        layout = QVBoxLayout(self)
        self.heading = label(tr("Get into position"), name="viewTitle")
        layout.addWidget(self.heading)
        self.cues: list[QLabel] = []
        self._setup = exercise.setup
        for number, cue in enumerate(exercise.setup, start=1):
            item = label(f"{number}.  {cue.title}", name="setupCue")
            item.setContentsMargins(10, 6, 10, 6)
            self.cues.append(item)
            layout.addWidget(item)
        self.tip = label(tr("Tip: ") + exercise.setup_tip, name="tip")
        layout.addSpacing(8)
        layout.addWidget(self.tip)
        if self.figure is not None:  # the pose this cue describes, the body part it is about
            layout.addWidget(self.figure, 1)
        else:
            layout.addStretch(1)
        row = QHBoxLayout()
        self.next_button = _button(tr("Next cue"), tr("Show the next setup cue"), runner.next_cue)
        self.ready_button = _button(tr("Ready"), tr("Ready: start the first rep"), runner.ready)
        self.ready_button.setObjectName("primaryButton")
        row.addStretch(1)
        row.addWidget(self.next_button)
        row.addWidget(self.ready_button)
        layout.addLayout(row)

    def show_view(self, view: SessionView) -> None:
        for index, cue in enumerate(self.cues):
            current = index == view.setup_index
            content = self._setup[index]
            # Only the current cue spells out its detail: one instruction at a time.
            text = f"{index + 1}.  {content.title}"
            cue.setText(f"{text} — {content.detail}" if current else text)
            # Screen readers hear which cue is the one to do now, and which are still to come.
            state = (
                tr("current step")
                if current
                else tr("done")
                if index < view.setup_index
                else tr("coming next")
            )
            cue.setAccessibleName(f"{text}: {content.detail} ({state})")
            cue.setAccessibleDescription(state)
            cue.setProperty("current", current)
            cue.setProperty("upcoming", index > view.setup_index)
            cue.style().unpolish(cue)
            cue.style().polish(cue)
            _colour_cue(cue, upcoming=index > view.setup_index)
        if self.figure is not None:
            self.figure.show_view(view)
        self.next_button.setEnabled(view.setup_index + 1 < view.setup_total and not view.paused)
        self.ready_button.setEnabled(not view.paused)

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = event.size().height()
        self.heading.setFont(px_font(self, max(22, height * 0.06), QFont.Weight.DemiBold))
        for cue in self.cues:
            cue.setFont(px_font(self, max(15, min(26, height * 0.036))))
        self.tip.setFont(px_font(self, max(14, min(20, height * 0.026))))
        if self.figure is not None:
            # In a small window the words come first: the cue's text must never be squeezed.
            self.figure.setVisible(height >= SETUP_FIGURE_MIN_HEIGHT)
        super().resizeEvent(event)


def _colour_cue(cue: QLabel, upcoming: bool) -> None:
    """Cues still to come are lighter than the rest, but keep AA contrast (4.5:1)."""
    parent = cue.parentWidget()
    palette = parent.palette() if parent is not None else cue.palette()
    own = QPalette(palette)
    if upcoming:
        own.setColor(
            QPalette.ColorRole.WindowText,
            muted(
                palette.color(QPalette.ColorRole.WindowText),
                palette.color(QPalette.ColorRole.Window),
                0.4,
            ),
        )
    cue.setPalette(own)


class RepView(QWidget):
    """One rep: where you are, what to do now, and the hold's countdown ring."""

    def __init__(
        self,
        runner: SessionRunner,
        ticker: TickerFactory,
        exercise: Exercise | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.figure = None if exercise is None else make_figure(exercise, runner.clock, ticker)
        layout = QVBoxLayout(self)
        self.counter = label(align=CENTER, name="repCounter")
        self.cue = label(align=CENTER, name="repCue")
        self.detail = label(align=CENTER, name="repDetail")
        self.ring = CountdownRing(runner.clock, ticker)
        self.paused_note = label(
            tr("Paused — press Space or Resume when you are ready"), align=CENTER, name="pausedNote"
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(tr("Session progress"))
        self.progress.setMaximumHeight(10)
        self.active = label(align=Qt.AlignmentFlag.AlignRight, name="activeTime")
        layout.addWidget(self.counter)
        layout.addWidget(self.cue)
        layout.addLayout(_with_figure(self.figure, self.ring), 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.paused_note)
        status = QHBoxLayout()
        status.addWidget(self.progress, 1)
        status.addWidget(self.active)
        layout.addLayout(status)
        row = QHBoxLayout()
        self.pause_button = _button(tr("Pause"), tr("Pause the session"), runner.toggle_pause)
        self.next_button = _button(tr("Next"), tr("Next step"), runner.advance)
        self.next_button.setObjectName("primaryButton")
        row.addStretch(1)
        row.addWidget(self.pause_button)
        row.addWidget(self.next_button)
        layout.addLayout(row)

    def show_view(self, view: SessionView) -> None:
        step = view.step
        self.counter.setText(counter_text(view))
        self.cue.setText(step.cue if step else "")
        self.detail.setText(step.detail if step else "")
        self_paced = view.tempo is TempoMode.SELF_PACED
        if view.phase is Phase.HOLD:
            caption = tr("hold")
        elif view.waiting_for_user:
            caption = (
                tr("Space when in the stretch")
                if view.phase is Phase.MOVE
                else tr("Space for the next rep")
            )
        else:
            caption = tr("sit back") if view.phase is Phase.MOVE else tr("return")
        self.ring.show_countdown(
            view.deadline, view.phase_seconds, view.remaining_seconds, caption, idle_text="·"
        )
        if self.figure is not None:
            self.figure.show_view(view)
        self.paused_note.setVisible(view.paused)
        self.progress.setValue(round(view.progress * 1000))
        self.active.setText(tr("Active {t}").format(t=clock_time(view.active_seconds)))
        self.pause_button.setText(tr("Resume") if view.paused else tr("Pause"))
        self.pause_button.setAccessibleName(
            tr("Resume the session") if view.paused else tr("Pause the session")
        )
        self.next_button.setVisible(self_paced)
        self.next_button.setEnabled(view.waiting_for_user)

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = event.size().height()
        self.counter.setFont(px_font(self, max(18, min(40, height * 0.05)), QFont.Weight.DemiBold))
        self.cue.setFont(px_font(self, max(26, min(80, height * 0.085)), QFont.Weight.Bold))
        self.detail.setFont(px_font(self, max(14, min(24, height * 0.03))))
        self.paused_note.setFont(
            px_font(self, max(15, min(26, height * 0.035)), QFont.Weight.DemiBold)
        )
        super().resizeEvent(event)


class RestView(QWidget):
    """The rest between sets: a countdown, what comes next, +15 s and Skip rest."""

    def __init__(
        self,
        runner: SessionRunner,
        ticker: TickerFactory,
        exercise: Exercise | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.figure = None if exercise is None else make_figure(exercise, runner.clock, ticker)
        layout = QVBoxLayout(self)
        self.heading = label(tr("Rest"), align=CENTER, name="viewTitle")
        self.ring = CountdownRing(runner.clock, ticker)
        self.next_set = label(align=CENTER, name="nextSet")
        self.paused_note = label(
            tr("Paused — press Space to go on"), align=CENTER, name="pausedNote"
        )
        layout.addWidget(self.heading)
        layout.addLayout(_with_figure(self.figure, self.ring), 1)
        layout.addWidget(self.next_set)
        layout.addWidget(self.paused_note)
        row = QHBoxLayout()
        self.resume_button = _button(tr("Resume"), tr("Resume the session"), runner.resume)
        self.resume_button.setObjectName("primaryButton")
        row.addWidget(self.resume_button)
        self.extend_button = _button(
            tr("+15 s"), tr("Add fifteen seconds of rest"), runner.extend_rest
        )
        self.skip_button = _button(
            tr("Skip rest"), tr("Skip the rest and start the next set"), runner.skip_rest
        )
        self.skip_button.setObjectName("primaryButton")
        row.addStretch(1)
        row.addWidget(self.extend_button)
        row.addWidget(self.skip_button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_view(self, view: SessionView) -> None:
        self.ring.show_countdown(
            view.deadline, view.phase_seconds, view.remaining_seconds, tr("rest")
        )
        upcoming = view.set_number + 1
        self.next_set.setText(
            tr("Next: set {n} of {t} · {reps} · {hold}\u00a0s hold").format(
                n=upcoming,
                t=view.sets_total,
                reps=plural(view.reps_total, tr("rep"), tr("reps")),
                hold=view.hold_seconds,
            )
        )
        self.paused_note.setVisible(view.paused)
        self.resume_button.setVisible(view.paused)
        self.extend_button.setVisible(not view.paused)
        self.skip_button.setVisible(not view.paused)

    def resizeEvent(self, event: QResizeEvent) -> None:
        height = event.size().height()
        self.heading.setFont(px_font(self, max(24, min(56, height * 0.07)), QFont.Weight.Bold))
        self.next_set.setFont(px_font(self, max(16, min(32, height * 0.045))))
        self.paused_note.setFont(
            px_font(self, max(15, min(26, height * 0.035)), QFont.Weight.DemiBold)
        )
        super().resizeEvent(event)
