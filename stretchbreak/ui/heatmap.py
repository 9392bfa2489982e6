"""A calendar heatmap of sets per day: one small QPainter widget, no chart library."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from stretchbreak.core.stats import DayDetail, HeatCell
from stretchbreak.ui.contrast import AA_NORMAL, muted
from stretchbreak.ui.text import clock_time, plural, tr
from stretchbreak.ui.widgets import mix, px_font

CELL = 13
GAP = 3
LEFT = 34
TOP = 18
#: Level 0 is an empty day; 1–4 climb towards the palette's highlight colour.
LEVEL_MIX = (0.0, 0.3, 0.55, 0.8, 1.0)
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


#: Arrow keys move the chosen day by (weeks, days).
MOVES = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class Heatmap(QWidget):
    """Columns are weeks (oldest left), rows Monday to Sunday; a tooltip details each day.

    Without a mouse: Tab gives it the keyboard, the arrow keys move between days (Home and
    End to the first and last), and the chosen day's line is the widget's accessible name,
    so a screen reader reads "Tue 3 Nov: 2 sets, 13 reps" as the days go by.
    """

    def __init__(
        self,
        detail: Callable[[date], DayDetail],
        parent: QWidget | None = None,
        goal_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._detail = detail
        self._goal_names = goal_names or {}
        self._weeks: list[list[HeatCell]] = []
        self._cursor = (0, 0)
        self.summary = ""
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(tr("Sets per day, last 26 weeks"))

    def show_weeks(self, weeks: list[list[HeatCell]]) -> None:
        self._weeks = weeks
        busiest = max((c.sets for w in weeks for c in w), default=0)
        active = sum(1 for w in weeks for c in w if c.sets)
        self.summary = tr("{days}; the busiest had {sets}").format(
            days=plural(active, tr("active day"), tr("active days")),
            sets=plural(busiest, tr("set"), tr("sets")),
        )
        self.setAccessibleDescription(
            tr("Sets per day, last 26 weeks: {summary}. Arrow keys move between days.").format(
                summary=self.summary
            )
        )
        days = [(c, r) for c, w in enumerate(weeks) for r, cell in enumerate(w) if not cell.future]
        self._cursor = days[-1] if days else (0, 0)
        self._name_cursor()
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ keyboard
    def current_day(self) -> date | None:
        column, row = self._cursor
        if column < len(self._weeks) and row < len(self._weeks[column]):
            return self._weeks[column][row].day
        return None

    def day_line(self, day: date) -> str:
        """E.g. "Tue 3 Nov: 2 sets, 13 reps", or "Sat 7 Nov: no stretch"."""
        detail = self._detail(day)
        heading = f"{tr(day.strftime('%a'))} {day.day} {tr(day.strftime('%b'))}"
        if detail.sessions == 0:
            return f"{heading}: {tr('no stretch')}"
        return (
            f"{heading}: {plural(detail.sets, tr('set'), tr('sets'))}, "
            f"{plural(detail.reps, tr('rep'), tr('reps'))}"
        )

    def _name_cursor(self) -> None:
        day = self.current_day()
        self.setAccessibleName(self.day_line(day) if day else tr("Sets per day, last 26 weeks"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        column, row = self._cursor
        days = [
            (c, r) for c, w in enumerate(self._weeks) for r, cell in enumerate(w) if not cell.future
        ]
        if not days:
            super().keyPressEvent(event)
            return
        if key in MOVES:
            dc, dr = MOVES[Qt.Key(key)]
            wanted = (column + dc, row + dr)
        elif key == Qt.Key.Key_Home:
            wanted = days[0]
        elif key == Qt.Key.Key_End:
            wanted = days[-1]
        else:
            super().keyPressEvent(event)
            return
        if wanted in days:
            self._cursor = wanted
            self._name_cursor()
            self._show_cursor_tip()
            self.update()
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._show_cursor_tip()
        super().focusInEvent(event)

    def _show_cursor_tip(self) -> None:
        day = self.current_day()
        if day is not None and self.isVisible():
            where = self.cell_rect(*self._cursor).bottomRight()
            QToolTip.showText(self.mapToGlobal(where), self.tooltip_text(day), self)

    @property
    def weeks(self) -> list[list[HeatCell]]:
        return self._weeks

    def sizeHint(self) -> QSize:
        columns = max(len(self._weeks), 26)
        return QSize(LEFT + columns * (CELL + GAP), TOP + 7 * (CELL + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, column: int, row: int) -> QRect:
        return QRect(LEFT + column * (CELL + GAP), TOP + row * (CELL + GAP), CELL, CELL)

    def cell_at(self, point: QPoint) -> HeatCell | None:
        for column, week in enumerate(self._weeks):
            for row, cell in enumerate(week):
                if self.cell_rect(column, row).contains(point):
                    return cell
        return None

    def label_colour(self) -> QColor:
        """Weekday and month names: lighter than text, still 4.5:1 on the window."""
        palette = self.palette()
        return muted(
            palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window),
            0.35,
            AA_NORMAL,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        empty = mix(base, text, 0.1)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(px_font(self, 10))
        painter.setPen(self.label_colour())
        for row, name in WEEKDAY_LABELS.items():
            box = QRect(0, TOP + row * (CELL + GAP) - 2, LEFT - 6, CELL + 4)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tr(name)
            )
        last_month = None
        for column, week in enumerate(self._weeks):
            first = week[0].day
            if first.month != last_month:
                last_month = first.month
                painter.setPen(self.label_colour())
                painter.drawText(LEFT + column * (CELL + GAP), TOP - 6, first.strftime("%b"))
            for row, cell in enumerate(week):
                if cell.future:
                    continue
                colour = empty if cell.level == 0 else mix(empty, accent, LEVEL_MIX[cell.level])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(self.cell_rect(column, row), 2.5, 2.5)
        if self.hasFocus() and self._weeks:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(text, 2))
            painter.drawRoundedRect(self.cell_rect(*self._cursor).adjusted(-2, -2, 2, 2), 3, 3)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None or cell.future:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(cell.day), self)
            return True
        return super().event(event)

    def tooltip_text(self, day: date) -> str:
        detail = self._detail(day)
        heading = day.strftime("%a %d %b %Y")
        if detail.sessions == 0:
            return f"{heading}\n{tr('No stretch')}"
        return (
            f"{heading}\n"
            f"{plural(detail.sessions, tr('session'), tr('sessions'))} · "
            f"{plural(detail.sets, tr('set'), tr('sets'))} · "
            f"{plural(detail.reps, tr('rep'), tr('reps'))} · "
            f"{clock_time(detail.active_minutes * 60)} {tr('active')}\n"
            + ", ".join(self._goal_names.get(goal, goal) for goal in detail.goals)
        )
