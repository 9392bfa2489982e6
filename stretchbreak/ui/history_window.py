"""The history window: totals, streak, adherence, a heatmap, weekly bars and every session.

It renders a ``HistorySnapshot`` and forwards edits (delete, undo, export, import) to the
``HistoryBook``; it never reads or writes the log itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import SessionLike, SessionRecord
from stretchbreak.core.stats import Totals
from stretchbreak.services.history_book import ExportFormat, HistoryBook, HistorySnapshot
from stretchbreak.services.history_import import FileImport, ImportJob
from stretchbreak.ui.date_field import DateField
from stretchbreak.ui.heatmap import Heatmap
from stretchbreak.ui.history_files import (
    FILTERS,
    FolderMemory,
    ImportBar,
    PathAsker,
    ask_open,
    ask_save,
    exported_text,
    imported_text,
)
from stretchbreak.ui.history_table import SessionFilter, SessionTableModel, fit_columns
from stretchbreak.ui.text import plural, tr
from stretchbreak.ui.week_chart import WeekChart
from stretchbreak.ui.widgets import ShrinkingCombo, label, px_font, scrolling
from stretchbreak.ui.window_geometry import fit_on_screen
from stretchbreak.ui.window_style import STYLE


def totals_text(totals: Totals) -> str:
    return (
        f"{plural(totals.sessions, tr('session'), tr('sessions'))} · "
        f"{plural(totals.sets, tr('set'), tr('sets'))} · "
        f"{plural(totals.reps, tr('rep'), tr('reps'))} · "
        f"{round(totals.active_minutes)} {tr('min')}"
    )


class HistoryWindow(QWidget):
    """Signals: ``import_ended(message)`` once an import succeeded, failed or was cancelled."""

    import_ended = Signal(str)

    def __init__(
        self,
        book: HistoryBook,
        exercise: Exercise,
        ask_save: PathAsker = ask_save,
        ask_open: PathAsker = ask_open,
        state_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._book = book
        self.ask_save = ask_save
        self.ask_open = ask_open
        #: The folder of the last file exported or imported; dialogs open there next time.
        self.folders = FolderMemory(state_file)
        self.job: ImportJob | None = None
        self._undo: list[SessionRecord] = []
        self.setWindowTitle(tr("History"))
        self.setMinimumSize(640, 480)
        self.resize(1000, 760)
        self.setStyleSheet(STYLE)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(self._header())
        layout.addWidget(self._heading(tr("Sets per day, last 26 weeks")))
        self.heatmap = Heatmap(book.day_detail, goal_names={g.id: g.name for g in exercise.goals})
        layout.addWidget(self.heatmap)
        layout.addWidget(self._heading(tr("Sets per week, last 12 weeks")))
        self.week_chart = WeekChart()
        layout.addWidget(self.week_chart)
        layout.addWidget(self._heading(tr("Sessions")))
        layout.addLayout(self._filters(exercise))
        self.model = SessionTableModel({g.id: g.name for g in exercise.goals})
        self.proxy = SessionFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, self.model)
        self.table.setMinimumHeight(220)
        self.table.setAccessibleName(tr("Sessions"))
        # Tab leaves the table (arrows move inside it), so Export and Import stay reachable.
        self.table.setTabKeyNavigation(False)
        layout.addWidget(self.table, 1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        outer.addWidget(scrolling(body, tr("Your history")), 1)
        # Outside the scrolled part: a result is seen wherever the user has scrolled to.
        self.notice = label(name="historyNotice", selectable=True)
        self.notice.setVisible(False)
        outer.addWidget(self.notice)
        self.import_bar = ImportBar(self.cancel_import)
        outer.addWidget(self.import_bar)
        outer.addWidget(self._undo_bar())
        outer.addLayout(self._actions())
        # Delete acts on the table's selection only while the table has the keyboard, so the
        # key keeps its meaning in the date fields.
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_delete)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        book.changed.connect(self._on_book_changed)

    # ------------------------------------------------------------------ layout
    def _heading(self, text: str) -> QLabel:
        heading = label(text, name="sectionHeading")
        heading.setFont(px_font(self, 16, QFont.Weight.DemiBold))
        return heading

    def _header(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
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
            caption.setFont(px_font(self, 14, QFont.Weight.DemiBold))
            value = label(name=f"figure-{key}", selectable=True)
            value.setFont(px_font(self, 14))
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self.figures[key] = value
        grid.setColumnStretch(1, 1)
        return grid

    def _filters(self, exercise: Exercise) -> QHBoxLayout:
        row = QHBoxLayout()
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
        self.clear_filter.clicked.connect(self.reset_filter)
        row.addWidget(label(tr("Goal"), wrap=False))
        row.addWidget(self.goal_filter)
        row.addSpacing(12)
        row.addWidget(label(tr("From"), wrap=False))
        row.addWidget(self.since)
        row.addWidget(label(tr("to"), wrap=False))
        row.addWidget(self.until)
        row.addWidget(self.clear_filter)
        row.addStretch(1)
        self.goal_filter.currentIndexChanged.connect(self._apply_filter)
        self.since.dateChanged.connect(self._apply_filter)
        self.until.dateChanged.connect(self._apply_filter)
        return row

    def _undo_bar(self) -> QFrame:
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("confirmBar")
        bar = QHBoxLayout(self.undo_bar)
        self.undo_text = label()
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setAccessibleName(tr("Undo the deletion"))
        self.undo_button.clicked.connect(self.undo_delete)
        bar.addWidget(self.undo_text, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.setVisible(False)
        return self.undo_bar

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.delete_button = QPushButton(tr("Delete selected"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_csv = QPushButton(tr("Export CSV…"))
        self.export_csv.clicked.connect(lambda: self.export("csv"))
        self.export_json = QPushButton(tr("Export JSON…"))
        self.export_json.clicked.connect(lambda: self.export("json"))
        self.import_button = QPushButton(tr("Import CSV…"))
        self.import_button.clicked.connect(self.import_csv)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        for button in (self.export_csv, self.export_json, self.import_button):
            row.addWidget(button)
        return row

    # ------------------------------------------------------------------ rendering
    def open(self) -> None:
        """Read the log afresh and show the window in front, whole on its screen."""
        self.refresh()
        fit_on_screen(self)
        self.show()
        fit_on_screen(self)  # again, now that the frame around it is known
        self.raise_()
        self.activateWindow()

    def _on_book_changed(self) -> None:
        """Only a shown window reads the log again; ``open`` brings a hidden one up to date.

        The book changes after every set of a running session, and a refresh reads the whole
        log: doing that for a window nobody looks at would stall the guided window each time.
        """
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        snapshot = self._book.snapshot()
        if snapshot.unavailable:
            self.notice.setText(snapshot.unavailable)
        self.notice.setVisible(bool(snapshot.unavailable) or bool(self.notice.text()))
        periods = snapshot.periods
        self.figures["today"].setText(totals_text(periods.today))
        self.figures["week"].setText(totals_text(periods.week))
        self.figures["month"].setText(totals_text(periods.month))
        days = tr("working day"), tr("working days")
        self.figures["streak"].setText(
            tr("{current} · best {best}").format(
                current=plural(snapshot.streaks.current, *days),
                best=plural(snapshot.streaks.best, *days),
            )
        )
        self.figures["adherence"].setText(self._adherence_text(snapshot))
        self.heatmap.show_weeks(snapshot.heat)
        self.week_chart.show_weeks(snapshot.weekly)
        self.model.set_sessions(snapshot.sessions, snapshot.tz)
        self._apply_filter()
        self.delete_button.setEnabled(self._book.available)
        self.import_button.setEnabled(self._book.available and self.job is None)

    @staticmethod
    def _adherence_text(snapshot: HistorySnapshot) -> str:
        adherence = snapshot.adherence
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

    def _apply_filter(self) -> None:
        goal = self.goal_filter.currentData()
        self.proxy.set_filter(goal, _chosen(self.since), _chosen(self.until))

    def reset_filter(self) -> None:
        self.goal_filter.setCurrentIndex(0)
        self.since.setDate(self.since.minimumDate())
        self.until.setDate(self.until.minimumDate())

    def shown_sessions(self) -> list[SessionLike]:
        """What the table shows (digests), oldest first."""
        shown = self.model.sessions(self.proxy.source_rows())
        return sorted(shown, key=lambda s: s.started_at)

    # ------------------------------------------------------------------ edits
    def delete_selected(self) -> None:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        if not rows:
            return
        ids = [s.session_id for s in self.model.sessions(rows)]
        self._undo = self._book.delete(ids)
        self.undo_text.setText(
            tr("Deleted {n}.").format(n=plural(len(self._undo), tr("session"), tr("sessions")))
        )
        self.undo_bar.setVisible(bool(self._undo))

    def undo_delete(self) -> None:
        if self._undo:
            self._book.restore(self._undo)
            self._undo = []
        self.undo_bar.setVisible(False)

    def export(self, fmt: ExportFormat) -> None:
        sessions = self.shown_sessions()
        suggested = self.folders.folder() / f"stretchbreak-history-{date.today():%Y-%m-%d}.{fmt}"
        path = self.ask_save(tr("Export history"), str(suggested), tr(FILTERS[fmt]))
        if path is None:
            return
        self.folders.remember(path.parent)
        try:
            held = self._book.export([s.session_id for s in sessions], fmt, path)
        except OSError as error:
            self._say(tr("Could not export to {p}: {e}").format(p=path, e=error.strerror or error))
            return
        self._say(exported_text(held, fmt, path))

    def import_csv(self) -> None:
        """Ask for a file and import it on a worker thread, with progress and Cancel."""
        if self.job is not None:
            return
        path = self.ask_open(tr("Import history"), str(self.folders.folder()), tr(FILTERS["csv"]))
        if path is None:
            return
        self.folders.remember(path.parent)
        try:
            job = self._book.start_import(path)
        except Exception as error:  # the window catches every import error and shows it
            self._say(tr("Nothing was imported. {e}").format(e=error))
            return
        self.job = job
        job.progressed.connect(self._on_job_progressed)
        job.imported.connect(self._on_job_imported)
        job.failed.connect(self._on_job_failed)
        job.cancelled.connect(self._on_job_cancelled)
        self.import_bar.started(path)
        self.import_button.setEnabled(False)
        self.notice.setVisible(False)
        job.start()

    def cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.import_bar.cancelling()

    def _on_job_progressed(self, done: int, total: int) -> None:
        self.import_bar.advanced(done, total)

    def _on_job_imported(self, result: FileImport) -> None:
        self._import_ended(imported_text(result))

    def _on_job_failed(self, message: str) -> None:
        self._import_ended(tr("Nothing was imported. {e}").format(e=message))

    def _on_job_cancelled(self) -> None:
        self._import_ended(tr("Import cancelled; nothing was imported."))

    def _import_ended(self, text: str) -> None:
        self.job = None
        self.import_bar.setVisible(False)
        self.import_button.setEnabled(self._book.available)
        self._say(text)
        self.import_ended.emit(text)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        """An import goes on while the window is closed; its result shows when reopened."""
        self._undo = []
        self.undo_bar.setVisible(False)
        super().closeEvent(event)


def _chosen(edit: QDateEdit) -> date | None:
    """The date in a filter box, or None while it shows "any day"."""
    if edit.date() == edit.minimumDate():
        return None
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())
