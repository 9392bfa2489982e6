"""Opening a break, starting it, and every result reaching the log the moment it happens."""

from __future__ import annotations

import itertools

from pytestqt.qtbot import QtBot

from stretchbreak.core.history import CompletedSet, Feeling, Source
from stretchbreak.core.progression import Suggestion
from stretchbreak.core.session_log import MemorySessionLog
from stretchbreak.core.session_values import SessionSummary, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.services.break_flow import (
    BreakFlow,
    StartChoices,
    StartDefaults,
    StartRequest,
    connect_runner,
)
from stretchbreak.services.session_runner import SessionRunner
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock, FakeTimers

EXERCISE = make_exercise(
    make_goal("recovery", sets=(1, 2), reps=(1, 2), hold=(1, 3)),
    make_goal("desk-reset", sets=(1, 2), reps=(1, 2), hold=(1, 3)),
)


class FailingLog(MemorySessionLog):
    def record_set(self, record: CompletedSet) -> None:
        raise OSError("disk full")


def build(log: MemorySessionLog) -> tuple[BreakFlow, SessionRunner, FakeClock, FakeTimers]:
    clock, timers = FakeClock(), FakeTimers()
    runner = SessionRunner(clock, timers)
    ids = itertools.count(1)
    flow = BreakFlow(
        EXERCISE, log, lambda: f"s{next(ids)}", defaults=StartDefaults(rest_seconds=0.0)
    )
    connect_runner(flow, runner)
    return flow, runner, clock, timers


def finish_one_set(runner: SessionRunner, clock: FakeClock, timers: FakeTimers) -> None:
    runner.ready()
    for _ in range(2):
        for seconds in (2, 1, 2):
            clock.advance(seconds)
            timers.fire_armed()


def test_opening_offers_the_default_goal_and_lowest_targets_at_first(qtbot: QtBot) -> None:
    flow, *_ = build(MemorySessionLog())
    with qtbot.waitSignal(flow.choices_ready) as ready:
        flow.open()
    choices: StartChoices = ready.args[0]
    assert choices.goal == "desk-reset"
    assert choices.tempo is TempoMode.GUIDED
    assert choices.source is Source.MANUAL
    assert choices.suggestions["recovery"].target == Target(1, 1, 1)


def test_an_unknown_goal_falls_back_to_a_known_one() -> None:
    flow, *_ = build(MemorySessionLog())
    assert flow.open("mobility").goal == "desk-reset"
    assert flow.open("recovery").goal == "recovery"


def test_sets_reach_the_log_as_they_finish_with_the_source(qtbot: QtBot) -> None:
    log = MemorySessionLog()
    flow, runner, clock, timers = build(log)
    flow.open("recovery", source=Source.PROMPT)
    flow.start(StartRequest("recovery", Target(2, 2, 1), TempoMode.GUIDED))
    finish_one_set(runner, clock, timers)
    assert [(s.set_index, s.source) for s in log.session_sets("s1")] == [(1, Source.PROMPT)]
    for _ in range(2):
        for seconds in (2, 1, 2):
            clock.advance(seconds)
            timers.fire_armed()
    runner.rate(Feeling.HARD)
    last = log.last_session(EXERCISE.id)
    assert last is not None
    assert (last.goal, last.feeling) == ("recovery", Feeling.HARD)
    assert flow.open().goal == "recovery"
    assert flow.suggest("recovery").target == Target(2, 2, 1)  # hard: repeat


def test_a_log_that_fails_is_reported_and_the_session_goes_on(qtbot: QtBot) -> None:
    flow, runner, clock, timers = build(FailingLog())
    flow.open()
    flow.start(StartRequest("desk-reset", Target(2, 2, 1), TempoMode.GUIDED))
    with qtbot.waitSignal(flow.log_failed) as failed:
        finish_one_set(runner, clock, timers)
    assert failed.args[0] == "Could not save set 1: disk full"
    assert runner.session is not None
    assert runner.session.phase.in_rep


def test_the_summary_comes_with_a_smaller_target_only_after_painful(qtbot: QtBot) -> None:
    flow, runner, clock, timers = build(MemorySessionLog())
    heard: list[tuple[SessionSummary, Suggestion | None]] = []
    flow.summary_ready.connect(lambda summary, suggestion: heard.append((summary, suggestion)))
    flow.open("recovery")
    flow.start(StartRequest("recovery", Target(2, 2, 1), TempoMode.GUIDED))
    finish_one_set(runner, clock, timers)
    finish_one_set(runner, clock, timers)
    assert [(s.feeling, suggestion) for s, suggestion in heard] == [(None, None)]
    runner.rate(Feeling.PAINFUL)
    summary, suggestion = heard[-1]
    assert summary.feeling is Feeling.PAINFUL
    assert suggestion is not None
    assert suggestion.target == Target(1, 1, 1)
    assert not suggestion.lightest
    runner.rate(Feeling.JUST_RIGHT)
    assert (heard[-1][0].feeling, heard[-1][1]) == (Feeling.JUST_RIGHT, None)
