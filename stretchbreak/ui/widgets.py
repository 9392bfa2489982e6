"""Small reusable pieces of the guided window: the countdown ring, the shortcut strip, type."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from stretchbreak.core.clock import Clock
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.contrast import muted
from stretchbreak.ui.text import tr

#: About 30 frames a second: smooth for a ring, and only while a countdown is on screen.
RING_FRAME_MS = 33


def px_font(widget: QWidget, pixels: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """A font sized in device-independent pixels, so views scale with the window, not the DPI."""
    font = QFont(widget.font())
    font.setPixelSize(max(1, round(pixels)))
    font.setWeight(weight)
    return font


def label(
    text: str = "",
    *,
    wrap: bool = True,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    name: str = "",
    selectable: bool = False,
) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setObjectName(name)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


class ViewScroll(QScrollArea):
    """A view's scroll area: its own class, so assistive technology hears a named panel."""


def scrolling(body: QWidget, name: str = "") -> QScrollArea:
    """Let a view's content scroll vertically in a small window instead of being squeezed.

    The area takes Tab (so arrows and Page Down scroll it without a mouse) and is named for
    screen readers after what it holds.
    """
    scroll = ViewScroll()
    scroll.setAccessibleName(name or tr("Scrollable content"))
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    return scroll


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """A colour between two palette colours, so accents work in light and dark palettes."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


class CountdownRing(QProgressBar):
    """A large ring that empties smoothly while whole seconds count down in its centre.

    It reads the remaining time from the deadline on every frame instead of counting frames,
    so a late or skipped frame never makes the countdown drift. It is a progress bar for
    assistive technology: its value is the whole seconds left, its text "12 seconds left".
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
        self._sync_value()
        self.update()

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

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height()) - 8
        if side <= 0:
            return
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.WindowText)
        track = mix(palette.color(QPalette.ColorRole.Window), text, 0.12)
        thickness = max(6.0, side * 0.06)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(track, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(rect)
        remaining = self.remaining()
        if remaining is not None and self._total:
            fraction = max(0.0, min(1.0, remaining / self._total))
            pen.setColor(accent)
            painter.setPen(pen)
            painter.drawArc(rect, 90 * 16, round(fraction * 360 * 16))
        painter.setPen(text)
        number = self.seconds_text()
        big = len(number) <= 3
        painter.setFont(px_font(self, side * (0.34 if big else 0.12), QFont.Weight.DemiBold))
        number_box = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.72)
        painter.drawText(
            number_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, number
        )
        painter.setFont(px_font(self, side * 0.075))
        painter.setPen(muted(text, palette.color(QPalette.ColorRole.Window), 0.3))
        caption_box = QRectF(
            rect.left(), rect.top() + rect.height() * 0.72, rect.width(), rect.height() * 0.14
        )
        painter.drawText(
            caption_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._caption
        )
        painter.end()


class ShortcutStrip(QLabel):
    """The keys that work in the current view, always visible at the bottom of the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setObjectName("shortcutStrip")
        self._keys: list[tuple[str, str]] = []

    def text_colour(self) -> QColor:
        """Lighter than body text, yet at least 4.5:1 against the window."""
        palette = self.palette()
        return muted(
            palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window),
            0.35,
        )

    def show_keys(self, keys: list[tuple[str, str]]) -> None:
        self._keys = keys
        entries = "&nbsp;&nbsp;·&nbsp;&nbsp; ".join(
            f"<b>{k}</b>&nbsp;{a.replace(' ', '&nbsp;')}" for k, a in keys
        )
        self.setText(f'<span style="color: {self.text_colour().name()}">{entries}</span>')
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.setAccessibleDescription(", ".join(f"{k}: {a}" for k, a in keys))

    @property
    def keys(self) -> list[tuple[str, str]]:
        return list(self._keys)


class ShrinkingCombo(QComboBox):
    """A combo box as wide as its longest item where there is room, which a small window
    may narrow to a dozen characters (the closed box then elides; its list shows all)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        narrow = self.fontMetrics().horizontalAdvance("x" * 12) + 36  # the arrow and frame
        return QSize(min(hint.width(), narrow), hint.height())
