"""The history window: totals, streak, adherence, a heatmap, weekly bars and every session.

It renders a ``HistorySnapshot`` and forwards edits (delete, undo, export, import) to the
``HistoryBook``; it never reads or writes the log itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import SessionLike, SessionRecord
from stretchbreak.services.history_book import ExportFormat, HistoryBook
from stretchbreak.services.history_import import FileImport, ImportJob
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
from stretchbreak.ui.history_parts import EditButtons, FigureGrid, SessionFilters, UndoBar
from stretchbreak.ui.history_table import SessionFilter, SessionTableModel, fit_columns
from stretchbreak.ui.text import tr
from stretchbreak.ui.week_chart import WeekChart
from stretchbreak.ui.widgets import label, px_font, scrolling
from stretchbreak.ui.window_geometry import fit_on_screen
from stretchbreak.ui.window_style import STYLE


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
        header = FigureGrid(self)
        self._figure_grid, self.figures = header, header.figures
        layout.addLayout(header)
        layout.addWidget(self._heading(tr("Sets per day, last 26 weeks")))
        self.heatmap = Heatmap(book.day_detail, goal_names={g.id: g.name for g in exercise.goals})
        layout.addWidget(self.heatmap)
        layout.addWidget(self._heading(tr("Sets per week, last 12 weeks")))
        self.week_chart = WeekChart()
        layout.addWidget(self.week_chart)
        layout.addWidget(self._heading(tr("Sessions")))
        self.filters = filters = SessionFilters(exercise)
        self.goal_filter, self.since, self.until = filters.goal_filter, filters.since, filters.until
        self.clear_filter = filters.clear_filter
        filters.changed.connect(self._apply_filter)
        layout.addLayout(filters)
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
        self.undo_bar = UndoBar()
        self.undo_text, self.undo_button = self.undo_bar.text, self.undo_bar.button
        self.undo_button.clicked.connect(self.undo_delete)
        outer.addWidget(self.undo_bar)
        edits = EditButtons()
        self.delete_button, self.import_button = edits.delete_button, edits.import_button
        self.export_csv, self.export_json = edits.export_csv, edits.export_json
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_csv.clicked.connect(lambda: self.export("csv"))
        self.export_json.clicked.connect(lambda: self.export("json"))
        self.import_button.clicked.connect(self.import_csv)
        outer.addLayout(edits)
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
        self._figure_grid.show_figures(snapshot)
        self.heatmap.show_weeks(snapshot.heat)
        self.week_chart.show_weeks(snapshot.weekly)
        self.model.set_sessions(snapshot.sessions, snapshot.tz)
        self._apply_filter()
        self.delete_button.setEnabled(self._book.available)
        self.import_button.setEnabled(self._book.available and self.job is None)

    def _apply_filter(self) -> None:
        self.proxy.set_filter(*self.filters.chosen())

    def reset_filter(self) -> None:
        self.filters.reset()

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
        self.undo_bar.deleted(len(self._undo))

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
