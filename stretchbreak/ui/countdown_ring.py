"""The countdown ring of the guided window's setup, hold and rest: a large ring that empties
smoothly while the whole seconds count down in its centre."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QProgressBar, QSizePolicy, QWidget

from stretchbreak.core.clock import Clock
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.contrast import muted
from stretchbreak.ui.widgets import mix, px_font

#: About 30 frames a second: smooth for a ring, and only while a countdown is on screen.
RING_FRAME_MS = 33


class CountdownRing(QProgressBar):
    """A large ring that empties smoothly while whole seconds count down in its centre.

    It reads the remaining time from the deadline on every frame instead of counting frames,
    so a late or skipped frame never makes the countdown drift. It is a progress bar for
    assistive technology: its value is the whole seconds left, its text "12 seconds left".
    What stays still for a second (the track, the number, the caption) is drawn once into a
    picture; a frame repaints only around the arc's moving end and copies that picture under
    it, because large digits are drawn as outlines and cost more than the whole arc.
    """

    def __init__(self, clock: Clock, ticker: TickerFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._ticker = ticker(RING_FRAME_MS, self._on_frame)
        self._deadline: float | None = None
        self._total: float | None = None
        self._frozen: float | None = None
        self._caption = ""
        self._idle_text = ""
        #: The arc's fraction on screen (None: draw afresh), and the still face with its key.
        self._shown_fraction: float | None = None
        self._face: tuple[tuple[object, ...], QPixmap] | None = None
        self._face_number: str | None = None
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Countdown"))
        self.setFormat(self.tr("%v seconds left"))
        self.setTextVisible(False)
        self.reset()

    def sizeHint(self) -> QSize:
        return QSize(260, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 120)

    def _on_frame(self) -> None:
        shown = self._shown_fraction
        self._sync_value()
        fraction = self._fraction()
        rect, thickness = self._ring_rect()
        face = self._face_number
        if shown is None or fraction is None or face != self.seconds_text() or rect.isEmpty():
            self._shown_fraction = None
            self.update()
            return
        if abs(shown - fraction) * math.pi * rect.width() < 0.35:
            return  # the arc's end has not moved by a visible amount
        self._shown_fraction = fraction
        self.update(_arc_ends(rect, thickness, shown, fraction).toAlignedRect())

    def _fraction(self) -> float | None:
        remaining = self.remaining()
        if remaining is None or not self._total:
            return None
        return max(0.0, min(1.0, remaining / self._total))

    def _ring_rect(self) -> tuple[QRectF, float]:
        side = min(self.width(), self.height()) - 8
        thickness = max(6.0, side * 0.06)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        return (rect, thickness) if side > 0 else (QRectF(), thickness)

    def _sync_value(self) -> None:
        """The whole seconds left as the bar's value, which screen readers follow."""
        remaining = self.remaining()
        if remaining is None:
            self.reset()
            return
        seconds = math.ceil(remaining - 1e-9)
        top = max(seconds, math.ceil(self._total or 0))
        if self.maximum() != top:
            self.setRange(0, top)
        self.setValue(seconds)

    def show_countdown(
        self,
        deadline: float | None,
        total: float | None,
        frozen_remaining: float | None,
        caption: str,
        idle_text: str = "",
    ) -> None:
        """Count to ``deadline``; with no deadline show ``frozen_remaining`` or ``idle_text``."""
        self._deadline = deadline
        self._total = total
        self._frozen = frozen_remaining
        self._caption = caption
        self._idle_text = idle_text
        self._shown_fraction = None
        if deadline is not None and self.isVisible():
            self._ticker.start()
        else:
            self._ticker.stop()
        self._sync_value()
        self.setAccessibleDescription(caption)
        self.update()

    @property
    def animating(self) -> bool:
        return self._ticker.running

    def remaining(self) -> float | None:
        if self._deadline is not None:
            return max(0.0, self._deadline - self._clock.monotonic())
        return self._frozen

    def seconds_text(self) -> str:
        """Whole seconds, rounded up: a hold shows 3, 2, 1 and ends as 0 would appear."""
        remaining = self.remaining()
        return self._idle_text if remaining is None else str(math.ceil(remaining - 1e-9))

    def showEvent(self, event: object) -> None:
        if self._deadline is not None:
            self._ticker.start()

    def hideEvent(self, event: object) -> None:
        self._ticker.stop()
        self._face = None  # a closed window keeps no picture of its countdown
        self._face_number = None

    def paintEvent(self, event: QPaintEvent) -> None:
        rect, thickness = self._ring_rect()
        if rect.isEmpty():
            return
        # A partial repaint draws the arc its frame measured (and cleared room for); a full
        # one (shown, resized, a new second or phase) draws this instant's.
        if self._shown_fraction is None or event.rect().contains(self.rect()):
            self._shown_fraction = self._fraction()
        palette = self.palette()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._still_face(rect, thickness, palette))
        if self._shown_fraction is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            accent = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(accent, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawArc(rect, 90 * 16, round(self._shown_fraction * 360 * 16))
        painter.end()

    def _still_face(self, rect: QRectF, thickness: float, palette: QPalette) -> QPixmap:
        """The track, the whole seconds and the caption, drawn once per change, not per frame."""
        text = palette.color(QPalette.ColorRole.WindowText)
        window = palette.color(QPalette.ColorRole.Window)
        ratio = self.devicePixelRatioF()
        number = self.seconds_text()
        key = (self.size(), ratio, text.rgba(), window.rgba(), number, self._caption, self.font())
        if self._face is not None and self._face[0] == key:
            return self._face[1]
        face = QPixmap(self.size() * ratio)
        face.setDevicePixelRatio(ratio)
        face.fill(Qt.GlobalColor.transparent)
        painter = QPainter(face)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = mix(window, text, 0.12)
        painter.setPen(QPen(track, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawEllipse(rect)
        painter.setPen(text)
        side = rect.width() + thickness
        big = len(number) <= 3
        painter.setFont(px_font(self, side * (0.34 if big else 0.12), QFont.Weight.DemiBold))
        number_box = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.72)
        painter.drawText(
            number_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, number
        )
        painter.setFont(px_font(self, side * 0.075))
        painter.setPen(muted(text, window, 0.3))
        caption_box = QRectF(
            rect.left(), rect.top() + rect.height() * 0.72, rect.width(), rect.height() * 0.14
        )
        painter.drawText(
            caption_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._caption
        )
        painter.end()
        self._face = (key, face)
        self._face_number = number
        return face


def _arc_ends(rect: QRectF, thickness: float, a: float, b: float) -> QRectF:
    """The pixels an arc from the top changes between fractions ``a`` and ``b`` of a turn:
    points along that stretch of the circle, widened by half the pen and its soft edge."""
    if abs(a - b) > 0.3:
        return rect.adjusted(-thickness, -thickness, thickness, thickness)
    steps = max(2, math.ceil(abs(a - b) * 72))  # every 5 degrees: the chord stays within 1 px
    radius, centre = rect.width() / 2, rect.center()
    xs, ys = [], []
    for i in range(steps + 1):
        angle = math.radians(90.0 + 360.0 * (a + (b - a) * i / steps))
        xs.append(centre.x() + radius * math.cos(angle))
        ys.append(centre.y() - radius * math.sin(angle))
    pad = thickness / 2 + 3.0
    return QRectF(QPointF(min(xs) - pad, min(ys) - pad), QPointF(max(xs) + pad, max(ys) + pad))
