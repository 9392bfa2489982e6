"""Sets per week as bars, drawn with QtCharts (in the Addons wheel).

Only the history window uses it, and that window is built on first use (``app/windows.py``), so
QtCharts (about 20 MB of library) loads with the window, never in an idle tray.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6 import QtCharts
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from stretchbreak.ui.text import tr


class WeekChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QtCharts.QChart()
        self.chart.legend().setVisible(False)
        self.chart.setBackgroundVisible(False)
        self.chart.setMargins(self.chart.margins() * 0)
        self.view = QtCharts.QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(150)
        self.view.setStyleSheet("background: transparent")
        # A picture, not a control: the weeks' figures are in the accessible description.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setAccessibleName(tr("Sets per week, last 12 weeks"))
        self.values: list[int] = []
        self.starts: list[date] = []

    def show_weeks(self, weekly: list[tuple[date, int]]) -> None:
        self.values = [sets for _, sets in weekly]
        self.starts = [start for start, _ in weekly]
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        palette = self.palette()
        bars = QtCharts.QBarSet(tr("Sets"))
        bars.append([float(v) for v in self.values])
        bars.setColor(palette.color(QPalette.ColorRole.Highlight))
        bars.setBorderColor(palette.color(QPalette.ColorRole.Highlight))
        series = QtCharts.QBarSeries()
        series.append(bars)
        self.chart.addSeries(series)
        categories = QtCharts.QBarCategoryAxis()
        categories.append(week_labels(self.starts))
        values = QtCharts.QValueAxis()
        values.setRange(0, whole_steps(max([*self.values, 1]), STEPS))
        values.setLabelFormat("%d")
        values.setTickCount(STEPS + 1)
        text = palette.color(QPalette.ColorRole.WindowText)
        for axis in (categories, values):
            axis.setLabelsColor(text)
            axis.setGridLineVisible(axis is values)
            axis.setLinePenColor(palette.color(QPalette.ColorRole.Mid))
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.setAccessibleDescription(
            ", ".join(f"{start.day} {month_name(start)}: {sets}" for start, sets in weekly)
        )


#: Grid lines above the zero line.
STEPS = 4


def whole_steps(most: int, steps: int) -> int:
    """The scale's top: at least ``most``, and a multiple of ``steps`` so that every grid
    line falls on a whole number of sets (0–15 in four steps would label 3.75 as "3")."""
    return -(-most // steps) * steps


def month_name(day: date) -> str:
    """The month's short name, translated as the heatmap's are."""
    return tr(day.strftime("%b"))


def week_labels(starts: list[date]) -> list[str]:
    """Narrow enough for twelve bars in a 640×480 window: each week's first day, with the
    month's name under it on the first week and wherever the month changes ("7" over "Sep",
    "14", "21", …). One line "7 Sep" is wider than a bar's slot there, and QtCharts then
    shortens it to "7 …". QtCharts draws a label as rich text, so the line break is ``<br>``.
    """
    labels = []
    month = None
    for start in starts:
        if start.month != month:
            name = escape(month_name(start))
            labels.append(f'<div align="center">{start.day}<br>{name}</div>')
        else:
            labels.append(str(start.day))
        month = start.month
    return labels
