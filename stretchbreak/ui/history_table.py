"""The session table: one row per session, sortable by its real values, filtered by goal and day.

A long history has 20 000 rows. Qt's ``QSortFilterProxyModel`` would call back into Python
for every comparison of a sort (``lessThan`` or ``data``) and every row of a filter — seconds
for one sort at that size. So the sort keys and local days are computed in Python, once per
``set_sessions`` and column, and ``SessionFilter`` orders and picks rows with plain list
operations; Qt asks Python only about the rows it paints. Sessions of a ``SessionRows`` are
read from the log as they are painted: sorting by time and filtering by day use the starts it
already holds, and only other sorts and filters read every session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, tzinfo
from operator import attrgetter
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QTableView

from stretchbreak.core.history import SessionLike
from stretchbreak.core.tally import SessionKind, session_kind
from stretchbreak.services.history_rows import BLOCK, SessionRows
from stretchbreak.ui.text import clock_time, plural, seconds_text, tr

AnyIndex = QModelIndex | QPersistentModelIndex
SortKey = Callable[[SessionLike], object]
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: Columns whose text may be longer than their share of a small window: goal, sets × reps.
ELIDED = (1, 2)


class SessionTableModel(QAbstractTableModel):
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Date and time",
        "Goal",
        "Sets × reps",
        "Hold",
        "Active time",
        "Feeling",
        "Source",
    )

    def __init__(self, goal_names: dict[str, str]) -> None:
        super().__init__()
        self._goal_names = goal_names
        self._rows: Sequence[SessionLike] = ()
        self._tz: tzinfo | None = None
        self._keys: dict[int, list[object]] = {}
        self._days: list[date] | None = None

    def set_sessions(self, sessions: Sequence[SessionLike], tz: tzinfo) -> None:
        self.beginResetModel()
        self._rows = sessions
        self._tz = tz
        self._keys = {}
        self._days = None
        self.endResetModel()

    def session(self, row: int) -> SessionLike:
        return self._rows[row]

    def sessions(self, rows: Iterable[int]) -> list[SessionLike]:
        """The sessions of these rows: read in one go when they are more than a few screens,
        as an export of everything shown or a delete of a long selection wants."""
        chosen = list(rows)
        every = self._rows if len(chosen) <= BLOCK else list(self._rows)
        return [every[row] for row in chosen]

    def sort_keys(self, column: int) -> list[object]:
        """Each row's key for sorting by ``column``; computed on the first sort by it."""
        if (keys := self._keys.get(column)) is None:
            if column == 0:  # by start: what ``_sort_key(0)`` reads, without reading a session
                keys = list(self._starts())
            else:
                keys = list(map(self._sort_key(column), self._rows))
            self._keys[column] = keys
        return keys

    def goals(self) -> list[str]:
        return list(map(attrgetter("goal"), self._rows))

    def goal_names(self) -> list[str]:
        """The names the goal column may show (the exercise's goals)."""
        return list(self._goal_names.values())

    def local_days(self) -> list[date]:
        """Each row's local calendar day; computed on the first filter by day."""
        if self._days is None:
            tz = self._tz
            self._days = [started.astimezone(tz).date() for started in self._starts()]
        return self._days

    def _starts(self) -> Sequence[datetime]:
        rows = self._rows
        if isinstance(rows, SessionRows):
            return rows.started_at
        return [s.started_at for s in rows]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> object:
        """``data`` without a model index, for ``SessionFilter`` to pass through cheaply."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(self._rows[row], column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ELIDED:
            return self._display(self._rows[row], column)  # in full where the cell elides it
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4):
            return _RIGHT
        return None

    def _display(self, session: SessionLike, column: int) -> str:
        if column == 0:
            return session.started_at.astimezone(self._tz).strftime("%Y-%m-%d %H:%M")
        if column == 1:
            return self._goal_names.get(session.goal, session.goal)
        if column == 2:
            return volume_text(session)
        if column == 3:
            return seconds_text(session.target_hold_seconds)
        if column == 4:
            return clock_time(session.active_seconds)
        if column == 5:
            return session.feeling.replace("-", " ") if session.feeling else "—"
        return tr("prompt") if session.source == "prompt" else tr("by hand")

    def _sort_key(self, column: int) -> SortKey:
        """The value a column sorts by: the real one (a time, a count), not its text.

        ``attrgetter`` where it will do, as it runs without a Python call per row.
        """
        names = self._goal_names
        keys: tuple[SortKey, ...] = (
            attrgetter("started_at"),
            lambda s: names.get(s.goal, s.goal),
            attrgetter("sets_done", "reps_done", "partial_reps"),
            attrgetter("target_hold_seconds"),
            attrgetter("active_seconds"),
            lambda s: s.feeling or "",
            lambda s: str(s.source),
        )
        return keys[column]


class _VolumeRoom(QObject):
    """Widens the volume column to its long form ("1 × 8 + 2 (ended early)") when the table
    has room to spare after the longest goal name; in a narrow table the goal comes first."""

    def __init__(self, table: QTableView, narrow: int, wide: int, goal: int) -> None:
        super().__init__(table)
        self._table, self._narrow, self._wide, self._goal = table, narrow, wide, goal
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            header = self._table.horizontalHeader()
            others = sum(header.sectionSize(c) for c in range(header.count()) if c not in ELIDED)
            spare = self._table.viewport().width() - others - self._goal
            header.resizeSection(2, max(self._narrow, min(self._wide, spare)))
        return False


def fit_columns(table: QTableView, model: SessionTableModel) -> None:
    """One line per row at any window size: the short columns as wide as their usual text
    (a user may widen them), the goal takes the rest. A longer goal or volume ("2 reps (ended
    early)") is elided; its tooltip and the cell's accessible name carry the full text.
    Measured from sample texts, never from the rows: a long history has 20 000 of them, read
    from the log as they are painted."""
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    samples = {
        0: ["2026-12-31 23:59"],
        2: ["2 × 15 + 3"],
        3: ["10 s"],
        4: [clock_time(59 * 60 + 59)],
        5: ["just right", "painful"],
        6: [tr("by hand"), tr("prompt")],
    }
    for column in range(len(SessionTableModel.COLUMNS)):
        if column not in samples:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        title = header.fontMetrics().horizontalAdvance(tr(SessionTableModel.COLUMNS[column]))
        widest = max([title] + [metrics.horizontalAdvance(text) for text in samples[column]])
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        # Room for the text, not for a sort arrow beside it: that the goal's room is worth more.
        header.resizeSection(column, widest + 10)
    wide = metrics.horizontalAdvance(tr("1 × 8 + 2 (ended early)")) + 10
    goal = max([0] + [metrics.horizontalAdvance(name) for name in model.goal_names()]) + 10
    _VolumeRoom(table, header.sectionSize(2), wide, goal)


def volume_text(session: SessionLike) -> str:
    """E.g. "2 × 8"; ended early: "1 × 8 + 2 (ended early)", "2 reps (ended early)".

    The reps of a set cut short are shown, as ``core.tally`` counts them; "ended early" for
    every session that is not finished, as the summary after it said, and "unfinished" for
    one that has not ended (it is running, or the app was stopped in the middle of it).
    """
    parts = [f"{session.sets_done} × {session.max_reps}"] if session.sets_done else []
    if session.partial_sets:
        cut = session.partial_reps
        parts.append(str(cut) if parts else plural(cut, tr("rep"), tr("reps")))
    text = " + ".join(parts) or "0"
    if session_kind(session) is SessionKind.FINISHED:
        return text
    return f"{text} {tr('(ended early)') if session.outcome else tr('(unfinished)')}"


class SessionFilter(QAbstractTableModel):
    """The rows of a ``SessionTableModel`` of one goal (or all) within an inclusive range of
    local days, sorted by a column; a proxy in all but name (``mapToSource``).

    Sorting is stable, as ``QSortFilterProxyModel``'s: equal rows keep the model's order.
    Selections survive a sort or a filter (persistent indexes are moved, as Qt's proxies do).
    """

    def __init__(self) -> None:
        super().__init__()
        self._source: SessionTableModel | None = None
        self._goal: str | None = None
        self._since: date | None = None
        self._until: date | None = None
        self._column = -1
        self._order = Qt.SortOrder.AscendingOrder
        #: Proxy row → model row, and model row → proxy row (-1 for a hidden one), the
        #: latter made only when asked for: the table never needs it, only selections do.
        self._rows: list[int] = []
        self._at: list[int] | None = None

    def setSourceModel(self, model: SessionTableModel) -> None:
        """Once: the filter follows the model's resets from then on."""
        self.beginResetModel()
        self._source = model
        model.modelAboutToBeReset.connect(self._on_source_about_to_reset)
        model.modelReset.connect(self._on_source_reset)
        self._arrange()
        self.endResetModel()

    def sourceModel(self) -> SessionTableModel:
        assert self._source is not None
        return self._source

    def mapToSource(self, index: AnyIndex) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        return self.sourceModel().index(self._rows[index.row()], index.column())

    def mapFromSource(self, index: AnyIndex) -> QModelIndex:
        row = self._positions()[index.row()] if index.isValid() else -1
        return QModelIndex() if row < 0 else self.index(row, index.column())

    def source_rows(self) -> list[int]:
        """The model's rows that are shown, in the order shown."""
        return list(self._rows)

    def set_filter(self, goal: str | None, since: date | None, until: date | None) -> None:
        if (goal, since, until) == (self._goal, self._since, self._until):
            return
        self._goal, self._since, self._until = goal, since, until
        self._rearrange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        self._rearrange()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._source is None else self._source.columnCount()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        return self.sourceModel().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        return self.sourceModel().cell(self._rows[index.row()], index.column(), role)

    def _on_source_about_to_reset(self) -> None:
        self.beginResetModel()

    def _on_source_reset(self) -> None:
        self._arrange()
        self.endResetModel()

    def _rearrange(self) -> None:
        """Re-sort or re-filter, moving persistent indexes (selections) with their rows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [(self._rows[i.row()], i.column()) for i in before]
        self._arrange()
        positions = self._positions() if held else []
        after = [
            QModelIndex() if (row := positions[source]) < 0 else self.index(row, column)
            for source, column in held
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _positions(self) -> list[int]:
        if self._at is None:
            count = 0 if self._source is None else self._source.rowCount()
            self._at = [-1] * count
            for position, row in enumerate(self._rows):
                self._at[row] = position
        return self._at

    def _arrange(self) -> None:
        self._at = None
        model = self._source
        if model is None:
            self._rows = []
            return
        rows: list[int] | range = range(model.rowCount())
        if (goal := self._goal) is not None:
            goals = model.goals()
            rows = [r for r in rows if goals[r] == goal]
        since, until = self._since, self._until
        if since is not None or until is not None:
            days = model.local_days()
            rows = [
                r
                for r in rows
                if (since is None or days[r] >= since) and (until is None or days[r] <= until)
            ]
        if 0 <= self._column < model.columnCount():
            key: Callable[[int], Any] = model.sort_keys(self._column).__getitem__
            rows = sorted(rows, key=key, reverse=self._order is Qt.SortOrder.DescendingOrder)
        self._rows = list(rows)
