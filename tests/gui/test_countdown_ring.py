"""The countdown ring as seen on screen: repainted only around the arc's moving end, yet
always the picture the time left says, digits included."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QRegion
from pytestqt.qtbot import QtBot

from stretchbreak.ui.countdown_ring import CountdownRing
from tests.fakes import FakeClock, FakeTickers


def test_the_ring_drawn_piecewise_matches_the_ring_drawn_afresh(qtbot: QtBot) -> None:
    clock, tickers = FakeClock(), FakeTickers()
    ring = CountdownRing(clock, tickers)
    qtbot.addWidget(ring)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#f1f1f1"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#f0a030"))
    ring.setPalette(palette)
    ring.setAutoFillBackground(True)
    ring.resize(400, 400)
    ring.show()
    qtbot.waitExposed(ring)
    ring.show_countdown(clock.monotonic() + 3.0, 3.0, None, "hold")
    asked: list[tuple[QRect, ...]] = []
    ring.update = lambda *area: asked.append(area)  # type: ignore[method-assign]
    screen = ring.grab().toImage()
    painter = QPainter(screen)
    partial = whole = 0
    for _ in range(60):  # 2.4 s of frames: the arc shrinks and "3" becomes "2", then "1"
        clock.advance(0.04)
        ring._on_frame()
        for area in asked:
            if area:
                partial += 1
                ring.render(painter, area[0].topLeft(), QRegion(area[0]))
            else:
                whole += 1
                ring.render(painter, QPoint(0, 0))
        asked.clear()
    painter.end()
    assert ring.seconds_text() == "1"
    assert partial > 40  # most frames touch only the arc's end
    assert 2 <= whole <= 4  # the digits change: the whole ring, once a second
    assert visibly_different(screen, ring.grab().toImage()) < 10


def visibly_different(a: QImage, b: QImage) -> int:
    """Pixels that differ by more than an antialiased edge moving a fraction of a pixel:
    an arc's curve is approximated a little differently for each length drawn."""
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            channels = (p.red() - q.red(), p.green() - q.green(), p.blue() - q.blue())
            count += max(abs(c) for c in channels) > 64
    return count
