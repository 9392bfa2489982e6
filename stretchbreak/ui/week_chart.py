"""Sets per week as bars, drawn with QtCharts (in the Addons wheel).

Only the history window uses it, and that window is built on first use (``app/windows.py``), so
QtCharts (about 20 MB of library) loads with the window, never in an idle tray.
"""

from __future__ import annotations

from datetime import date

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

    def show_weeks(self, weekly: list[tuple[date, int]]) -> None:
        self.values = [sets for _, sets in weekly]
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
        categories.append(week_labels([start for start, _ in weekly]))
        values = QtCharts.QValueAxis()
        values.setRange(0, max([*self.values, 4]))
        values.setLabelFormat("%d")
        values.setTickCount(5)
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
            ", ".join(f"{start.day} {start:%b}: {sets}" for start, sets in weekly)
        )


def week_labels(starts: list[date]) -> list[str]:
    """Short enough for twelve bars in a small window: "2 Nov", "9", "16", …, "7 Dec".

    The month is named on the first week and wherever it changes; other weeks show the day.
    """
    labels = []
    month = None
    for start in starts:
        labels.append(f"{start.day} {start:%b}" if start.month != month else str(start.day))
        month = start.month
    return labels
