"""What counts: the three kinds of session and their sums, the one rule every view uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stretchbreak.core.history import CompletedSet, Outcome, SessionRecord, Source
from stretchbreak.core.tally import (
    SessionKind,
    Tally,
    is_counted,
    is_finished,
    reps_of,
    session_kind,
    tally,
)

T0 = datetime(2026, 11, 25, 9, tzinfo=UTC)


def session(
    sets: tuple[tuple[int, bool], ...], outcome: Outcome | None, session_id: str = "s"
) -> SessionRecord:
    """A session whose sets are (reps, partial), each 10 s long."""
    return SessionRecord(
        session_id, "ex", "recovery", Source.MANUAL, "guided", 2, 6, 3, T0, T0, outcome, None,
        tuple(
            CompletedSet(session_id, "ex", "recovery", i, reps, 3, T0, T0 + timedelta(seconds=10),
                         10.0, 0.0, Source.MANUAL, partial)
            for i, (reps, partial) in enumerate(sets, start=1)
        ),
    )  # fmt: skip


FINISHED = session(((6, False), (6, False)), Outcome.COMPLETED, "finished")
CUT_SHORT = session(((2, True),), Outcome.CANCELLED, "cut")
IN_REST = session(((6, False),), Outcome.CANCELLED, "rest")
MIXED = session(((6, False), (3, True)), Outcome.CANCELLED, "mixed")
EMPTY = session((), Outcome.CANCELLED, "empty")
OPEN = session(((6, False),), None, "open")  # the app was stopped mid-session
NEVER_ENDED = session((), None, "never")


@pytest.mark.parametrize(
    ("record", "kind"),
    [
        (FINISHED, SessionKind.FINISHED),
        (CUT_SHORT, SessionKind.ENDED_EARLY),
        (IN_REST, SessionKind.ENDED_EARLY),
        (MIXED, SessionKind.ENDED_EARLY),
        (OPEN, SessionKind.ENDED_EARLY),
        (EMPTY, SessionKind.EMPTY),
        (NEVER_ENDED, SessionKind.EMPTY),
    ],
)
def test_each_session_is_of_exactly_one_kind(record: SessionRecord, kind: SessionKind) -> None:
    assert session_kind(record) is kind
    assert session_kind(record.digest()) is kind
    assert is_finished(record) is (kind is SessionKind.FINISHED)
    assert is_counted(record) is (kind is not SessionKind.EMPTY)


def test_reps_include_those_of_a_set_cut_short() -> None:
    assert [reps_of(r) for r in (FINISHED, CUT_SHORT, MIXED, EMPTY)] == [12, 2, 9, 0]
    assert reps_of(MIXED.digest()) == 9


def test_a_tally_adds_up_what_counts_and_sets_the_empty_ones_apart() -> None:
    every = [FINISHED, CUT_SHORT, IN_REST, MIXED, EMPTY, OPEN, NEVER_ENDED]
    assert tally(every) == Tally(
        sessions=5, finished=1, ended_early=4, empty=2, sets=5, partial_sets=2,
        reps=35, partial_reps=5, active_seconds=70.0,
    )  # fmt: skip
    assert tally(r.digest() for r in every) == tally(every)
    assert tally([]) == Tally(0, 0, 0, 0, 0, 0, 0, 0, 0.0)
