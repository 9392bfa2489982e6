"""A calendar heatmap of sets per day: one small QPainter widget, no chart library."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from stretchbreak.core.stats import DayDetail, HeatCell
from stretchbreak.ui.text import clock_time, plural, tr
from stretchbreak.ui.widgets import mix, px_font

CELL = 13
GAP = 3
LEFT = 34
TOP = 18
#: Level 0 is an empty day; 1–4 climb towards the palette's highlight colour.
LEVEL_MIX = (0.0, 0.3, 0.55, 0.8, 1.0)
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


class Heatmap(QWidget):
    """Columns are weeks (oldest left), rows Monday to Sunday; a tooltip details each day."""

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
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(tr("Sets per day, last 26 weeks"))

    def show_weeks(self, weeks: list[list[HeatCell]]) -> None:
        self._weeks = weeks
        busiest = max((c.sets for w in weeks for c in w), default=0)
        active = sum(1 for w in weeks for c in w if c.sets)
        self.setAccessibleDescription(
            tr("{days} active days; the busiest had {sets}").format(
                days=active, sets=plural(busiest, tr("set"), tr("sets"))
            )
        )
        self.updateGeometry()
        self.update()

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

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        empty = mix(base, text, 0.1)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(px_font(self, 10))
        painter.setPen(mix(text, base, 0.35))
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
                painter.setPen(mix(text, base, 0.35))
                painter.drawText(LEFT + column * (CELL + GAP), TOP - 6, first.strftime("%b"))
            for row, cell in enumerate(week):
                if cell.future:
                    continue
                colour = empty if cell.level == 0 else mix(empty, accent, LEVEL_MIX[cell.level])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(self.cell_rect(column, row), 2.5, 2.5)
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
