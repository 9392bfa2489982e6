"""The figure's pose follows the session clock: every phase, pauses, late frames, speed."""

from __future__ import annotations

import pytest

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.exercise_figure import BodyPart, Figure, Pose
from stretchbreak.core.pose import (
    BREATH_DEGREES,
    LOOP_HOLD_SECONDS,
    breathe,
    ease,
    loop_frame,
    phase_fraction,
    session_frame,
    skeleton,
    still_frame,
    through,
)
from stretchbreak.core.session import BreakSession
from stretchbreak.core.session_values import Phase, SessionPlan, SessionView, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeClock


@pytest.fixture(scope="module")
def exercise() -> Exercise:
    return load_bundled_exercise()


@pytest.fixture(scope="module")
def figure(exercise: Exercise) -> Figure:
    assert exercise.figure is not None
    return exercise.figure


def session(
    exercise: Exercise,
    clock: FakeClock,
    tempo: TempoMode = TempoMode.GUIDED,
    speed: float = 1.0,
    sets: int = 2,
) -> BreakSession:
    goal = exercise.goal("recovery")
    plan = SessionPlan("s", exercise, goal, Target(sets, 6, 4), tempo, speed=speed)
    made = BreakSession(plan, clock)
    made.begin()
    made.ready()
    return made


def hip_to_heel(pose: Pose) -> float:
    """Distance from the hips to the heels (the ankle), in standing heights."""
    bones = skeleton(pose)
    return float(
        ((bones.hip[0] - bones.ankle[0]) ** 2 + (bones.hip[1] - bones.ankle[1]) ** 2) ** 0.5
    )


def frame_at(exercise: Exercise, made: BreakSession, clock: FakeClock, **kw: bool) -> Pose:
    assert exercise.figure is not None
    view = made.view()
    return session_frame(exercise.figure, exercise.tempo, view, clock.monotonic(), **kw).pose


def test_the_shipped_poses_show_the_stretch(figure: Figure) -> None:
    tall, back = figure.pose("tall"), figure.pose("sit-back")
    assert hip_to_heel(back) < 0.5 * hip_to_heel(tall)  # hips sit back toward the heels
    for pose in (tall, back):  # hands stay on the floor ahead of the knees
        bones = skeleton(pose)
        assert abs(bones.hand[1]) < 0.05
        assert bones.hand[0] > bones.knee[0]
    assert skeleton(figure.pose("kneel")).shoulder[1] > skeleton(tall).shoulder[1]


def test_move_glides_from_start_to_end_by_the_deadline(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    assert frame_at(exercise, made, clock) == figure.pose("tall")
    clock.advance(1.0)  # halfway through the 2 s move
    halfway = frame_at(exercise, made, clock)
    assert hip_to_heel(figure.pose("sit-back")) < hip_to_heel(halfway)
    assert hip_to_heel(halfway) < hip_to_heel(figure.pose("tall"))
    clock.advance(0.999)
    almost = frame_at(exercise, made, clock)
    assert hip_to_heel(almost) == pytest.approx(hip_to_heel(figure.pose("sit-back")), abs=1e-3)


def test_hold_stays_in_the_end_pose_with_a_slow_breath(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    clock.advance(2.0)
    made.tick()
    assert made.phase is Phase.HOLD
    end = figure.pose("sit-back")
    assert frame_at(exercise, made, clock) == end
    for _ in range(8):
        clock.advance(0.5)
        pose = frame_at(exercise, made, clock)
        assert abs(pose.hip - end.hip) <= BREATH_DEGREES + 1e-9
        assert pose.knee == end.knee  # the hips never leave the heels
    assert frame_at(exercise, made, clock, reduced_motion=True) == end


def test_pause_inside_a_hold_freezes_the_pose_exactly(exercise: Exercise) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    clock.advance(2.0 + 1.3)
    made.tick()
    before = frame_at(exercise, made, clock)
    made.pause()
    for _ in range(3):
        clock.advance(7.0)
        assert frame_at(exercise, made, clock) == before
    made.resume()
    assert frame_at(exercise, made, clock) == before


def test_a_late_frame_jumps_to_the_right_pose(exercise: Exercise) -> None:
    late, steady = FakeClock(), FakeClock()
    a, b = session(exercise, late), session(exercise, steady)
    for _ in range(10):  # one clock moves in small steps, the other in one jump
        steady.advance(0.17)
        frame_at(exercise, b, steady)
    late.advance(1.7)
    jumped, stepped = frame_at(exercise, a, late), frame_at(exercise, b, steady)
    assert vars(jumped) == pytest.approx(vars(stepped), abs=1e-6)


def test_return_glides_back_and_speed_scales_the_timing(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock, speed=2.0)
    clock.advance(1.0 + 2.0)  # move 1 s and hold 2 s at double speed
    made.tick()
    assert made.phase is Phase.RETURN
    assert frame_at(exercise, made, clock) == figure.pose("sit-back")
    clock.advance(0.5)  # half of the 1 s return
    middle = frame_at(exercise, made, clock)
    assert figure.pose("sit-back").hip < middle.hip < figure.pose("tall").hip


def test_rest_shows_the_next_move_slowed(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    clock.advance(6 * 8.0)
    made.tick()
    assert made.phase is Phase.REST
    assert frame_at(exercise, made, clock) == figure.pose("tall")
    clock.advance(2.0)  # halfway through a move slowed to 4 s
    slowed = frame_at(exercise, made, clock)
    assert vars(slowed) == pytest.approx(vars(through(figure, figure.move, 0.5)))
    made.pause()
    assert frame_at(exercise, made, clock) == slowed
    assert frame_at(exercise, made, clock, reduced_motion=True) == figure.pose("tall")


def test_setup_cues_show_their_pose_and_body_part(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    goal = exercise.goal("recovery")
    made = BreakSession(SessionPlan("s", exercise, goal, Target(2, 6, 4)), clock)
    made.begin()
    first = session_frame(figure, exercise.tempo, made.view(), clock.monotonic())
    assert (first.pose, first.emphasis) == (figure.pose("kneel"), BodyPart.KNEES)
    made.next_cue()
    second = session_frame(figure, exercise.tempo, made.view(), clock.monotonic())
    assert (second.pose, second.emphasis) == (figure.pose("tall"), BodyPart.ARMS)


def test_self_paced_steps_show_where_they_lead(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock, TempoMode.SELF_PACED)
    assert frame_at(exercise, made, clock) == figure.pose("sit-back")
    made.advance()
    clock.advance(4.0)
    made.tick()
    assert frame_at(exercise, made, clock) == figure.pose("tall")


def test_reduced_motion_shows_still_key_poses(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    poses = set()
    for _ in range(20):
        clock.advance(0.1)
        poses.add(frame_at(exercise, made, clock, reduced_motion=True))
    assert poses == {figure.pose("sit-back")}
    assert still_frame(figure, Phase.RETURN).pose == figure.pose("tall")
    assert still_frame(figure, None).pose == figure.pose("sit-back")
    assert still_frame(figure, Phase.DONE).pose == figure.pose("sit-back")


def test_the_start_loop_is_one_calm_rep(exercise: Exercise, figure: Figure) -> None:
    tempo = exercise.tempo
    assert loop_frame(figure, tempo, 0.0).pose == figure.pose("tall")
    held = tempo.move_seconds + LOOP_HOLD_SECONDS / 2
    assert loop_frame(figure, tempo, held).pose == figure.pose("sit-back")
    back = tempo.move_seconds + LOOP_HOLD_SECONDS + tempo.return_seconds + 0.5
    assert loop_frame(figure, tempo, back).pose == figure.pose("tall")
    gliding = loop_frame(figure, tempo, back - 0.5 - tempo.return_seconds / 2).pose
    assert figure.pose("sit-back").hip < gliding.hip < figure.pose("tall").hip
    period = tempo.move_seconds + tempo.return_seconds + LOOP_HOLD_SECONDS + 1.5
    assert loop_frame(figure, tempo, period + 1.0) == loop_frame(figure, tempo, 1.0)


def test_untimed_or_odd_views_have_no_fraction(exercise: Exercise, figure: Figure) -> None:
    clock = FakeClock()
    made = session(exercise, clock)
    view = made.view()
    assert phase_fraction(view, clock.monotonic()) == 0.0
    untimed = SessionView(**{**view.__dict__, "phase_seconds": None})
    assert phase_fraction(untimed, 0.0) is None
    lost = SessionView(**{**view.__dict__, "deadline": None, "remaining_seconds": None})
    assert phase_fraction(lost, 0.0) is None
    done = SessionView(**{**view.__dict__, "phase": Phase.DONE})
    assert session_frame(figure, exercise.tempo, done, 0.0).pose == figure.pose("sit-back")
    rest = SessionView(**{**view.__dict__, "phase": Phase.REST, "phase_seconds": None})
    assert session_frame(figure, exercise.tempo, rest, 0.0).pose == figure.pose("tall")


def test_ease_and_blend_edges(figure: Figure) -> None:
    assert (ease(-1.0), ease(0.5), ease(2.0)) == (0.0, 0.5, 1.0)
    names = ("kneel", "tall", "sit-back")
    assert through(figure, names, 0.5) == figure.pose("tall")
    assert through(figure, names, 1.0) == figure.pose("sit-back")
    assert breathe(figure.pose("tall"), 0.0) == figure.pose("tall")


def test_a_standing_figure_has_its_feet_ahead() -> None:
    standing = skeleton(Pose(90, 180, 180, 0, 180, 0))
    assert standing.toe[0] > standing.ankle[0]
    assert standing.hip[1] > standing.knee[1] > standing.ankle[1]
