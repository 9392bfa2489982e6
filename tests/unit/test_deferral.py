"""The deferral policy with a fake clock: a call defers a due break, never drops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchbreak.core.deferral import (
    BusyReason,
    Deferral,
    Verdict,
    after_clock_jump,
    after_suspend,
    consult,
    next_check,
    ordered,
    primary_reason,
    watched,
)
from stretchbreak.core.settings import DeferSettings
from tests.fakes import FakeClock

MIC, CAM, FULL, DND = (
    BusyReason.MICROPHONE,
    BusyReason.CAMERA,
    BusyReason.FULLSCREEN,
    BusyReason.DO_NOT_DISTURB,
)
POLL = timedelta(seconds=5)
DUE = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Wait:
    """A due break and the policy, driven the way the coordinator drives it."""

    def __init__(self, settings: DeferSettings | None = None, speed: float = 1.0) -> None:
        self.clock = FakeClock(start=DUE)
        self.settings = settings or DeferSettings()
        self.speed = speed
        self.deferral: Deferral | None = None
        self.verdicts: list[Verdict] = []

    def look(self, *busy: BusyReason) -> Verdict:
        self.deferral, verdict = consult(
            self.deferral, frozenset(busy), self.clock.now(), self.settings, self.speed
        )
        self.verdicts.append(verdict)
        return verdict

    def minutes(self, minutes: float) -> None:
        self.clock.advance(minutes * 60)


def test_a_break_due_while_not_busy_goes_ahead_and_keeps_no_state() -> None:
    wait = Wait()
    assert wait.look() is Verdict.GO
    assert wait.deferral is None


def test_a_call_already_running_when_the_break_falls_due_defers_it_once() -> None:
    wait = Wait()
    assert wait.look(MIC) is Verdict.DEFER
    assert wait.deferral == Deferral(since=DUE, reasons=frozenset({MIC}))
    for _ in range(30):
        wait.minutes(1)
        assert wait.look(MIC) is Verdict.WAIT
    assert wait.verdicts.count(Verdict.DEFER) == 1


def test_after_the_call_the_break_comes_once_after_the_grace() -> None:
    wait = Wait()
    wait.look(MIC)
    wait.minutes(40)
    wait.look(MIC)
    wait.minutes(0.5)
    assert wait.look() is Verdict.WAIT  # the call just ended: the grace starts
    assert wait.deferral is not None
    assert wait.deferral.calm_since == wait.clock.now()
    assert wait.deferral.reasons == {MIC}  # still says why, for the tray
    wait.minutes(1.9)
    assert wait.look() is Verdict.WAIT
    wait.minutes(0.1)
    assert wait.look() is Verdict.GO
    assert wait.deferral is None
    assert wait.verdicts.count(Verdict.GO) == 1


def test_a_call_that_resumes_inside_the_grace_starts_the_grace_again() -> None:
    wait = Wait()
    wait.look(CAM)
    wait.minutes(1)
    wait.look()
    wait.minutes(1.5)
    assert wait.look(CAM) is Verdict.WAIT
    assert wait.deferral is not None
    assert wait.deferral.calm_since is None
    wait.minutes(1)
    wait.look()
    wait.minutes(1.5)
    assert wait.look() is Verdict.WAIT
    wait.minutes(0.5)
    assert wait.look() is Verdict.GO


def test_overlapping_signals_wait_for_the_last_one_and_name_the_call_first() -> None:
    wait = Wait()
    assert wait.look(FULL) is Verdict.DEFER
    wait.minutes(5)
    wait.look(FULL, MIC, CAM)
    assert wait.deferral is not None
    assert primary_reason(wait.deferral.reasons) is MIC
    assert ordered(wait.deferral.reasons) == ["microphone", "camera", "fullscreen"]
    wait.minutes(5)
    assert wait.look(CAM) is Verdict.WAIT  # microphone off, camera still on
    wait.minutes(5)
    assert wait.look() is Verdict.WAIT
    wait.minutes(2)
    assert wait.look() is Verdict.GO


def test_a_call_longer_than_the_limit_gives_up_once_with_no_prompt() -> None:
    wait = Wait(DeferSettings(max_hours=2))
    wait.look(MIC)
    wait.minutes(119)
    assert wait.look(MIC) is Verdict.WAIT
    wait.minutes(1)
    assert wait.look(MIC) is Verdict.GIVE_UP
    assert wait.deferral is None
    assert Verdict.GO not in wait.verdicts


def test_the_limit_also_ends_a_grace_that_runs_past_it() -> None:
    wait = Wait(DeferSettings(max_hours=1))
    wait.look(MIC)
    wait.minutes(59)
    wait.look()
    wait.minutes(1)
    assert wait.look() is Verdict.GIVE_UP


def test_a_signal_turned_off_in_the_settings_does_not_count() -> None:
    wait = Wait(DeferSettings(fullscreen=False))
    assert wait.look(FULL) is Verdict.GO
    wait = Wait(DeferSettings(microphone=False, camera=False, fullscreen=False))
    assert wait.look(MIC, CAM, FULL) is Verdict.GO
    assert wait.look(DND) is Verdict.DEFER
    off = DeferSettings(microphone=False, camera=False, fullscreen=False, do_not_disturb=False)
    assert watched(off) == frozenset()


def test_no_grace_means_at_once_after_the_call() -> None:
    wait = Wait(DeferSettings(grace_minutes=0))
    wait.look(MIC)
    wait.minutes(3)
    assert wait.look() is Verdict.GO


def test_speed_scales_the_grace_and_the_limit() -> None:
    wait = Wait(speed=60)
    wait.look(MIC)
    wait.clock.advance(1)
    wait.look()
    wait.clock.advance(2)  # two minutes at 60x
    assert wait.look() is Verdict.GO
    wait = Wait(speed=60)
    wait.look(MIC)
    wait.clock.advance(120)  # two hours at 60x
    assert wait.look(MIC) is Verdict.GIVE_UP


def test_the_next_look_is_the_poll_the_grace_end_or_the_limit() -> None:
    settings = DeferSettings()
    deferral = Deferral(since=DUE, reasons=frozenset({MIC}))
    assert next_check(deferral, DUE, POLL, settings) == DUE + POLL
    calm = Deferral(DUE, frozenset({MIC}), calm_since=DUE)
    late = DUE + timedelta(minutes=1, seconds=58)
    assert next_check(calm, late, POLL, settings) == DUE + timedelta(minutes=2)
    near_limit = DUE + timedelta(hours=2) - timedelta(seconds=1)
    assert next_check(deferral, near_limit, POLL, settings) == DUE + timedelta(hours=2)
    past = DUE + timedelta(hours=3)
    assert next_check(deferral, past, POLL, settings) == past  # never in the past


def test_a_clock_set_back_or_forward_keeps_the_time_already_waited() -> None:
    deferral = Deferral(DUE, frozenset({MIC}), calm_since=DUE + timedelta(minutes=1))
    now = DUE + timedelta(hours=1, minutes=30)  # the clock was set an hour forward
    moved = after_clock_jump(deferral, now, 3600)
    assert moved == Deferral(
        DUE + timedelta(hours=1), frozenset({MIC}), DUE + timedelta(hours=1, minutes=1)
    )
    back = after_clock_jump(deferral, DUE - timedelta(hours=1), -7200)
    assert back is not None
    assert back.since == DUE - timedelta(hours=2)
    assert after_clock_jump(None, now, 60) is None


def test_a_clock_jump_never_puts_the_wait_in_the_future() -> None:
    deferral = Deferral(DUE, frozenset({CAM}))
    jumped = after_clock_jump(deferral, DUE + timedelta(minutes=5), 3600)
    assert jumped is not None
    assert jumped.since == DUE + timedelta(minutes=5)


def test_a_suspend_during_a_call_does_not_count_as_call_time() -> None:
    wait = Wait(DeferSettings(max_hours=2))
    wait.look(MIC)
    wait.minutes(100)
    wait.clock.jump_wall(3 * 3600)  # three hours asleep, lid closed
    wait.deferral = after_suspend(wait.deferral, 3 * 3600, natural_break=False)
    assert wait.look(MIC) is Verdict.WAIT  # 100 minutes awake, not 280
    wait.minutes(20)
    assert wait.look(MIC) is Verdict.GIVE_UP


def test_a_suspend_long_enough_to_be_a_break_ends_the_wait() -> None:
    deferral = Deferral(DUE, frozenset({MIC}))
    assert after_suspend(deferral, 3600, natural_break=True) is None
    assert after_suspend(None, 60, natural_break=False) is None


def test_no_reason_is_named_for_no_signal() -> None:
    assert primary_reason(frozenset()) is None


@pytest.mark.parametrize(
    ("key", "value"),
    [("microphone", 1), ("grace_minutes", 31), ("max_hours", 0), ("max_hours", True)],
)
def test_settings_refuse_what_the_file_would_refuse(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        DeferSettings(**{key: value})  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(st.integers(1, 600), st.frozensets(st.sampled_from(list(BusyReason)))),
        max_size=60,
    )
)
def test_however_the_signals_come_and_go_there_is_one_go_or_one_give_up(
    steps: list[tuple[int, frozenset[BusyReason]]],
) -> None:
    """Each deferral ends at most once, in a prompt or a notification, never both, never two."""
    wait = Wait()
    wait.look(MIC)
    for seconds, busy in steps:
        if wait.deferral is None:
            break
        wait.clock.advance(seconds)
        wait.look(*busy)
    ends = [v for v in wait.verdicts if v in (Verdict.GO, Verdict.GIVE_UP)]
    assert len(ends) <= 1
    assert (wait.deferral is None) == (len(ends) == 1)
    assert wait.verdicts.count(Verdict.DEFER) == 1
