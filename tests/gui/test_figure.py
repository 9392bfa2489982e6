"""The figure as drawn: its joints where the phase puts them, any size, any palette, and no
frame timer running while nothing on screen moves."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.core.exercise_figure import BodyPart
from stretchbreak.core.session_values import Phase, TempoMode
from stretchbreak.ui.figure import FigureWidget
from tests.fakes import FakeClock, FakeTickers
from tests.gui.conftest import Guided
from tests.gui.test_countdown_ring import visibly_different
from tests.gui.test_session_window import MOVE, begin_reps, choose


def dark() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#f1f1f1"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#f0a030"))
    return palette


def light() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#fafafa"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#111111"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1060c0"))
    return palette


def near(image: QImage, point: QPointF, color: QColor, tolerance: int = 70) -> bool:
    """Whether a pixel around ``point`` has ``color`` (antialiased edges differ a little)."""
    for dx in (-2, 0, 2):
        for dy in (-2, 0, 2):
            x, y = round(point.x()) + dx, round(point.y()) + dy
            if 0 <= x < image.width() and 0 <= y < image.height():
                got = image.pixelColor(x, y)
                diff = abs(got.red() - color.red()) + abs(got.green() - color.green())
                if diff + abs(got.blue() - color.blue()) < tolerance:
                    return True
    return False


def render(figure: FigureWidget, size: tuple[int, int], palette: QPalette) -> QImage:
    figure.setPalette(palette)
    figure.setAutoFillBackground(True)
    figure.resize(*size)
    return figure.grab().toImage()


def distance(a: QPointF, b: QPointF) -> float:
    return math.hypot(a.x() - b.x(), a.y() - b.y())


@pytest.mark.parametrize("size", [(200, 150), (640, 480), (1280, 800), (3840, 2160)])
@pytest.mark.parametrize("palette", [light, dark], ids=["light", "dark"])
def test_the_drawn_hips_follow_the_phase(
    guided: Guided, size: tuple[int, int], palette: object
) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    guided.key(Qt.Key.Key_Return)  # setup
    guided.key(Qt.Key.Key_Return)  # first rep: the move begins, kneeling tall
    figure = guided.window.rep_view.figure
    assert figure is not None
    pal = palette()  # type: ignore[operator]
    ink = pal.color(QPalette.ColorRole.WindowText)
    ground = pal.color(QPalette.ColorRole.Window)
    image = render(figure, size, pal)
    tall = figure.points()
    scale = tall["scale"].x()
    for joint in ("hip", "knee", "ankle", "shoulder", "hand", "head"):
        assert near(image, tall[joint], ink), joint
    assert near(image, QPointF(2, 2), ground)
    assert distance(tall["hip"], tall["ankle"]) > 0.25 * scale  # hips high over the knees

    guided.advance(MOVE + 1.0)  # inside the hold: the hips sit back toward the heels
    assert guided.runner.view().phase is Phase.HOLD  # type: ignore[union-attr]
    image = render(figure, size, pal)
    back = figure.points()
    for joint in ("hip", "ankle", "hand", "head"):
        assert near(image, back[joint], ink), joint
    assert distance(back["hip"], back["ankle"]) < 0.15 * scale
    assert back["hip"].x() < tall["hip"].x()  # moved back, toward the heels
    assert abs(back["hand"].x() - tall["hand"].x()) < 0.05 * scale  # hands stay put


def test_a_setup_cue_draws_its_body_part_in_accent(guided: Guided) -> None:
    guided.window.resize(1280, 800)
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    guided.key(Qt.Key.Key_Return)
    figure = guided.window.setup_view.figure
    assert figure is not None
    assert figure.frame().emphasis is BodyPart.KNEES
    pal = light()
    image = render(figure, (600, 400), pal)
    p = figure.points()
    shin = QPointF((p["ankle"].x() + p["knee"].x()) / 2, (p["ankle"].y() + p["knee"].y()) / 2)
    assert near(image, shin, pal.color(QPalette.ColorRole.Highlight))
    assert near(image, p["shoulder"], pal.color(QPalette.ColorRole.WindowText))


def test_frames_run_only_while_something_moves_on_screen(guided: Guided) -> None:
    window = guided.window
    start = window.start_view.figure
    rep = window.rep_view.figure
    assert start is not None
    assert rep is not None
    assert start.animating  # the start view's loop
    assert not rep.animating  # a page not shown draws nothing
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    guided.key(Qt.Key.Key_Return)
    assert not start.animating
    guided.key(Qt.Key.Key_Return)
    assert rep.animating
    guided.key(Qt.Key.Key_Space)  # pause
    assert not rep.animating
    guided.key(Qt.Key.Key_Space)
    assert rep.animating
    window.showMinimized()
    QApplication.processEvents()
    assert not rep.animating
    window.showNormal()
    QApplication.processEvents()
    assert rep.animating
    window.set_voice(window.sound_button.mode, reduced_motion=True)
    assert not rep.animating  # still key poses
    window.set_voice(window.sound_button.mode, reduced_motion=False)
    assert rep.animating
    window.hide()
    assert not rep.animating
    assert not any(t.running for t in guided.tickers.made)  # nothing at all runs hidden


def test_a_frame_costs_no_lasting_memory(qtbot: QtBot, guided: Guided) -> None:
    """Painting many frames leaves no Python objects behind (no per-frame growth)."""
    import gc

    figure = guided.window.start_view.figure
    assert figure is not None
    figure.resize(400, 300)
    for _ in range(20):
        figure.repaint()
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(200):
        guided.clock.advance(0.016)
        figure.repaint()
    gc.collect()
    assert len(gc.get_objects()) - before < 50
    assert figure.frames_painted >= 200


def test_a_standalone_figure_loops_from_when_it_is_shown(qtbot: QtBot) -> None:
    from stretchbreak.infra.resources import load_bundled_exercise

    exercise = load_bundled_exercise()
    assert exercise.figure is not None
    clock, tickers = FakeClock(), FakeTickers()
    figure = FigureWidget(exercise.figure, exercise.tempo, clock, tickers)
    qtbot.addWidget(figure)
    first = figure.frame()  # not yet looping: the loop's first pose
    figure.show_loop()
    assert figure.frame() == first
    figure.show()
    qtbot.waitExposed(figure)
    assert tickers.made[0].running
    assert figure.sizeHint().width() > figure.minimumWidth()


def ticks(guided: Guided, figure: FigureWidget, seconds: float, step: float = 0.016) -> int:
    """Run the figure's frame timer for ``seconds`` of fake time; how many paints it caused."""
    ticker = next(t for t in guided.tickers.made if t.callback == figure._on_frame)
    before = figure.frames_painted
    for _ in range(round(seconds / step)):
        guided.clock.advance(step)  # inside one phase: its own wake-up is not due yet
        if ticker.running:
            ticker.callback()
        QApplication.processEvents()
    return figure.frames_painted - before


def test_the_figure_repaints_as_it_moves_and_rests_when_still(guided: Guided) -> None:
    guided.window.resize(1280, 800)
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    figure = guided.window.rep_view.figure
    assert figure is not None
    guided.advance(0.5)
    assert ticks(guided, figure, 1.0) >= 55  # sitting back: a new drawing every frame

    guided.advance(MOVE - 1.5 + 0.5)  # inside the hold: only a slow breath moves it
    assert guided.runner.view().phase is Phase.HOLD  # type: ignore[union-attr]
    held = ticks(guided, figure, 1.0)
    assert 0 < held <= 40  # of 62 ticks: only when the breath has moved it a fifth of a pixel

    guided.key(Qt.Key.Key_Space)  # paused: frozen, and nothing is drawn again
    QApplication.processEvents()
    frozen = figure.points()
    assert ticks(guided, figure, 2.0) == 0
    assert figure.points() == frozen


def test_drawn_only_where_it_changed_the_figure_leaves_no_trail(guided: Guided) -> None:
    """Frame by frame, each repaint limited to the rectangle its tick asked for, the picture
    ends up the same as one drawn afresh: no limb is left behind where it was."""
    guided.window.resize(1280, 800)
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    figure = guided.window.rep_view.figure
    assert figure is not None
    figure.setPalette(dark())
    figure.setAutoFillBackground(True)
    asked: list[tuple[QRect, ...]] = []
    figure.update = lambda *area: asked.append(area)  # type: ignore[method-assign]
    screen = figure.grab().toImage()
    ticker = next(t for t in guided.tickers.made if t.callback == figure._on_frame)
    painter = QPainter(screen)
    for _ in range(40):
        guided.clock.advance(0.05)
        ticker.callback()
        for area in asked:
            assert area, "a frame while moving repaints only where the figure is"
            rect = area[0]
            assert rect.width() * rect.height() < 0.8 * figure.width() * figure.height()
            figure.render(painter, rect.topLeft(), QRegion(rect))
        asked.clear()
    painter.end()
    assert visibly_different(screen, figure.grab().toImage()) < 10
