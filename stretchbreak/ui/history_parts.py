"""The history window's parts that hold no state of their own: the figures at the top, the
session filters, the undo bar and the row of edit buttons, and the words of the figures.

``history_window`` puts them together and connects them with the ``HistoryBook``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from stretchbreak.core.adherence import Adherence
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.stats import Streaks, Totals
from stretchbreak.services.history_book import HistorySnapshot
from stretchbreak.ui.date_field import DateField
from stretchbreak.ui.text import plural, tr
from stretchbreak.ui.widgets import ShrinkingCombo, label, px_font


def totals_text(totals: Totals) -> str:
    return (
        f"{plural(totals.sessions, tr('session'), tr('sessions'))} · "
        f"{plural(totals.sets, tr('set'), tr('sets'))} · "
        f"{plural(totals.reps, tr('rep'), tr('reps'))} · "
        f"{round(totals.active_minutes)} {tr('min')}"
    )


def streak_text(streaks: Streaks) -> str:
    days = tr("working day"), tr("working days")
    return tr("{current} · best {best}").format(
        current=plural(streaks.current, *days), best=plural(streaks.best, *days)
    )


def adherence_text(adherence: Adherence) -> str:
    if adherence.percent is None:
        return tr("No prompts yet")
    text = tr(
        "{p} % led to a stretch ({done} of {n}) · {sn} snoozed · {sk} skipped · {mi} missed"
    ).format(
        p=round(adherence.percent),
        done=adherence.completed,
        n=adherence.prompts,
        sn=adherence.snoozed,
        sk=adherence.skipped,
        mi=adherence.missed,
    )
    if adherence.deferred_by_calls:
        calls = tr("{c} waited for a call").format(c=adherence.deferred_by_calls)
        text = f"{text} · {calls}"
    return text


class FigureGrid(QGridLayout):
    """Today, this week, this month, the streak and the prompts' adherence, one a row."""

    def __init__(self, fonts: QWidget) -> None:
        super().__init__()
        self.setHorizontalSpacing(18)
        self.figures: dict[str, QLabel] = {}
        for row, (key, name) in enumerate(
            (
                ("today", tr("Today")),
                ("week", tr("This week")),
                ("month", tr("This month")),
                ("streak", tr("Streak")),
                ("adherence", tr("Prompts, last 30 days")),
            )
        ):
            caption = label(name, wrap=False)
            caption.setFont(px_font(fonts, 14, QFont.Weight.DemiBold))
            value = label(name=f"figure-{key}", selectable=True)
            value.setFont(px_font(fonts, 14))
            self.addWidget(caption, row, 0)
            self.addWidget(value, row, 1)
            self.figures[key] = value
        self.setColumnStretch(1, 1)

    def show_figures(self, snapshot: HistorySnapshot) -> None:
        periods = snapshot.periods
        self.figures["today"].setText(totals_text(periods.today))
        self.figures["week"].setText(totals_text(periods.week))
        self.figures["month"].setText(totals_text(periods.month))
        self.figures["streak"].setText(streak_text(snapshot.streaks))
        self.figures["adherence"].setText(adherence_text(snapshot.adherence))


class SessionFilters(QHBoxLayout):
    """Which sessions the table lists: a goal and a span of days. Signals: ``changed()``."""

    changed = Signal()

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.goal_filter = ShrinkingCombo()  # a small window narrows it, not the table
        self.goal_filter.setAccessibleName(tr("Show goal"))
        self.goal_filter.addItem(tr("All goals"), None)
        for goal in exercise.goals:
            self.goal_filter.addItem(goal.name, goal.id)
        self.since = DateField()
        self.until = DateField()
        for edit, name in ((self.since, tr("From")), (self.until, tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setSpecialValueText(tr("any day"))
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
        self.clear_filter = QPushButton(tr("Show all"))
        self.clear_filter.clicked.connect(self.reset)
        self.addWidget(label(tr("Goal"), wrap=False))
        self.addWidget(self.goal_filter)
        self.addSpacing(12)
        self.addWidget(label(tr("From"), wrap=False))
        self.addWidget(self.since)
        self.addWidget(label(tr("to"), wrap=False))
        self.addWidget(self.until)
        self.addWidget(self.clear_filter)
        self.addStretch(1)
        self.goal_filter.currentIndexChanged.connect(self.changed)
        self.since.dateChanged.connect(self.changed)
        self.until.dateChanged.connect(self.changed)

    def chosen(self) -> tuple[str | None, date | None, date | None]:
        """The goal id (None: all) and the first and last day (None: any)."""
        return self.goal_filter.currentData(), _chosen(self.since), _chosen(self.until)

    def reset(self) -> None:
        self.goal_filter.setCurrentIndex(0)
        self.since.setDate(self.since.minimumDate())
        self.until.setDate(self.until.minimumDate())


class UndoBar(QFrame):
    """ "Deleted 3 sessions." with Undo, shown after a deletion until undone or closed."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confirmBar")
        bar = QHBoxLayout(self)
        self.text = label()
        self.button = QPushButton(tr("Undo"))
        self.button.setAccessibleName(tr("Undo the deletion"))
        bar.addWidget(self.text, 1)
        bar.addWidget(self.button)
        self.setVisible(False)

    def deleted(self, count: int) -> None:
        self.text.setText(tr("Deleted {n}.").format(n=plural(count, tr("session"), tr("sessions"))))
        self.setVisible(count > 0)


class EditButtons(QHBoxLayout):
    """Delete on the left; export and import on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.delete_button = QPushButton(tr("Delete selected"))
        self.export_csv = QPushButton(tr("Export CSV…"))
        self.export_json = QPushButton(tr("Export JSON…"))
        self.import_button = QPushButton(tr("Import CSV…"))
        self.addWidget(self.delete_button)
        self.addStretch(1)
        for button in (self.export_csv, self.export_json, self.import_button):
            self.addWidget(button)


def _chosen(edit: QDateEdit) -> date | None:
    """The date in a filter box, or None while it shows "any day"."""
    if edit.date() == edit.minimumDate():
        return None
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())
