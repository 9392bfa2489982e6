"""Where the figure is at any instant, computed from the session's deadline, never from frames.

The same numbers the countdown uses (a phase's deadline, its length, the time left when
paused) give the fraction of the phase that has passed; the figure's pose is the key poses
of that phase blended at that fraction. A frame drawn late therefore shows the right pose
at once, a paused session shows exactly the pose it paused in, and nothing counts frames.
``skeleton`` turns joint angles into points, so both the drawing and the tests read the same
geometry (e.g. "the hips are over the heels").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stretchbreak.core.exercise import Tempo
from stretchbreak.core.exercise_figure import JOINTS, BodyPart, Figure, Pose
from stretchbreak.core.session_values import Phase, SessionView

#: A breath in the held pose: a few degrees over a calm cycle, so a hold is still but alive.
BREATH_DEGREES = 2.0
BREATH_SECONDS = 4.0
#: The start view's loop: one rep at the exercise's tempo with a held end and a still beat.
LOOP_HOLD_SECONDS = 2.0
LOOP_REST_SECONDS = 1.5
#: The rest shows the next set's first move this many times slower.
REST_SLOWDOWN = 2.0

#: Segment lengths as fractions of the figure's standing height.
SHIN, THIGH, TORSO, UPPER_ARM, FOREARM, NECK, HEAD, FOOT = (
    0.25, 0.245, 0.30, 0.17, 0.25, 0.045, 0.065, 0.11,
)  # fmt: skip

Point = tuple[float, float]


@dataclass(frozen=True)
class FigureFrame:
    """What to draw now: a pose and the body part to draw in accent, if any."""

    pose: Pose
    emphasis: BodyPart | None = None


@dataclass(frozen=True)
class Skeleton:
    """Joint positions, y up, the ankle at the origin and the floor at y = 0."""

    toe: Point
    ankle: Point
    knee: Point
    hip: Point
    shoulder: Point
    elbow: Point
    hand: Point
    head: Point


def ease(t: float) -> float:
    """Smooth start and stop, so the figure glides rather than jerks, like the stretch should."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """Joint by joint, ``t`` = 0 is ``a`` and 1 is ``b``."""
    return Pose(*(getattr(a, j) + (getattr(b, j) - getattr(a, j)) * t for j in JOINTS))


def through(figure: Figure, names: tuple[str, ...], fraction: float) -> Pose:
    """The pose ``fraction`` of the way along key poses spaced evenly over a phase."""
    if len(names) == 1:
        return figure.pose(names[0])
    spans = len(names) - 1
    position = min(1.0, max(0.0, fraction)) * spans
    index = min(int(position), spans - 1)
    local = ease(position - index)
    return blend(figure.pose(names[index]), figure.pose(names[index + 1]), local)


def breathe(pose: Pose, seconds: float) -> Pose:
    """A slow rise and fall of the trunk; ``seconds`` is time inside the hold, not frames."""
    lift = BREATH_DEGREES * 0.5 * (1.0 - math.cos(2.0 * math.pi * seconds / BREATH_SECONDS))
    return Pose(pose.shin, pose.knee, pose.hip + lift, pose.shoulder - lift, pose.elbow, pose.neck)


def phase_fraction(view: SessionView, now: float) -> float | None:
    """How much of the current timed phase has passed (0 to 1), or None when it is untimed.

    Running, it comes from the deadline; paused, from the time left when pausing — the two
    numbers the countdown ring draws from, so figure and ring always agree.
    """
    length = view.phase_seconds
    if length is None or length <= 0:
        return None
    if view.deadline is not None:
        left = view.deadline - now
    elif view.remaining_seconds is not None:
        left = view.remaining_seconds
    else:
        return None
    return min(1.0, max(0.0, 1.0 - left / length))


def loop_frame(figure: Figure, tempo: Tempo, seconds: float, slowdown: float = 1.0) -> FigureFrame:
    """One rep played in a loop: move, held end, return, a still beat; ``seconds`` since start."""
    move = tempo.move_seconds * slowdown
    ret = tempo.return_seconds * slowdown
    parts = (move, LOOP_HOLD_SECONDS, ret, LOOP_REST_SECONDS)
    t = seconds % sum(parts)
    if t < move:
        return FigureFrame(through(figure, figure.move, t / move))
    t -= move
    if t < LOOP_HOLD_SECONDS:
        return FigureFrame(through(figure, figure.hold, t / LOOP_HOLD_SECONDS))
    t -= LOOP_HOLD_SECONDS
    if t < ret:
        return FigureFrame(through(figure, figure.ret, t / ret))
    return FigureFrame(figure.pose(figure.move[0]))


def still_frame(figure: Figure, phase: Phase | None, setup_index: int = 0) -> FigureFrame:
    """The one key pose a phase stands for, for reduced motion: where the move leads to."""
    if phase is Phase.SETUP and 0 <= setup_index < len(figure.setup):
        cue = figure.setup[setup_index]
        return FigureFrame(figure.pose(cue.pose), cue.emphasis)
    if phase is Phase.RETURN:
        return FigureFrame(figure.pose(figure.ret[-1]))
    if phase is Phase.REST:
        return FigureFrame(figure.pose(figure.move[0]))
    return FigureFrame(figure.pose(figure.move[-1]))


def session_frame(
    figure: Figure,
    tempo: Tempo,
    view: SessionView,
    now: float,
    *,
    reduced_motion: bool = False,
) -> FigureFrame:
    """The frame for a running session at monotonic instant ``now``.

    MOVE and RETURN blend their key poses by the fraction of the phase passed; HOLD is the
    end pose with a slow breath; the rest loops the next set's first move, slowed; a setup
    cue shows its own pose with the body part it is about. An untimed phase (self-paced
    steps) shows where it leads, still.
    """
    if reduced_motion or view.phase is Phase.SETUP:
        return still_frame(figure, view.phase, view.setup_index)
    fraction = phase_fraction(view, now)
    if view.phase is Phase.REST:
        if fraction is None or view.phase_seconds is None:
            return still_frame(figure, Phase.REST)
        elapsed = fraction * view.phase_seconds
        return loop_frame(figure, tempo, elapsed, REST_SLOWDOWN)
    names = {Phase.MOVE: figure.move, Phase.HOLD: figure.hold, Phase.RETURN: figure.ret}.get(
        view.phase
    )
    if names is None:
        return still_frame(figure, view.phase)
    if fraction is None:
        return FigureFrame(figure.pose(names[-1]))
    pose = through(figure, names, fraction)
    if view.phase is Phase.HOLD and view.phase_seconds is not None:
        pose = breathe(pose, fraction * view.phase_seconds)
    return FigureFrame(pose)


def _step(origin: Point, length: float, degrees: float) -> Point:
    rad = math.radians(degrees)
    return (origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad))


def skeleton(pose: Pose) -> Skeleton:
    """Joint positions for a pose (heights as fractions of standing height, facing +x)."""
    ankle = (0.0, 0.0)
    knee = _step(ankle, SHIN, pose.shin)
    thigh = pose.shin + 180.0 - pose.knee
    hip = _step(knee, THIGH, thigh)
    trunk = thigh + 180.0 + pose.hip
    shoulder = _step(hip, TORSO, trunk)
    arm = trunk + 180.0 + pose.shoulder
    elbow = _step(shoulder, UPPER_ARM, arm)
    hand = _step(elbow, FOREARM, arm + 180.0 - pose.elbow)
    head = _step(shoulder, NECK + HEAD, trunk + pose.neck)
    # Kneeling, the tops of the feet lie behind the ankle; standing, the foot points ahead.
    toe = _step(ankle, FOOT, 180.0 if pose.shin < 45.0 else 0.0)
    return Skeleton(toe, ankle, knee, hip, shoulder, elbow, hand, head)
