"""The break session engine, driven command by command with a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from stretchbreak.core.history import Feeling, Outcome, Source
from stretchbreak.core.session import BreakSession
from stretchbreak.core.session_values import (
    FeelingRated,
    InvalidTransition,
    PauseChanged,
    Phase,
    PhaseChanged,
    SessionEnded,
    SessionPlan,
    SessionStarted,
    SetAbandoned,
    SetCompleted,
    TempoMode,
)
from stretchbreak.core.target import Target, TargetOutOfRange, estimated_seconds
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock

GOAL = make_goal()  # recovery-like: 2–4 sets × 6–10 reps, 3–5 s hold
EXERCISE = make_exercise(GOAL)
REP_SECONDS = 2 + 4 + 2  # move + hold + return with the default target's 4 s hold


DEFAULT_TARGET = Target(2, 6, 4)


def plan(
    target: Target = DEFAULT_TARGET,
    tempo: TempoMode = TempoMode.GUIDED,
    rest: float = 30.0,
    speed: float = 1.0,
    source: Source = Source.MANUAL,
) -> SessionPlan:
    return SessionPlan(
        session_id="s-1",
        exercise=EXERCISE,
        goal=GOAL,
        target=target,
        tempo=tempo,
        source=source,
        rest_seconds=rest,
        speed=speed,
    )


def started(clock: FakeClock, **kwargs: object) -> BreakSession:
    """A session past its setup, at the start of set 1 rep 1."""
    session = BreakSession(plan(**kwargs), clock)  # type: ignore[arg-type]
    session.begin()
    session.ready()
    session.drain_events()
    return session


def run(clock: FakeClock, session: BreakSession, seconds: float) -> None:
    clock.advance(seconds)
    session.tick()


# ---------------------------------------------------------------- construction
def test_target_outside_goal_range_is_refused(clock: FakeClock) -> None:
    with pytest.raises(TargetOutOfRange, match="reps = 11 is outside the Recovery range 6–10"):
        BreakSession(plan(Target(2, 11, 4)), clock)


@pytest.mark.parametrize(("speed", "rest"), [(0.0, 30.0), (-1.0, 30.0), (1.0, -5.0)])
def test_nonsense_speed_or_rest_is_refused(clock: FakeClock, speed: float, rest: float) -> None:
    with pytest.raises(ValueError, match="must"):
        BreakSession(plan(speed=speed, rest=rest), clock)


def test_a_new_session_waits_on_the_overview(clock: FakeClock) -> None:
    session = BreakSession(plan(), clock)
    view = session.view()
    assert view.phase is Phase.OVERVIEW
    assert view.waiting_for_user
    assert view.active_seconds == 0.0
    assert session.summary is None
    run(clock, session, 3600)
    assert session.view().phase is Phase.OVERVIEW


# ---------------------------------------------------------------- setup
def test_guided_setup_cues_advance_on_their_own_and_stop_at_the_last(clock: FakeClock) -> None:
    session = BreakSession(plan(), clock)
    session.begin()
    assert (session.view().phase, session.view().setup_index) == (Phase.SETUP, 0)
    run(clock, session, 6)
    assert session.view().setup_index == 1
    run(clock, session, 6)
    view = session.view()
    assert view.setup_index == 2
    assert view.deadline is None
    assert view.waiting_for_user
    run(clock, session, 600)
    assert session.view().phase is Phase.SETUP


def test_next_cue_moves_on_early_and_refuses_past_the_last(clock: FakeClock) -> None:
    session = BreakSession(plan(), clock)
    session.begin()
    session.next_cue()
    session.next_cue()
    assert session.view().setup_index == 2
    with pytest.raises(InvalidTransition, match="last setup cue"):
        session.next_cue()


def test_self_paced_setup_waits_for_the_user(clock: FakeClock) -> None:
    session = BreakSession(plan(tempo=TempoMode.SELF_PACED), clock)
    session.begin()
    run(clock, session, 60)
    assert session.view().setup_index == 0
    assert session.view().waiting_for_user


def test_ready_starts_set_one_rep_one_from_any_cue(clock: FakeClock) -> None:
    session = BreakSession(plan(), clock)
    session.begin()
    session.ready()
    view = session.view()
    assert (view.phase, view.set_number, view.rep_number) == (Phase.MOVE, 1, 1)
    assert view.step is not None
    assert view.step.cue == "Sit the hips back"


# ---------------------------------------------------------------- guided reps
def test_a_guided_rep_flows_move_hold_return_with_the_right_cues(clock: FakeClock) -> None:
    session = started(clock)
    cues = []
    for seconds in (2, 4, 2):
        view = session.view()
        assert view.step is not None
        cues.append((view.phase, view.step.cue, view.phase_seconds))
        run(clock, session, seconds)
    assert cues == [
        (Phase.MOVE, "Sit the hips back", 2.0),
        (Phase.HOLD, "Hold — breathe", 4.0),
        (Phase.RETURN, "Return with control", 2.0),
    ]
    view = session.view()
    assert (view.phase, view.rep_number, view.reps_done_in_set) == (Phase.MOVE, 2, 1)


def test_tick_before_the_deadline_does_nothing_and_is_idempotent(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 1.999)
    session.tick()
    session.tick()
    assert session.view().phase is Phase.MOVE
    assert session.view().remaining_seconds == pytest.approx(0.001)
    assert session.drain_events() == []


def test_a_late_tick_catches_up_each_transition_at_its_own_deadline(clock: FakeClock) -> None:
    session = started(clock)
    start = clock.now()
    run(clock, session, REP_SECONDS + 3)  # a whole rep and into the next hold
    view = session.view()
    assert (view.phase, view.rep_number) == (Phase.HOLD, 2)
    assert view.remaining_seconds == pytest.approx(3.0)
    changes = [e for e in session.drain_events() if isinstance(e, PhaseChanged)]
    assert [(e.phase, e.rep_number, e.at - start) for e in changes] == [
        (Phase.HOLD, 1, timedelta(seconds=2)),
        (Phase.RETURN, 1, timedelta(seconds=6)),
        (Phase.MOVE, 2, timedelta(seconds=8)),
        (Phase.HOLD, 2, timedelta(seconds=10)),
    ]


def test_a_set_completes_after_its_last_return_then_rest_then_next_set(clock: FakeClock) -> None:
    session = started(clock)
    set_start = clock.now()
    run(clock, session, 6 * REP_SECONDS)
    events = session.drain_events()
    completed = [e.record for e in events if isinstance(e, SetCompleted)]
    assert len(completed) == 1
    record = completed[0]
    assert (record.set_index, record.reps, record.hold_seconds, record.partial) == (1, 6, 4, False)
    assert (record.session_id, record.exercise, record.goal) == ("s-1", "test-stretch", "recovery")
    assert record.source is Source.MANUAL
    assert record.started_at == set_start
    assert record.completed_at == set_start + timedelta(seconds=48)
    assert record.active_seconds == pytest.approx(48.0)
    assert record.paused_seconds == 0.0
    view = session.view()
    assert (view.phase, view.set_number, view.remaining_seconds) == (Phase.REST, 1, 30.0)
    run(clock, session, 30)
    view = session.view()
    assert (view.phase, view.set_number, view.rep_number) == (Phase.MOVE, 2, 1)
    assert view.reps_done_in_set == 0


def test_a_full_session_ends_done_with_a_summary(clock: FakeClock) -> None:
    session = started(clock, source=Source.PROMPT)
    run(clock, session, 6 * REP_SECONDS + 30 + 6 * REP_SECONDS)
    events = session.drain_events()
    ended = [e.summary for e in events if isinstance(e, SessionEnded)]
    assert len(ended) == 1
    summary = ended[0]
    assert summary.outcome is Outcome.COMPLETED
    assert [s.set_index for s in summary.completed_sets] == [1, 2]
    assert summary.reps_done == 12
    assert summary.source is Source.PROMPT
    assert summary.set_seconds == pytest.approx(96.0)
    assert summary.active_seconds == pytest.approx(126.0)
    view = session.view()
    assert view.phase is Phase.DONE
    assert view.progress == 1.0
    assert view.deadline is None
    assert not view.waiting_for_user


def test_progress_counts_finished_reps_of_the_whole_plan(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 3 * REP_SECONDS)
    assert session.view().progress == pytest.approx(3 / 12)


def test_zero_rest_goes_straight_to_the_next_set(clock: FakeClock) -> None:
    session = started(clock, rest=0.0)
    run(clock, session, 6 * REP_SECONDS)
    view = session.view()
    assert (view.phase, view.set_number) == (Phase.MOVE, 2)


def test_speed_scales_every_duration_but_not_the_recorded_hold(clock: FakeClock) -> None:
    session = BreakSession(plan(speed=10.0), clock)
    session.begin()
    assert session.view().phase_seconds == pytest.approx(0.6)
    session.ready()
    run(clock, session, 6 * REP_SECONDS / 10 + 1e-9)  # float sums of 0.2 s steps
    records = [e.record for e in session.drain_events() if isinstance(e, SetCompleted)]
    assert records[0].hold_seconds == 4
    assert records[0].active_seconds == pytest.approx(4.8)
    assert session.view().phase_seconds == pytest.approx(3.0)  # 30 s rest at ×10
    session.extend_rest()
    assert session.view().remaining_seconds == pytest.approx(4.5)


# ---------------------------------------------------------------- self-paced
def test_self_paced_reps_wait_for_the_user_and_only_the_hold_is_timed(clock: FakeClock) -> None:
    session = started(clock, tempo=TempoMode.SELF_PACED)
    run(clock, session, 60)
    view = session.view()
    assert (view.phase, view.waiting_for_user, view.deadline) == (Phase.MOVE, True, None)
    session.advance()
    assert session.view().phase is Phase.HOLD
    assert session.view().remaining_seconds == 4.0
    run(clock, session, 4)
    assert session.view().phase is Phase.RETURN
    run(clock, session, 60)
    assert session.view().phase is Phase.RETURN
    session.advance()
    view = session.view()
    assert (view.phase, view.rep_number, view.reps_done_in_set) == (Phase.MOVE, 2, 1)


def test_advance_is_self_paced_only_and_not_during_the_hold(clock: FakeClock) -> None:
    guided = started(clock)
    with pytest.raises(InvalidTransition, match="self-paced only"):
        guided.advance()
    paced = started(clock, tempo=TempoMode.SELF_PACED)
    paced.advance()
    with pytest.raises(InvalidTransition, match="cannot advance during hold"):
        paced.advance()


# ---------------------------------------------------------------- pause and resume
def test_pause_inside_a_hold_freezes_the_remaining_time_exactly(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 2 + 1.25)  # 1.25 s into the 4 s hold
    session.pause()
    view = session.view()
    assert (view.phase, view.paused, view.deadline) == (Phase.HOLD, True, None)
    assert view.remaining_seconds == pytest.approx(2.75)
    assert not view.waiting_for_user
    run(clock, session, 500)
    assert session.view().remaining_seconds == pytest.approx(2.75)
    assert session.view().phase is Phase.HOLD
    session.resume()
    assert session.view().deadline == pytest.approx(clock.monotonic() + 2.75)
    run(clock, session, 2.749)
    assert session.view().phase is Phase.HOLD
    run(clock, session, 0.001)
    assert session.view().phase is Phase.RETURN


def test_paused_time_is_not_active_time_in_the_set_record(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 3)
    session.pause()
    run(clock, session, 100)
    assert session.view().active_seconds == pytest.approx(3.0)
    session.resume()
    run(clock, session, 6 * REP_SECONDS - 3)
    record = next(e.record for e in session.drain_events() if isinstance(e, SetCompleted))
    assert record.active_seconds == pytest.approx(48.0)
    assert record.paused_seconds == pytest.approx(100.0)
    assert record.completed_at - record.started_at == timedelta(seconds=148)


def test_pause_and_resume_emit_events_and_refuse_doubles(clock: FakeClock) -> None:
    session = started(clock)
    with pytest.raises(InvalidTransition, match="not paused"):
        session.resume()
    session.pause()
    with pytest.raises(InvalidTransition, match="while paused"):
        session.pause()
    session.resume()
    assert [type(e) for e in session.drain_events()] == [PauseChanged, PauseChanged]


def test_commands_other_than_resume_and_cancel_wait_while_paused(clock: FakeClock) -> None:
    session = started(clock, tempo=TempoMode.SELF_PACED)
    session.pause()
    with pytest.raises(InvalidTransition, match="resume first"):
        session.advance()


def test_pause_is_refused_on_the_overview_and_after_the_end(clock: FakeClock) -> None:
    session = BreakSession(plan(), clock)
    with pytest.raises(InvalidTransition, match="cannot pause during overview"):
        session.pause()
    session.cancel()
    with pytest.raises(InvalidTransition, match="cannot pause during cancelled"):
        session.pause()


def test_pausing_an_untimed_step_resumes_still_untimed(clock: FakeClock) -> None:
    session = started(clock, tempo=TempoMode.SELF_PACED)
    session.pause()
    assert session.view().remaining_seconds is None
    session.resume()
    assert session.view().deadline is None
    assert session.view().waiting_for_user


# ---------------------------------------------------------------- rest
def test_skip_rest_starts_the_next_set_now(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 6 * REP_SECONDS + 5)
    session.skip_rest()
    view = session.view()
    assert (view.phase, view.set_number, view.rep_number) == (Phase.MOVE, 2, 1)


def test_extend_rest_adds_fifteen_seconds_each_time(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 6 * REP_SECONDS + 10)
    session.extend_rest()
    session.extend_rest()
    view = session.view()
    assert view.remaining_seconds == pytest.approx(50.0)
    assert view.phase_seconds == pytest.approx(60.0)


def test_rest_commands_only_during_rest(clock: FakeClock) -> None:
    session = started(clock)
    with pytest.raises(InvalidTransition, match="cannot skip the rest during move"):
        session.skip_rest()
    with pytest.raises(InvalidTransition, match="cannot extend the rest during move"):
        session.extend_rest()


# ---------------------------------------------------------------- cancel
def test_cancel_during_rest_keeps_completed_sets_and_adds_no_partial(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 6 * REP_SECONDS + 10)
    session.drain_events()
    session.cancel()
    events = session.drain_events()
    assert not [e for e in events if isinstance(e, SetAbandoned)]
    summary = next(e.summary for e in events if isinstance(e, SessionEnded))
    assert summary.outcome is Outcome.CANCELLED
    assert [s.partial for s in summary.sets] == [False]
    assert session.view().phase is Phase.CANCELLED


def test_cancel_mid_set_reports_the_set_as_partial_never_completed(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 2 * REP_SECONDS + 3)  # two reps done, in the third hold
    session.cancel()
    events = session.drain_events()
    assert not [e for e in events if isinstance(e, SetCompleted)]
    partial = next(e.record for e in events if isinstance(e, SetAbandoned))
    assert (partial.set_index, partial.reps, partial.partial) == (1, 2, True)
    summary = next(e.summary for e in events if isinstance(e, SessionEnded))
    assert summary.completed_sets == ()
    assert summary.reps_done == 0


def test_cancel_in_the_first_rep_records_nothing(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 3)
    session.cancel()
    assert not [e for e in session.drain_events() if isinstance(e, SetAbandoned)]


def test_cancel_while_paused_counts_the_pause_as_paused(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, REP_SECONDS + 1)
    session.pause()
    run(clock, session, 20)
    session.cancel()
    partial = next(e.record for e in session.drain_events() if isinstance(e, SetAbandoned))
    assert partial.paused_seconds == pytest.approx(20.0)
    assert partial.active_seconds == pytest.approx(REP_SECONDS + 1)


def test_cancel_from_the_overview_and_from_setup(clock: FakeClock) -> None:
    for begin in (False, True):
        session = BreakSession(plan(), clock)
        if begin:
            session.begin()
        session.cancel()
        summary = session.summary
        assert summary is not None
        assert summary.outcome is Outcome.CANCELLED
        assert summary.sets == ()


def test_nothing_but_rating_after_the_end(clock: FakeClock) -> None:
    session = started(clock)
    session.cancel()
    for command in (
        session.cancel,
        session.ready,
        session.begin,
        session.skip_rest,
        session.next_cue,
    ):
        with pytest.raises(InvalidTransition):
            command()


# ---------------------------------------------------------------- feeling
def test_the_feeling_answer_reaches_the_summary_and_can_change(clock: FakeClock) -> None:
    session = started(clock, target=Target(2, 6, 3), rest=0.0)
    with pytest.raises(InvalidTransition, match="has not ended"):
        session.rate(Feeling.EASY)
    run(clock, session, 12 * (2 + 3 + 2))
    session.rate(Feeling.HARD)
    session.rate(Feeling.JUST_RIGHT)
    summary = session.summary
    assert summary is not None
    assert summary.feeling is Feeling.JUST_RIGHT
    assert session.view().feeling is Feeling.JUST_RIGHT
    rated = [e for e in session.drain_events() if isinstance(e, FeelingRated)]
    assert [e.feeling for e in rated] == [Feeling.HARD, Feeling.JUST_RIGHT]
    assert rated[0].session_id == "s-1"


# ---------------------------------------------------------------- events
def test_begin_announces_the_session_with_its_plan(clock: FakeClock) -> None:
    session = BreakSession(plan(source=Source.PROMPT), clock)
    session.begin()
    started_event = session.drain_events()[0]
    assert isinstance(started_event, SessionStarted)
    assert (started_event.session_id, started_event.goal, started_event.target) == (
        "s-1",
        "recovery",
        Target(2, 6, 4),
    )
    assert started_event.source is Source.PROMPT
    assert started_event.at == clock.now()
    with pytest.raises(InvalidTransition, match="cannot begin during setup"):
        session.begin()


def test_drain_hands_each_event_out_once(clock: FakeClock) -> None:
    session = started(clock)
    run(clock, session, 2)
    assert len(session.drain_events()) == 1
    assert session.drain_events() == []


def test_a_target_reads_as_people_write_it() -> None:
    assert str(Target(2, 8, 4)) == "2 × 8 · 4 s hold"


def test_a_session_estimate_counts_setup_reps_and_rests() -> None:
    # 5 setup cues of 6 s, 2 sets of 6 reps at 2 + 4 + 2 s, one 30 s rest.
    assert estimated_seconds(Target(2, 6, 4), 2, 2, 30, 30) == 30 + 96 + 30
