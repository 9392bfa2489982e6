"""Which phase changes earn a sound, and when an event is too old to sound at all."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest

from stretchbreak.core.session_values import Phase, PhaseChanged
from stretchbreak.core.sound_cue import FRESH_SECONDS, SoundCue, cue_for, is_fresh

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def changed(phase: Phase, at: datetime = T0) -> PhaseChanged:
    return PhaseChanged(phase, set_number=1, rep_number=1, at=at)


# ---------------------------------------------------------------- cue_for
@pytest.mark.parametrize(
    ("previous", "phase", "expected"),
    [
        (Phase.MOVE, Phase.HOLD, SoundCue.HOLD_START),
        (None, Phase.HOLD, SoundCue.HOLD_START),  # the first event seen is already a hold
        (Phase.HOLD, Phase.RETURN, SoundCue.HOLD_END),
        (Phase.REST, Phase.MOVE, SoundCue.REST_END),
        (Phase.HOLD, Phase.HOLD, None),  # not a new hold
        (Phase.HOLD, Phase.CANCELLED, None),  # the user stopped it: no "time's up"
        (Phase.REST, Phase.CANCELLED, None),
        (Phase.REST, Phase.DONE, None),
        (Phase.SETUP, Phase.MOVE, None),  # the first set starts without a rest before it
        (Phase.RETURN, Phase.MOVE, None),  # the next rep flows on without a sound
        (Phase.RETURN, Phase.REST, None),
        (Phase.RETURN, Phase.DONE, None),
        (None, Phase.MOVE, None),
        (None, Phase.OVERVIEW, None),
    ],
)
def test_cue_for_each_moment(
    previous: Phase | None, phase: Phase, expected: SoundCue | None
) -> None:
    assert cue_for(previous, changed(phase)) is expected


def test_only_three_kinds_of_change_ever_sound() -> None:
    """Exhaustive over every pair, so a new phase cannot start sounding by accident."""
    sounding = {
        (previous, phase): cue
        for previous, phase in itertools.product([None, *Phase], Phase)
        if (cue := cue_for(previous, changed(phase))) is not None
    }
    holds = {(p, Phase.HOLD): SoundCue.HOLD_START for p in [None, *Phase] if p is not Phase.HOLD}
    assert sounding == {
        **holds,
        (Phase.HOLD, Phase.RETURN): SoundCue.HOLD_END,
        (Phase.REST, Phase.MOVE): SoundCue.REST_END,
    }


def test_cue_names_are_the_sound_file_names() -> None:
    assert [cue.file_name for cue in SoundCue] == ["hold-start.wav", "hold-end.wav", "rest-end.wav"]
    assert SoundCue("rest-end") is SoundCue.REST_END
    assert str(SoundCue.HOLD_START) == "hold-start"


# ---------------------------------------------------------------- is_fresh
@pytest.mark.parametrize(
    ("age_s", "fresh"),
    [
        (0.0, True),
        (0.25, True),
        (FRESH_SECONDS, True),  # the boundary still counts
        (FRESH_SECONDS + 0.001, False),
        (4.0, False),  # caught up after a late wake-up
        (3600.0, False),
        (-5.0, True),  # stamped "in the future": the wall clock was set back since
    ],
)
def test_is_fresh_by_age(age_s: float, fresh: bool) -> None:
    assert is_fresh(T0, T0 + timedelta(seconds=age_s)) is fresh


def test_is_fresh_with_a_custom_tolerance() -> None:
    assert is_fresh(T0, T0 + timedelta(seconds=2.5), tolerance_s=3.0)
    assert not is_fresh(T0, T0 + timedelta(seconds=2.5), tolerance_s=2.0)
    assert is_fresh(T0, T0, tolerance_s=0.0)
    assert not is_fresh(T0, T0 + timedelta(microseconds=1), tolerance_s=0.0)


def test_is_fresh_refuses_a_negative_tolerance() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        is_fresh(T0, T0, tolerance_s=-0.1)


def test_is_fresh_compares_instants_not_time_zones() -> None:
    same_instant_in_cet = T0.astimezone(timezone(timedelta(hours=1)))
    assert is_fresh(T0, same_instant_in_cet + timedelta(seconds=0.5))
    assert not is_fresh(T0, same_instant_in_cet + timedelta(seconds=2))
