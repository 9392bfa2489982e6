"""The welcome: what stretchbreak does, when the first break comes, where the app lives.

Shown once for a data folder, at the first pause in typing, without taking the keyboard
(the composition root decides when); reopened from the tray menu or the status window.
A dialog, so Enter means "Got it" and Esc closes it; every control has a screen-reader name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLayout, QPushButton, QVBoxLayout, QWidget

from stretchbreak.core.schedule import Activity, Status
from stretchbreak.core.welcome_facts import DayGroup
from stretchbreak.core.working_hours import WEEKDAYS
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label, px_font
from stretchbreak.ui.window_style import STYLE

SHORT_DAYS = {
    "mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat",
    "sun": "Sun",
}  # fmt: skip


@dataclass(frozen=True)
class WelcomeInfo:
    """The welcome's three changing sentences, already in words."""

    next_break: str
    hours: str
    where: str


def _moment(at: datetime, now: datetime, tz: tzinfo) -> str:
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return tr("today at {time}").format(time=local.strftime("%H:%M"))
    day = WEEKDAYS[local.weekday()]  # not strftime("%a"): that follows the C locale
    return tr("{day} at {time}").format(day=tr(SHORT_DAYS[day]), time=local.strftime("%H:%M"))


def next_break_text(status: Status, work_start: datetime | None, now: datetime, tz: tzinfo) -> str:
    """The first break, or why there is none yet (outside working hours, paused)."""
    due = status.next_prompt_at
    if status.state is Activity.PAUSED and status.paused_until is not None:
        return tr("Reminders are paused until {moment}.").format(
            moment=_moment(status.paused_until, now, tz)
        )
    if status.state is Activity.OUTSIDE_HOURS:
        if work_start is None:
            return tr("It is outside your working hours, and none are set: no break is planned.")
        text = tr("It is outside your working hours now; they begin {moment}.").format(
            moment=_moment(work_start, now, tz)
        )
        if due is not None:
            text += " " + tr("The first break comes {moment}.").format(moment=_moment(due, now, tz))
        return text
    if due is None:
        return tr("No break is planned in the next two weeks.")
    minutes = max(0, round((due - now).total_seconds() / 60))
    return tr("Your first break comes {moment} (in {minutes} min).").format(
        moment=_moment(due, now, tz), minutes=minutes
    )


def hours_text(groups: tuple[DayGroup, ...]) -> str:
    """E.g. "Mon–Fri 09:00–12:30, 13:30–17:30"; one line per group of days."""
    if not groups:
        return tr("No working hours are set.")
    lines = []
    for group in groups:
        days = tr(SHORT_DAYS[group.first])
        if group.last != group.first:
            days += "–" + tr(SHORT_DAYS[group.last])
        ranges = ", ".join(str(r).replace("-", "–") for r in group.ranges)
        lines.append(f"{days} {ranges}")
    return "\n".join(lines)


def where_text(tray_area: QRect | None, screen: QRect | None) -> str:
    """Where to find the app: the tray icon's corner when the tray says, or the status window."""
    if tray_area is None:
        return tr(
            "Here the small stretchbreak window stands in for the tray icon: its buttons start "
            "a break, pause reminders and open everything else."
        )
    place = tr("in the system tray")
    # Before a tray host adopts the icon, Qt reports its own unmapped window at 0,0.
    placed = tray_area.isValid() and not tray_area.isEmpty() and not tray_area.topLeft().isNull()
    if screen is not None and placed:
        centre = tray_area.center()
        vertical = tr("top") if centre.y() < screen.center().y() else tr("bottom")
        third = screen.width() / 3
        column = (centre.x() - screen.left()) / third
        horizontal = tr("left") if column < 1 else tr("right") if column >= 2 else ""
        corner = f"{vertical} {horizontal}".strip()
        place = tr("in the system tray at the {corner} of the screen").format(corner=corner)
    return tr(
        "The stretchbreak icon sits {place}. Click it to start a break now; its menu pauses "
        "reminders and opens History, Settings and this welcome."
    ).format(place=place)


class WelcomeWindow(QDialog):
    """Signals: ``try_requested()``, ``hours_requested()``."""

    try_requested = Signal()
    hours_requested = Signal()

    def __init__(self, info: WelcomeInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome"))
        self.setAccessibleName(tr("Welcome to stretchbreak"))
        self.setStyleSheet(STYLE)
        self.setModal(False)
        layout = QVBoxLayout(self)
        # The size its wrapped text needs, no more: no gaps between the lines.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        self.heading = label(tr("Welcome to stretchbreak"), name="windowHeading")
        self.heading.setFont(px_font(self, 20, QFont.Weight.DemiBold))
        self.heading.setMinimumWidth(480)
        self.what = label(
            tr(
                "stretchbreak reminds you to take a short break for your back during your "
                "working hours, and guides you through the Dynamic Back Stretch set by set. "
                "Every set you finish is kept on this computer."
            )
        )
        self.next_break = label(name="welcomeNextBreak")
        self.hours_title = label(tr("Working hours"), name="windowHeading")
        self.hours = label()
        self.hours_button = QPushButton(tr("Change working hours…"))
        self.hours_button.setAccessibleName(tr("Change working hours in Settings"))
        self.hours_button.clicked.connect(self.hours_requested)
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.hours, 1)
        hours_row.addWidget(self.hours_button)
        self.where = label(name="tip")
        self.try_button = QPushButton(tr("Try the stretch now"))
        self.try_button.setAccessibleName(tr("Try the stretch now"))
        self.try_button.setAccessibleDescription(tr("Opens the guided window"))
        self.try_button.clicked.connect(self._on_try_button_clicked)
        self.done_button = QPushButton(tr("Got it"))
        self.done_button.setObjectName("primaryButton")
        self.done_button.setAccessibleName(tr("Got it, close the welcome"))
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.try_button)
        buttons.addWidget(self.done_button)
        for widget in (self.heading, self.what, self.next_break, self.hours_title):
            layout.addWidget(widget)
        layout.addLayout(hours_row)
        layout.addWidget(self.where)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.hours_button, self.try_button)
        QWidget.setTabOrder(self.try_button, self.done_button)
        self.show_info(info)

    def show_info(self, info: WelcomeInfo) -> None:
        self.next_break.setText(info.next_break)
        self.hours.setText(info.hours)
        self.hours.setAccessibleName(tr("Working hours: {hours}").format(hours=info.hours))
        self.where.setText(info.where)
        self.setAccessibleDescription(f"{self.what.text()} {info.next_break}")

    def open_calmly(self) -> None:
        """Appear without taking the keyboard from the window the user works in."""
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.adjustSize()
        self.show()
        self.done_button.setFocus()

    def open_now(self) -> None:
        """Asked for from the menu: come forward with the keyboard."""
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.adjustSize()
        self.show()
        self.raise_()
        self.activateWindow()
        self.done_button.setFocus()

    def _on_try_button_clicked(self) -> None:
        self.accept()
        self.try_requested.emit()
