"""Small reusable pieces of the windows: labels, type sizes, scrolling, colours, the shortcut
strip and a combo box that may narrow. The countdown ring has its own module."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QWidget,
)

from stretchbreak.ui.contrast import muted
from stretchbreak.ui.text import tr


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
