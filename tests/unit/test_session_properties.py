"""Random command sequences: the engine never crashes, never over-counts, never loses time."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchbreak.core.history import Feeling
from stretchbreak.core.session import BreakSession
from stretchbreak.core.session_values import (
    InvalidTransition,
    SessionEnded,
    SessionPlan,
    SetAbandoned,
    SetCompleted,
    TempoMode,
)
from stretchbreak.core.target import Target
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock

GOAL = make_goal(sets=(1, 3), reps=(1, 4), hold=(1, 5))
EXERCISE = make_exercise(GOAL)

COMMANDS = (
    "begin",
    "next_cue",
    "ready",
    "advance",
    "pause",
    "resume",
    "skip_rest",
    "extend_rest",
    "cancel",
    "rate",
)

plans = st.builds(
    lambda sets, reps, hold, tempo, rest, speed: SessionPlan(
        session_id="p",
        exercise=EXERCISE,
        goal=GOAL,
        target=Target(sets, reps, hold),
        tempo=tempo,
        rest_seconds=rest,
        speed=speed,
    ),
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 5),
    st.sampled_from(TempoMode),
    st.sampled_from([0.0, 5.0, 30.0]),
    st.sampled_from([1.0, 2.5, 10.0]),
)
steps = st.lists(
    st.one_of(
        st.sampled_from(COMMANDS),
        st.floats(min_value=0.0, max_value=40.0, allow_nan=False),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(plan=plans, script=steps)
def test_random_command_sequences_keep_every_invariant(
    plan: SessionPlan, script: list[str | float]
) -> None:
    clock = FakeClock()
    session = BreakSession(plan, clock)
    completed: list[SetCompleted] = []
    ended: list[SessionEnded] = []
    abandoned: list[SetAbandoned] = []
    last_active = 0.0
    for step in script:
        if isinstance(step, float):
            clock.advance(step)
            session.tick()
        else:
            command = getattr(session, step)
            with contextlib.suppress(InvalidTransition):
                command(Feeling.EASY) if step == "rate" else command()
        for event in session.drain_events():
            if isinstance(event, SetCompleted):
                completed.append(event)
            elif isinstance(event, SessionEnded):
                ended.append(event)
            elif isinstance(event, SetAbandoned):
                abandoned.append(event)

        view = session.view()
        target = plan.target
        assert 0 <= view.reps_done_in_set <= target.reps
        assert 0 <= view.set_number <= target.sets
        assert 0.0 <= view.progress <= 1.0
        assert view.reps_done_total <= target.sets * target.reps
        assert view.active_seconds >= last_active - 1e-9, "active time never runs backwards"
        last_active = view.active_seconds
        if view.remaining_seconds is not None:
            assert view.phase_seconds is not None
            assert 0.0 <= view.remaining_seconds <= view.phase_seconds + 1e-9

    records = [e.record for e in completed]
    assert len(records) <= plan.target.sets
    assert [r.set_index for r in records] == list(range(1, len(records) + 1))
    assert all(r.reps == plan.target.reps and not r.partial for r in records)
    assert len(abandoned) <= 1
    for record in records + [e.record for e in abandoned]:
        span = (record.completed_at - record.started_at).total_seconds()
        assert record.active_seconds + record.paused_seconds == pytest.approx(span, abs=1e-5)
        assert record.active_seconds >= -1e-9
        assert record.paused_seconds >= 0.0
    assert all(0 < r.record.reps < plan.target.reps for r in abandoned)
    assert len(ended) <= 1
    if ended:
        summary = ended[0].summary
        span = (summary.ended_at - summary.started_at).total_seconds()
        assert summary.active_seconds + summary.paused_seconds == pytest.approx(span, abs=1e-5)
        assert summary.sets == tuple(records + [e.record for e in abandoned])


@settings(max_examples=100, deadline=None)
@given(chunks=st.lists(st.floats(min_value=0.01, max_value=50.0), min_size=1, max_size=60))
def test_how_often_ticks_come_never_changes_when_sets_complete(chunks: list[float]) -> None:
    """Waking late or often must give the same timeline as waking exactly on time."""
    plan = SessionPlan("p", EXERCISE, GOAL, Target(3, 2, 3), rest_seconds=10.0)
    clock = FakeClock()
    session = BreakSession(plan, clock)
    session.begin()
    session.ready()
    start = clock.now()
    for chunk in chunks:
        clock.advance(chunk)
        session.tick()
    clock.advance(1000)
    session.tick()
    records = [e.record for e in session.drain_events() if isinstance(e, SetCompleted)]
    rep = 2 + 3 + 2
    expected = [start + timedelta(seconds=s) for s in (2 * rep, 4 * rep + 10, 6 * rep + 20)]
    assert len(records) == 3
    for record, when in zip(records, expected, strict=True):
        assert abs((record.completed_at - when).total_seconds()) < 1e-3  # float noise only
