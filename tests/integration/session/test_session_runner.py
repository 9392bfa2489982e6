"""The runner on a real event loop: real Qt timers wake the session at its deadlines."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.core.clock import SystemClock
from stretchbreak.core.history import CompletedSet, Feeling
from stretchbreak.core.session_values import Phase, SessionPlan, SessionSummary, SessionView
from stretchbreak.core.target import Target
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import qt_wake_timer
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock, FakeTimers

GOAL = make_goal(sets=(1, 2), reps=(1, 3), hold=(1, 3))
EXERCISE = make_exercise(GOAL)


def plan(speed: float = 1.0, target: Target = Target(2, 2, 1)) -> SessionPlan:  # noqa: B008
    return SessionPlan("run-1", EXERCISE, GOAL, target, rest_seconds=2.0, speed=speed)


def test_real_timers_carry_a_whole_session_to_the_end(qtbot: QtBot) -> None:
    runner = SessionRunner(SystemClock(), qt_wake_timer)
    completed: list[CompletedSet] = []
    runner.set_completed.connect(completed.append)
    # ×40: a 2-set session of 2 reps (5 s each) and a 2 s rest takes about 0.55 s.
    runner.start(plan(speed=40.0))
    assert runner.ready()
    with qtbot.waitSignal(runner.session_ended, timeout=10_000) as ended:
        pass
    summary: SessionSummary = ended.args[0]
    assert [s.set_index for s in completed] == [1, 2]
    assert summary.reps_done == 4
    view = runner.view()
    assert view is not None
    assert view.phase is Phase.DONE


def test_the_timer_is_armed_for_exactly_the_next_deadline() -> None:
    clock, timers = FakeClock(), FakeTimers()
    runner = SessionRunner(clock, timers)
    runner.start(plan())
    timer = timers.made[0]
    assert timer.seconds == pytest.approx(6.0)  # the first setup cue
    runner.ready()
    assert timer.seconds == pytest.approx(2.0)  # sit back
    clock.advance(1.25)
    runner.pause()
    assert not timer.armed
    runner.resume()
    assert timer.seconds == pytest.approx(0.75)


def test_an_early_wake_up_changes_nothing_and_rearms(qtbot: QtBot) -> None:
    clock, timers = FakeClock(), FakeTimers()
    runner = SessionRunner(clock, timers)
    runner.start(plan())
    runner.ready()
    clock.advance(1.0)
    views: list[SessionView] = []
    runner.view_changed.connect(views.append)
    timers.fire_armed()
    assert views[-1].phase is Phase.MOVE
    assert timers.made[0].seconds == pytest.approx(1.0)


def test_commands_in_the_wrong_phase_are_refused_quietly() -> None:
    runner = SessionRunner(FakeClock(), FakeTimers())
    assert not runner.ready()  # no session yet
    assert not runner.toggle_pause()
    runner.start(plan())
    assert not runner.skip_rest()
    assert not runner.rate(Feeling.EASY)
    assert runner.toggle_pause()
    assert runner.session is not None
    assert runner.session.paused
    assert runner.toggle_pause()
    assert not runner.session.paused


def test_a_new_session_waits_until_the_running_one_ends() -> None:
    runner = SessionRunner(FakeClock(), FakeTimers())
    runner.start(plan())
    with pytest.raises(RuntimeError, match="already running"):
        runner.start(plan())
    runner.cancel()
    runner.start(plan())
    assert runner.session is not None
    assert runner.session.phase is Phase.SETUP
