"""The progression rule: grow from the last session, inside the goal's range, quality first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchbreak.core.history import CompletedSet, Feeling, Source
from stretchbreak.core.progression import smaller_target, suggest_target
from stretchbreak.core.target import Target
from tests.builders import make_goal

RECOVERY = make_goal("recovery", sets=(2, 4), reps=(6, 10), hold=(3, 5))
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def session_sets(
    session_id: str,
    sets: int,
    reps: int,
    hold: int,
    *,
    goal: str = "recovery",
    day: int = 0,
    partial_last: bool = False,
) -> list[CompletedSet]:
    start = T0 + timedelta(days=day)
    return [
        CompletedSet(
            session_id=session_id,
            exercise="dynamic-back-stretch",
            goal=goal,
            set_index=i,
            reps=reps,
            hold_seconds=hold,
            started_at=start + timedelta(minutes=i),
            completed_at=start + timedelta(minutes=i, seconds=50),
            active_seconds=50.0,
            paused_seconds=0.0,
            source=Source.PROMPT,
            partial=partial_last and i == sets,
        )
        for i in range(1, sets + 1)
    ]


def test_no_history_starts_at_the_lower_bounds() -> None:
    suggestion = suggest_target(RECOVERY, [])
    assert suggestion.target == Target(2, 6, 3)
    assert "First time" in suggestion.reason


def test_other_goals_do_not_count_as_history() -> None:
    other = session_sets("a", 2, 12, 1, goal="warmup")
    assert suggest_target(RECOVERY, other).target == Target(2, 6, 3)


def test_the_pause_grows_first() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 2, 6, 3))
    assert suggestion.target == Target(2, 6, 4)
    assert "one second longer" in suggestion.reason


def test_then_a_rep_once_the_hold_is_at_its_longest() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 2, 7, 5))
    assert suggestion.target == Target(2, 8, 5)
    assert "add one rep" in suggestion.reason


def test_then_a_set_keeping_at_least_the_same_total_work() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 2, 10, 5))
    assert suggestion.target == Target(3, 7, 5)
    assert suggestion.target.sets * suggestion.target.reps >= 20
    assert "one more set" in suggestion.reason


def test_never_beyond_the_top_of_the_range() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 4, 10, 5))
    assert suggestion.target == Target(4, 10, 5)
    assert "top of this goal's range" in suggestion.reason


def test_history_outside_the_range_is_brought_back_inside() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 6, 20, 9))
    assert suggestion.target == Target(4, 10, 5)


def test_only_the_most_recent_session_counts() -> None:
    history = session_sets("new", 2, 6, 4, day=3) + session_sets("old", 4, 10, 5, day=1)
    assert suggest_target(RECOVERY, history).target == Target(2, 6, 5)


def test_a_set_cut_short_repeats_the_same_target() -> None:
    history = session_sets("a", 3, 8, 4, partial_last=True)
    suggestion = suggest_target(RECOVERY, history)
    assert suggestion.target == Target(2, 8, 4)
    assert "cut short" in suggestion.reason


def test_a_session_of_only_a_partial_set_repeats_at_least_one_set() -> None:
    history = session_sets("a", 1, 3, 4, partial_last=True)
    assert suggest_target(RECOVERY, history).target == Target(2, 6, 4)


def test_hard_repeats_the_same_target() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 3, 8, 4), Feeling.HARD)
    assert suggestion.target == Target(3, 8, 4)
    assert "felt hard" in suggestion.reason


@pytest.mark.parametrize("feeling", [Feeling.EASY, Feeling.JUST_RIGHT, None])
def test_easy_or_just_right_progresses(feeling: Feeling | None) -> None:
    assert suggest_target(RECOVERY, session_sets("a", 3, 8, 4), feeling).target == Target(3, 8, 5)


def test_painful_steps_every_number_down() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 3, 9, 5), Feeling.PAINFUL)
    assert suggestion.target == Target(2, 7, 4)
    assert "stop well before any pain" in suggestion.reason


def test_painful_at_the_bottom_stays_at_the_bottom() -> None:
    suggestion = suggest_target(RECOVERY, session_sets("a", 2, 6, 3), Feeling.PAINFUL)
    assert suggestion.target == Target(2, 6, 3)
    assert suggestion.lightest
    assert "lightest target" in suggestion.reason
    assert "smaller range" in suggestion.reason


def test_a_smaller_target_is_smaller_than_the_one_just_done_or_says_it_cannot_be() -> None:
    goal = RECOVERY
    for sets in range(goal.sets.low, goal.sets.high + 1):
        for reps in range(goal.reps.low, goal.reps.high + 1):
            for hold in range(goal.hold_seconds.low, goal.hold_seconds.high + 1):
                done = Target(sets, reps, hold)
                smaller = smaller_target(goal, done)
                if done == Target.lowest(goal):
                    assert smaller.lightest
                    assert smaller.target == done
                    continue
                assert not smaller.lightest
                assert smaller.target != done
                assert smaller.target.sets <= sets
                assert smaller.target.reps <= reps
                assert smaller.target.hold_seconds <= hold
                smaller.target.check(goal)
