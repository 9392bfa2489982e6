"""The prompt's phases: every event in every phase goes where the coordinator relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchbreak.core.coordinator_state import (
    BreakEnded,
    BreakStarted,
    ClockJumped,
    Event,
    FellDue,
    Hidden,
    Phase,
    Reminder,
    Settled,
    Shown,
    Warned,
    advance,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DUE = NOW - timedelta(minutes=1)
LATER = NOW + timedelta(minutes=5)

PLANNED = Reminder()
WARNED = Reminder(Phase.WARNED, warned_for=DUE)
WAITING = Reminder(Phase.DUE, due=DUE, warned_for=DUE)
SHOWN = Reminder(Phase.SHOWN, due=DUE, shown_at=NOW, warned_for=DUE)
IN_BREAK = Reminder(Phase.IN_BREAK, warned_for=DUE)


def test_a_day_goes_planned_warned_due_shown_answered() -> None:
    reminder = advance(PLANNED, Warned(LATER), NOW)
    assert reminder == Reminder(Phase.WARNED, warned_for=LATER)
    reminder = advance(reminder, FellDue(LATER), LATER)
    assert reminder == Reminder(Phase.DUE, due=LATER, warned_for=LATER)
    reminder = advance(reminder, Shown(), LATER + timedelta(seconds=3))
    assert reminder.phase is Phase.SHOWN
    assert reminder.shown_at == LATER + timedelta(seconds=3)
    reminder = advance(reminder, Settled(), LATER + timedelta(seconds=9))
    # The warning is remembered, so a re-plan on the same due time does not warn again.
    assert reminder == Reminder(Phase.PLANNED, warned_for=LATER)


def test_a_call_hides_a_shown_prompt_which_then_waits_again() -> None:
    assert advance(SHOWN, Hidden(), NOW) == WAITING


@pytest.mark.parametrize("start", [PLANNED, WARNED, WAITING, SHOWN])
def test_a_break_takes_over_from_any_phase_and_ends_in_planning(start: Reminder) -> None:
    during = advance(start, BreakStarted(), NOW)
    assert (during.phase, during.due, during.shown_at) == (Phase.IN_BREAK, None, None)
    assert advance(during, BreakEnded(), LATER).phase is Phase.PLANNED


def test_a_heads_up_during_a_break_is_remembered_but_the_break_goes_on() -> None:
    assert advance(IN_BREAK, Warned(LATER), NOW) == Reminder(Phase.IN_BREAK, warned_for=LATER)


def test_settling_during_a_break_leaves_the_break_running() -> None:
    assert advance(IN_BREAK, Settled(), NOW) == IN_BREAK


@pytest.mark.parametrize(
    ("start", "event"),
    [
        (WAITING, FellDue(LATER)),
        (SHOWN, FellDue(LATER)),
        (IN_BREAK, FellDue(LATER)),
        (PLANNED, Shown()),
        (SHOWN, Shown()),
        (IN_BREAK, Shown()),
        (PLANNED, Hidden()),
        (WAITING, Hidden()),
        (PLANNED, BreakEnded()),
        (SHOWN, BreakEnded()),
    ],
)
def test_an_event_that_does_not_apply_changes_nothing(start: Reminder, event: Event) -> None:
    assert advance(start, event, NOW) is start


def test_a_clock_step_moves_the_prompt_but_never_into_the_future() -> None:
    back = advance(SHOWN, ClockJumped(-3600), NOW)
    hour = timedelta(hours=1)
    assert back == Reminder(Phase.SHOWN, due=DUE - hour, shown_at=NOW - hour, warned_for=DUE - hour)
    ahead = advance(SHOWN, ClockJumped(3600), NOW)
    assert (ahead.due, ahead.shown_at, ahead.warned_for) == (NOW, NOW, DUE + hour)


def test_a_clock_step_with_nothing_waiting_changes_nothing() -> None:
    assert advance(PLANNED, ClockJumped(600), NOW) == PLANNED
