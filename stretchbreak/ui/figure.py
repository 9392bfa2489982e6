"""The animated figure: a person doing the exercise, drawn from the pose ``core.pose`` computes.

Drawn with QPainter from joint angles in the exercise file, so it scales to any size and
follows the palette (ink = window text, accent = highlight). Its frame timer runs only while
something moves on screen: never while hidden, minimised, paused, in a still phase, or with
reduced motion — then the figure is painted once and left alone. While it runs, each tick
repaints only the rectangle the figure covered and now covers, and nothing at all when no
joint has moved by a visible amount (a held pose between two breaths): on a software-rendered
X server every repainted pixel costs, and most of the view stays the same.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchbreak.core.clock import Clock
from stretchbreak.core.exercise import Exercise, Tempo
from stretchbreak.core.exercise_figure import BodyPart, Figure
from stretchbreak.core.pose import (
    HEAD,
    FigureFrame,
    Skeleton,
    loop_frame,
    session_frame,
    skeleton,
    still_frame,
)
from stretchbreak.core.session_values import Phase, SessionView
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.text import tr

#: About 60 frames a second while moving; a frame is a few hundred microseconds of drawing.
FRAME_MS = 16
#: A tick repaints only when some joint has moved at least this far, in pixels: less is below
#: what antialiasing can show, so the slow breath of a hold repaints a few times a second.
MIN_MOVE_PX = 0.2
_JOINTS = ("toe", "ankle", "knee", "hip", "shoulder", "elbow", "hand", "head")
_MOVING = (Phase.MOVE, Phase.HOLD, Phase.RETURN, Phase.REST)
_LIMBS: tuple[tuple[str, str, BodyPart], ...] = (
    ("toe", "ankle", BodyPart.FEET),
    ("ankle", "knee", BodyPart.KNEES),
    ("knee", "hip", BodyPart.HIPS),
    ("hip", "shoulder", BodyPart.TORSO),
    ("shoulder", "elbow", BodyPart.ARMS),
    ("elbow", "hand", BodyPart.ARMS),
)


def _bounds(figure: Figure, setup: bool) -> tuple[float, float, float, float]:
    """One frame around every key pose it may show, so the figure keeps its size and place as
    it moves; the setup's poses count only on the setup view, so a rep is drawn as large as
    it can be."""
    names = {*figure.move, *figure.hold, *figure.ret}
    if setup:
        names |= {cue.pose for cue in figure.setup}
    xs: list[float] = []
    ys: list[float] = [0.0]
    for pose in (figure.pose(name) for name in sorted(names)):
        bones = skeleton(pose)
        for x, y in (bones.toe, bones.knee, bones.hip, bones.shoulder, bones.elbow, bones.hand):
            xs.append(x)
            ys.append(y)
        xs += [bones.head[0] - HEAD, bones.head[0] + HEAD]
        ys += [bones.head[1] - HEAD, bones.head[1] + HEAD]
    return min(xs), min(ys), max(xs), max(ys)


class FigureWidget(QWidget):
    """Shows the start view's loop (``show_loop``) or a session's phase (``show_view``)."""

    def __init__(
        self,
        figure: Figure,
        tempo: Tempo,
        clock: Clock,
        ticker: TickerFactory,
        setup: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._figure = figure
        self._tempo = tempo
        self._clock = clock
        self._ticker = ticker(FRAME_MS, self._on_frame)
        self._view: SessionView | None = None
        self._loop_from: float | None = None
        self._reduced_motion = False
        self._bounds = _bounds(figure, setup)
        self._watched: QObject | None = None
        #: The frame on screen and its joints in pixels; None means "draw afresh".
        self._shown: tuple[FigureFrame, dict[str, QPointF]] | None = None
        self.frames_painted = 0
        self.setObjectName("figure")
        self.setAccessibleName(tr("Figure showing the movement"))
        self.setMinimumSize(120, 48)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(360, 240)

    # ------------------------------------------------------------------ what to show
    def show_loop(self) -> None:
        """The start view: one calm rep, over and over, from the moment it is shown."""
        self._view = None
        self._loop_from = self._clock.monotonic()
        self._sync()

    def show_view(self, view: SessionView) -> None:
        self._view = view
        self._loop_from = None
        self._sync()

    def set_reduced_motion(self, on: bool) -> None:
        self._reduced_motion = on
        self._sync()

    @property
    def animating(self) -> bool:
        """True while the frame timer runs."""
        return self._ticker.running

    def frame(self) -> FigureFrame:
        """The pose to draw at this instant (what a test compares with the phase)."""
        now = self._clock.monotonic()
        view = self._view
        if view is None:
            if self._reduced_motion:
                return still_frame(self._figure, None)
            start = self._loop_from if self._loop_from is not None else now
            return loop_frame(self._figure, self._tempo, now - start)
        return session_frame(
            self._figure, self._tempo, view, now, reduced_motion=self._reduced_motion
        )

    def points(self, frame: FigureFrame | None = None) -> dict[str, QPointF]:
        """Joint positions in this widget's pixels for ``frame`` (default: the current one)."""
        bones = skeleton((frame or self.frame()).pose)
        left, bottom, right, top = self._bounds
        margin = 0.06 * min(self.width(), self.height())
        area = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        scale = min(area.width() / (right - left), area.height() / (top - bottom))
        x0 = area.center().x() - scale * (left + right) / 2
        y0 = area.center().y() + scale * (bottom + top) / 2
        result = {}
        for name in _JOINTS:
            x, y = getattr(bones, name)
            result[name] = QPointF(x0 + scale * x, y0 - scale * y)
        result["floor"] = QPointF(x0 + scale * left, y0)
        result["scale"] = QPointF(scale, scale)
        return result

    # ------------------------------------------------------------------ timer
    def _wants_frames(self) -> bool:
        if self._reduced_motion or not self.isVisible():
            return False
        window = self.window()
        if window.isMinimized() or not window.isVisible():
            return False
        view = self._view
        if view is None:
            return self._loop_from is not None
        return view.phase in _MOVING and view.deadline is not None and not view.paused

    def _sync(self) -> None:
        if self._wants_frames():
            self._ticker.start()
        else:
            self._ticker.stop()
        self._shown = None
        self.update()

    def _on_frame(self) -> None:
        """One tick: the pose for this instant, repainted where it differs from the screen."""
        frame = self.frame()
        new = self.points(frame)
        shown = self._shown
        if shown is None:
            self._shown = (frame, new)
            self.update()
            return
        old_frame, old = shown
        if frame.emphasis is old_frame.emphasis and _moved(old, new) < MIN_MOVE_PX:
            return
        self._shown = (frame, new)
        self.update(_extent(old).united(_extent(new)).toAlignedRect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._shown = None
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        window = self.window()
        if self._watched is not window:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        super().showEvent(event)
        self._sync()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Minimising the window stops the frames; restoring it starts them again."""
        if event.type() in (QEvent.Type.WindowStateChange, QEvent.Type.Hide, QEvent.Type.Show):
            self._sync()
        return False

    # ------------------------------------------------------------------ drawing
    def paintEvent(self, event: QPaintEvent) -> None:
        self.frames_painted += 1
        # A partial repaint draws the pose its tick measured (and cleared room for); a full
        # one (shown, resized, a new phase, a screenshot) draws this instant's pose.
        if self._shown is None or event.rect().contains(self.rect()):
            now = self.frame()
            self._shown = (now, self.points(now))
        frame, p = self._shown
        palette = self.palette()
        ink = palette.windowText().color()
        accent = palette.highlight().color()
        floor = QColor(ink)
        floor.setAlphaF(0.35)
        scale = p["scale"].x()
        width = _line_width(scale)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(floor, max(2.0, width * 0.4), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        floor_y = p["floor"].y() + width * 0.5
        painter.drawLine(
            QPointF(p["floor"].x(), floor_y), QPointF(self.width() - p["floor"].x(), floor_y)
        )
        pen.setWidthF(width)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for start, end, part in _LIMBS:
            pen.setColor(accent if part is frame.emphasis else ink)
            pen.setWidthF(width * (1.5 if part is BodyPart.TORSO else 1.0))
            painter.setPen(pen)
            painter.drawLine(p[start], p[end])
        head_accent = frame.emphasis is BodyPart.HEAD
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent if head_accent else ink)
        radius = scale * HEAD
        painter.drawEllipse(p["head"], radius, radius)
        painter.end()


def _line_width(scale: float) -> float:
    """The limbs' line width in pixels; the trunk is drawn 1.5 times as thick."""
    return max(3.0, scale * 0.045)


def _moved(old: dict[str, QPointF], new: dict[str, QPointF]) -> float:
    """How far the joint that moved most has gone, in pixels."""
    return max(math.hypot(old[j].x() - new[j].x(), old[j].y() - new[j].y()) for j in _JOINTS)


def _extent(p: dict[str, QPointF]) -> QRectF:
    """The pixels a pose's drawing covers: its joints, the thickest line's half width and
    the antialiased fringe around them, and the head."""
    scale = p["scale"].x()
    xs = [p[j].x() for j in _JOINTS]
    ys = [p[j].y() for j in _JOINTS]
    pad = 0.75 * _line_width(scale) + 2.0  # half the trunk's width, and a pixel or two more
    head = scale * HEAD + 2.0
    hx, hy = p["head"].x(), p["head"].y()
    return QRectF(
        QPointF(min(min(xs) - pad, hx - head), min(min(ys) - pad, hy - head)),
        QPointF(max(max(xs) + pad, hx + head), max(max(ys) + pad, hy + head)),
    )


def make_figure(
    exercise: Exercise, clock: Clock, ticker: TickerFactory, setup: bool = False
) -> FigureWidget | None:
    """A figure for an exercise whose file draws one; None (nothing shown) otherwise."""
    if exercise.figure is None:
        return None
    return FigureWidget(exercise.figure, exercise.tempo, clock, ticker, setup)


__all__ = ["FigureWidget", "Skeleton", "make_figure"]
