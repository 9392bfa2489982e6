"""The reminder policy, day by day: working hours, fixed times, snooze, pause, wake-ups, DST.

Plain datetimes, no fake clock: every "now" is an argument. The week of Monday 2025-03-10 in
Berlin is the usual stage; the DST days are Berlin's 2025-03-30 and 2025-10-26 and New York's
2025-03-09 and 2025-11-02.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.schedule import (
    DUE_GRACE,
    HORIZON,
    Activity,
    ScheduleState,
    Status,
    after_break_completed,
    after_clock_jump,
    after_missed,
    after_natural_break,
    after_skip,
    after_snooze,
    after_start,
    after_wake,
    heads_up_at,
    is_missed,
    is_working_time,
    missed_at,
    natural_break_due,
    new_state,
    next_prompt,
    pause,
    pause_until_tomorrow,
    resume,
    should_show_now,
    show_by,
    state_from_dict,
    state_to_dict,
    status,
)
from stretchbreak.core.schedule_days import Calendar
from stretchbreak.core.settings import ReminderSettings
from stretchbreak.core.working_hours import WEEKDAYS, TimeRange, WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = ReminderSettings()  # every 50 min, Mon-Fri 09:00-12:30 and 13:30-17:30


def at(text: str, tz: tzinfo = BERLIN, fold: int = 0) -> datetime:
    """A local wall time as an aware UTC instant; ``fold=1`` is the second of a repeated hour."""
    return datetime.fromisoformat(text).replace(tzinfo=tz, fold=fold).astimezone(UTC)


def only(**days: tuple[str, ...]) -> WorkingHours:
    """Working hours on the days named, every other day off."""
    chosen = {day: tuple(TimeRange.parse(text) for text in days.get(day, ())) for day in WEEKDAYS}
    return WorkingHours.from_mapping(chosen)


def reminders(**changes: object) -> ReminderSettings:
    values: dict[str, object] = {"interval_minutes": 50, "fixed_times": ()} | changes
    return ReminderSettings(**values)  # type: ignore[arg-type]


def plan(
    settings: ReminderSettings, state: ScheduleState, now: datetime, **kw: float
) -> datetime | None:
    return next_prompt(settings, state, now, BERLIN, **kw)


def started(text: str) -> tuple[ScheduleState, datetime]:
    now = at(text)
    return new_state(now), now


# ----------------------------------------------------------------- working hours


def test_first_prompt_comes_one_interval_after_work_starts_when_the_app_started_earlier() -> None:
    state, now = started("2025-03-10 08:00")
    assert plan(OFFICE, state, now) == at("2025-03-10 09:50")


def test_first_prompt_comes_one_interval_after_the_app_starts_when_it_started_later() -> None:
    state, now = started("2025-03-10 10:07")
    assert plan(OFFICE, state, now) == at("2025-03-10 10:57")


def test_a_completed_break_restarts_the_interval() -> None:
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 10:03"))
    assert plan(OFFICE, state, at("2025-03-10 10:03")) == at("2025-03-10 10:53")


def test_a_due_time_in_the_lunch_gap_moves_to_one_interval_after_lunch() -> None:
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 11:47"))
    assert plan(OFFICE, state, at("2025-03-10 11:47")) == at("2025-03-10 14:20")


def test_a_due_time_exactly_at_the_end_of_a_range_moves_on() -> None:
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 11:40"))
    assert plan(OFFICE, state, at("2025-03-10 11:40")) == at("2025-03-10 14:20")


def test_starting_the_app_during_lunch_waits_one_interval_after_lunch() -> None:
    state, now = started("2025-03-10 12:45")
    assert plan(OFFICE, state, now) == at("2025-03-10 14:20")


def test_after_the_last_prompt_of_the_day_the_next_comes_tomorrow_after_one_interval() -> None:
    state, now = started("2025-03-10 17:00")
    assert plan(OFFICE, state, now) == at("2025-03-11 09:50")


def test_friday_evening_plans_monday_and_the_weekend_is_quiet() -> None:
    assert plan(OFFICE, *started("2025-03-14 17:00")) == at("2025-03-17 09:50")
    assert plan(OFFICE, *started("2025-03-15 11:00")) == at("2025-03-17 09:50")


def test_a_day_entirely_off_is_skipped() -> None:
    settings = reminders(working_hours=only(mon=("09:00-17:00",), wed=("09:00-17:00",)))
    assert plan(settings, *started("2025-03-10 16:30")) == at("2025-03-12 09:50")


def test_no_working_hours_at_all_plans_nothing() -> None:
    settings = reminders(working_hours=only(), fixed_times=(time(10, 30),))
    state, now = started("2025-03-10 10:00")
    assert plan(settings, state, now) is None
    assert status(settings, state, now, BERLIN) == Status(Activity.OUTSIDE_HOURS, None, None)


def test_an_interval_longer_than_every_working_range_plans_nothing() -> None:
    settings = reminders(interval_minutes=240)
    assert plan(settings, *started("2025-03-10 08:00")) is None


def test_touching_ranges_are_one_stretch_of_work() -> None:
    settings = reminders(
        interval_minutes=90, working_hours=only(mon=("09:00-12:00", "12:00-13:00"))
    )
    state, now = started("2025-03-10 11:00")
    assert plan(settings, state, now) == at("2025-03-10 12:30")


def test_a_range_ending_at_23_59_runs_on_into_the_next_day() -> None:
    settings = reminders(
        interval_minutes=60, working_hours=only(mon=("22:00-23:59",), tue=("00:00-06:00",))
    )
    state, now = started("2025-03-10 23:30")
    assert plan(settings, state, now) == at("2025-03-11 00:30")
    assert is_working_time(settings, at("2025-03-10 23:59:30"), BERLIN)


def test_an_overdue_prompt_is_due_at_once_but_only_inside_working_hours() -> None:
    state = new_state(at("2025-03-10 09:00"))
    assert plan(OFFICE, state, at("2025-03-10 10:05")) == at("2025-03-10 10:05")
    assert plan(OFFICE, state, at("2025-03-10 12:40")) == at("2025-03-10 14:20")


def test_an_anchor_in_the_future_counts_from_now() -> None:
    state = new_state(at("2025-03-10 15:00"))  # the clock was set back since
    assert plan(OFFICE, state, at("2025-03-10 10:00")) == at("2025-03-10 10:50")


def test_working_hours_are_local_on_the_day_in_question_across_dst_in_new_york() -> None:
    state = new_state(at("2025-03-07 17:00", NEW_YORK))
    due = next_prompt(OFFICE, state, state.interval_anchor, NEW_YORK)
    assert due == at("2025-03-10 09:50", NEW_YORK) == datetime(2025, 3, 10, 13, 50, tzinfo=UTC)
    state = new_state(at("2025-10-31 17:00", NEW_YORK))
    due = next_prompt(OFFICE, state, state.interval_anchor, NEW_YORK)
    assert due == at("2025-11-03 09:50", NEW_YORK) == datetime(2025, 11, 3, 14, 50, tzinfo=UTC)


# ----------------------------------------------------------------- DST days


def test_spring_forward_a_range_covers_only_the_hours_the_clock_shows() -> None:
    # Berlin 2025-03-30: 02:00 CET becomes 03:00 CEST, so 01:30-03:30 is one real hour.
    settings = reminders(interval_minutes=50, working_hours=only(sun=("01:30-03:30",)))
    state, now = started("2025-03-30 01:00")
    due = plan(settings, state, now)
    assert due == at("2025-03-30 03:20") == at("2025-03-30 01:30") + timedelta(minutes=50)
    assert is_working_time(settings, at("2025-03-30 01:59"), BERLIN)
    assert is_working_time(settings, at("2025-03-30 03:00"), BERLIN)
    assert not is_working_time(settings, at("2025-03-30 03:30"), BERLIN)


def test_spring_forward_an_interval_that_no_longer_fits_the_short_range_moves_a_week() -> None:
    settings = reminders(interval_minutes=60, working_hours=only(sun=("01:30-03:30",)))
    state, now = started("2025-03-30 01:00")
    assert plan(settings, state, now) == at("2025-04-06 02:30")


def test_spring_forward_a_range_ending_in_the_skipped_hour_ends_when_the_clock_jumps() -> None:
    settings = reminders(working_hours=only(sun=("01:00-02:30",)))
    calendar = Calendar.between(BERLIN, at("2025-03-29 12:00"), at("2025-03-31 12:00"))
    (period,) = calendar.working_periods(settings.working_hours)
    assert period == (at("2025-03-30 01:00"), datetime(2025, 3, 30, 1, 0, tzinfo=UTC))


def test_fall_back_the_repeated_hour_is_working_time_both_times() -> None:
    # Berlin 2025-10-26: 03:00 CEST becomes 02:00 CET, so 01:30-03:30 is three real hours.
    settings = reminders(interval_minutes=150, working_hours=only(sun=("01:30-03:30",)))
    state, now = started("2025-10-26 01:00")
    assert (
        plan(settings, state, now)
        == at("2025-10-26 03:00")
        == at("2025-10-26 01:30") + timedelta(hours=2.5)
    )
    assert is_working_time(settings, at("2025-10-26 02:15"), BERLIN)
    assert is_working_time(settings, at("2025-10-26 02:15", fold=1), BERLIN)


def test_fall_back_a_range_starting_in_the_repeated_hour_follows_the_clock() -> None:
    settings = reminders(working_hours=only(sun=("02:30-03:30",)))
    assert is_working_time(settings, at("2025-10-26 02:45"), BERLIN)
    assert not is_working_time(settings, at("2025-10-26 02:15", fold=1), BERLIN)
    assert is_working_time(settings, at("2025-10-26 02:45", fold=1), BERLIN)


def test_fall_back_in_new_york_the_one_o_clock_hour_twice() -> None:
    settings = reminders(interval_minutes=90, working_hours=only(sun=("00:30-02:00",)))
    state = new_state(at("2025-11-02 00:00", NEW_YORK))
    due = next_prompt(settings, state, state.interval_anchor, NEW_YORK)
    assert due == at("2025-11-02 01:00", NEW_YORK, fold=1)  # 00:30 EDT + 90 real minutes


def test_a_fixed_time_the_clock_skips_does_not_ask_and_one_it_repeats_asks_once() -> None:
    calendar = Calendar.between(BERLIN, at("2025-03-29 00:00"), at("2025-03-31 00:00"))
    assert calendar.fixed_instants((time(2, 30),)) == (at("2025-03-29 02:30"),)
    calendar = Calendar.between(BERLIN, at("2025-10-25 12:00"), at("2025-10-26 12:00"))
    assert calendar.fixed_instants((time(2, 30),)) == (at("2025-10-26 02:30"),)
    settings = reminders(
        interval_minutes=240, fixed_times=(time(2, 30),), working_hours=only(sun=("00:00-23:59",))
    )
    state, now = started("2025-10-26 00:00")
    assert plan(settings, state, now) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST


# ----------------------------------------------------------------- fixed times


def test_fixed_times_ask_on_top_of_the_interval() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30), time(15, 0)))
    state, now = started("2025-03-10 08:00")
    assert plan(settings, state, now) == at("2025-03-10 10:30")
    state = after_break_completed(state, at("2025-03-10 10:34"))
    assert plan(settings, state, at("2025-03-10 10:34")) == at("2025-03-10 15:00")


def test_fixed_times_outside_working_hours_never_ask() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(8, 0), time(12, 45), time(18, 0)))
    assert plan(settings, *started("2025-03-10 07:00")) is None


def test_fixed_times_ask_only_on_working_days() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30),))
    assert plan(settings, *started("2025-03-15 08:00")) == at("2025-03-17 10:30")


def test_a_fixed_time_within_half_an_interval_after_a_break_is_left_out() -> None:
    settings = reminders(fixed_times=(time(10, 30),))
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 10:10"))
    assert plan(settings, state, at("2025-03-10 10:10")) == at("2025-03-10 11:00")
    state = after_break_completed(state, at("2025-03-10 10:05"))
    assert plan(settings, state, at("2025-03-10 10:05")) == at("2025-03-10 10:30")


def test_a_fixed_time_answered_at_once_does_not_ask_again() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30),))
    state = after_skip(new_state(at("2025-03-10 08:00")), at("2025-03-10 10:30"))
    assert plan(settings, state, at("2025-03-10 10:30")) == at("2025-03-11 10:30")


# ----------------------------------------------------------------- snooze


def test_a_snooze_asks_again_when_it_ends() -> None:
    state = new_state(at("2025-03-10 09:00"))
    state = after_snooze(state, at("2025-03-10 09:50"), 10)
    assert state.snoozed_until == at("2025-03-10 10:00")
    assert plan(OFFICE, state, at("2025-03-10 09:50")) == at("2025-03-10 10:00")


def test_a_snoozed_fixed_time_comes_back_even_when_the_interval_is_far() -> None:
    settings = reminders(fixed_times=(time(10, 30),))
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 10:00"))
    state = after_snooze(state, at("2025-03-10 10:30"), 5)
    assert plan(settings, state, at("2025-03-10 10:30")) == at("2025-03-10 10:35")


def test_a_snooze_ending_after_work_is_dropped() -> None:
    state = after_snooze(new_state(at("2025-03-10 16:35")), at("2025-03-10 17:25"), 15)
    assert plan(OFFICE, state, at("2025-03-10 17:25")) == at("2025-03-11 09:50")


def test_a_snooze_that_ran_out_before_lunch_does_not_come_back_after_lunch() -> None:
    state = after_snooze(new_state(at("2025-03-10 11:35")), at("2025-03-10 12:15"), 10)
    # The timer fired late (12:40, lunch): the snooze is dropped, not kept for 13:30.
    assert plan(OFFICE, state, at("2025-03-10 12:40")) == at("2025-03-10 14:20")
    assert plan(OFFICE, state, at("2025-03-10 13:45")) == at("2025-03-10 14:20")
    # Late but still before lunch: once, at once.
    assert plan(OFFICE, state, at("2025-03-10 12:29")) == at("2025-03-10 12:29")


def test_a_snooze_under_a_longer_pause_comes_back_when_the_pause_ends() -> None:
    state = ScheduleState(
        at("2025-03-10 09:40"),
        snoozed_until=at("2025-03-10 10:00"),
        paused_until=at("2025-03-10 10:20"),
    )
    assert plan(OFFICE, state, at("2025-03-10 09:55")) == at("2025-03-10 10:20")


def test_a_snooze_is_answered_by_the_next_outcome() -> None:
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:50"), 10)
    for outcome in (after_break_completed, after_skip, after_missed, after_natural_break):
        assert outcome(state, at("2025-03-10 09:55")).snoozed_until is None


def test_a_snooze_lasts_a_scaled_time_under_speed() -> None:
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:50"), 10, speed=60)
    assert state.snoozed_until == at("2025-03-10 09:50:10")


@pytest.mark.parametrize("minutes", [0, -5, math.nan])
def test_a_snooze_without_minutes_is_refused(minutes: float) -> None:
    with pytest.raises(ValueError, match="snooze"):
        after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:50"), minutes)


# ----------------------------------------------------------------- pause


def test_no_prompt_before_a_pause_ends() -> None:
    state = pause(new_state(at("2025-03-10 09:40")), at("2025-03-10 11:00"))
    assert plan(OFFICE, state, at("2025-03-10 10:00")) == at("2025-03-10 11:00")
    state = pause(new_state(at("2025-03-10 10:00")), at("2025-03-10 10:30"))
    assert plan(OFFICE, state, at("2025-03-10 10:00")) == at("2025-03-10 10:50")


def test_a_pause_answers_a_snooze_and_resume_ends_the_pause() -> None:
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:50"), 10)
    state = pause(state, at("2025-03-10 12:00"))
    assert state.snoozed_until is None
    assert resume(state) == ScheduleState(
        at("2025-03-10 09:00"), last_prompt_at=at("2025-03-10 09:50")
    )


def test_pause_until_tomorrow_on_friday_evening_runs_to_monday_morning() -> None:
    now = at("2025-03-14 18:00")
    state = pause_until_tomorrow(OFFICE, new_state(now), now, BERLIN)
    assert state.paused_until == at("2025-03-17 09:00")
    assert plan(OFFICE, state, now) == at("2025-03-17 09:50")
    assert status(OFFICE, state, now, BERLIN) == Status(
        Activity.PAUSED, at("2025-03-17 09:50"), at("2025-03-17 09:00")
    )


@pytest.mark.parametrize(
    "when", ["2025-03-10 07:00", "2025-03-10 10:00", "2025-03-10 12:45", "2025-03-10 20:00"]
)
def test_pause_until_tomorrow_on_a_working_day_runs_to_the_next_morning(when: str) -> None:
    state = pause_until_tomorrow(OFFICE, new_state(at(when)), at(when), BERLIN)
    assert state.paused_until == at("2025-03-11 09:00")


def test_pause_until_tomorrow_during_a_night_shift_runs_to_the_next_shift() -> None:
    settings = reminders(
        working_hours=only(
            mon=("22:00-23:59",), tue=("00:00-06:00", "22:00-23:59"), wed=("00:00-06:00",)
        )
    )
    now = at("2025-03-11 01:00")
    assert pause_until_tomorrow(settings, new_state(now), now, BERLIN).paused_until == at(
        "2025-03-11 22:00"
    )


def test_pause_until_tomorrow_without_working_hours_runs_to_midnight() -> None:
    settings = reminders(working_hours=only())
    now = at("2025-03-30 10:00")  # the window starts before that night's DST change
    assert pause_until_tomorrow(settings, new_state(now), now, BERLIN).paused_until == at(
        "2025-03-31 00:00"
    )


def test_pause_until_tomorrow_where_the_clock_skips_midnight_runs_to_the_jump() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2025-09-07 00:00 became 01:00
    settings = reminders(working_hours=only())
    now = at("2025-09-06 20:00", santiago)
    until = pause_until_tomorrow(settings, new_state(now), now, santiago).paused_until
    assert until == at("2025-09-07 01:00", santiago) == datetime(2025, 9, 7, 4, 0, tzinfo=UTC)


def test_pause_until_tomorrow_across_the_spring_forward_weekend_in_new_york() -> None:
    now = at("2025-03-07 18:00", NEW_YORK)
    state = pause_until_tomorrow(OFFICE, new_state(now), now, NEW_YORK)
    assert state.paused_until == datetime(2025, 3, 10, 13, 0, tzinfo=UTC)  # 09:00 EDT


def test_a_pause_beyond_the_horizon_plans_nothing() -> None:
    now = at("2025-03-10 10:00")
    state = pause(new_state(now), now + HORIZON + timedelta(minutes=1))
    assert plan(OFFICE, state, now) is None


# ----------------------------------------------------------------- status


def test_status_says_active_inside_and_outside_hours_outside() -> None:
    state, now = started("2025-03-10 10:00")
    assert status(OFFICE, state, now, BERLIN) == Status(
        Activity.ACTIVE, at("2025-03-10 10:50"), None
    )
    state, now = started("2025-03-10 12:45")
    assert status(OFFICE, state, now, BERLIN).state == "outside_hours"


def test_an_expired_pause_is_not_shown() -> None:
    state = pause(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:30"))
    assert status(OFFICE, state, at("2025-03-10 10:00"), BERLIN).paused_until is None


def test_status_has_the_json_shape_of_the_status_command() -> None:
    shown = Status(Activity.PAUSED, None, datetime(2025, 3, 17, 8, 0, tzinfo=UTC)).to_dict()
    assert shown == {
        "state": "paused",
        "next_prompt_at": None,
        "paused_until": "2025-03-17T08:00:00+00:00",
    }
    shown = Status(Activity.ACTIVE, datetime(2025, 3, 17, 8, 50, tzinfo=UTC), None).to_dict()
    assert shown["next_prompt_at"] == "2025-03-17T08:50:00+00:00"


# ----------------------------------------------------------------- the prompt itself


def test_the_heads_up_comes_before_the_prompt_and_scales_with_speed() -> None:
    due = at("2025-03-10 09:50")
    assert heads_up_at(due, OFFICE) == at("2025-03-10 09:49")
    assert heads_up_at(due, OFFICE, speed=60) == at("2025-03-10 09:49:59")
    assert heads_up_at(due, reminders(heads_up_seconds=0)) is None


def test_a_due_prompt_waits_for_a_lull_in_typing_but_not_for_ever() -> None:
    due = at("2025-03-10 09:50")
    assert not should_show_now(due, due - timedelta(seconds=1), idle_seconds=60, lull_seconds=3)
    assert not should_show_now(due, due + timedelta(seconds=5), idle_seconds=0.5, lull_seconds=3)
    assert should_show_now(due, due + timedelta(seconds=5), idle_seconds=3, lull_seconds=3)
    assert should_show_now(due, due + timedelta(seconds=60), idle_seconds=0, lull_seconds=3)
    assert should_show_now(due, due, idle_seconds=0, lull_seconds=0)
    assert show_by(due) == due + timedelta(seconds=60)


def test_without_an_idle_backend_a_due_prompt_shows_at_once() -> None:
    due = at("2025-03-10 09:50")
    assert should_show_now(due, due, idle_seconds=None, lull_seconds=3)


def test_the_lull_and_its_longest_wait_scale_with_speed() -> None:
    due = at("2025-03-10 09:50")
    assert should_show_now(due, due, idle_seconds=0.1, lull_seconds=3, speed=30)
    assert should_show_now(
        due, due + timedelta(seconds=2), idle_seconds=0, lull_seconds=3, speed=30
    )
    assert not should_show_now(
        due, due + timedelta(seconds=1), idle_seconds=0, lull_seconds=3, speed=30
    )
    assert show_by(due, speed=60, max_wait=timedelta(seconds=120)) == due + timedelta(seconds=2)


def test_an_unanswered_prompt_is_missed_after_ten_minutes() -> None:
    shown = at("2025-03-10 09:50")
    assert not is_missed(shown, at("2025-03-10 09:59:59"))
    assert is_missed(shown, at("2025-03-10 10:00"))
    assert missed_at(shown, speed=60) == at("2025-03-10 09:50:10")
    assert is_missed(shown, at("2025-03-10 09:50:10"), speed=60)


def test_after_a_missed_prompt_the_schedule_goes_on_from_the_prompt() -> None:
    state = after_missed(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:50"))
    assert plan(OFFICE, state, at("2025-03-10 10:00")) == at("2025-03-10 10:40")


# ----------------------------------------------------------------- natural breaks


def test_being_away_for_the_break_length_is_a_natural_break() -> None:
    assert not natural_break_due(299, 5)
    assert natural_break_due(300, 5)
    assert natural_break_due(5, 5, speed=60)
    assert not natural_break_due(None, 5)
    assert not natural_break_due(3600, None)


def test_a_natural_break_restarts_the_interval_from_the_return() -> None:
    state = after_natural_break(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:40"))
    assert plan(OFFICE, state, at("2025-03-10 09:40")) == at("2025-03-10 10:30")


# ----------------------------------------------------------------- wake-ups and clock jumps


def test_a_short_suspend_shifts_the_plan_by_the_gap() -> None:
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:15"), 10)
    woken = after_wake(state, OFFICE, at("2025-03-10 09:23"), 180, 5)
    assert woken.interval_anchor == at("2025-03-10 09:03")
    assert woken.snoozed_until == at("2025-03-10 09:28")
    assert woken.last_prompt_at == at("2025-03-10 09:18")
    assert plan(OFFICE, woken, at("2025-03-10 09:23")) == at("2025-03-10 09:28")


def test_a_short_suspend_over_the_due_time_asks_once_a_little_later() -> None:
    state = new_state(at("2025-03-10 09:00"))
    woken = after_wake(state, OFFICE, at("2025-03-10 09:51"), 180, 5)
    assert plan(OFFICE, woken, at("2025-03-10 09:51")) == at("2025-03-10 09:53")


def test_a_suspend_of_two_hours_is_a_natural_break() -> None:
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 09:15"), 10)
    woken = after_wake(state, OFFICE, at("2025-03-10 11:20"), 7200, 5)
    assert woken == ScheduleState(at("2025-03-10 11:20"), last_prompt_at=at("2025-03-10 11:20"))
    assert plan(OFFICE, woken, at("2025-03-10 11:20")) == at("2025-03-10 12:10")


def test_an_overnight_suspend_waits_one_interval_into_the_working_day() -> None:
    state = new_state(at("2025-03-10 16:40"))
    gap = (at("2025-03-11 08:30") - at("2025-03-10 17:00")).total_seconds()
    woken = after_wake(state, OFFICE, at("2025-03-11 08:30"), gap, 5)
    assert plan(OFFICE, woken, at("2025-03-11 08:30")) == at("2025-03-11 09:50")
    woken = after_wake(state, OFFICE, at("2025-03-11 09:40"), gap + 4200, 5)
    assert plan(OFFICE, woken, at("2025-03-11 09:40")) == at("2025-03-11 10:30")


def test_a_suspend_keeps_a_pause_the_user_chose() -> None:
    state = pause(new_state(at("2025-03-10 09:00")), at("2025-03-10 15:30"))
    assert after_wake(state, OFFICE, at("2025-03-10 10:00"), 120, 5).paused_until == at(
        "2025-03-10 15:30"
    )


def test_without_away_detection_even_a_long_suspend_only_shifts_the_plan() -> None:
    state = new_state(at("2025-03-10 09:00"))
    woken = after_wake(state, OFFICE, at("2025-03-10 11:20"), 7200, None)
    assert woken.interval_anchor == at("2025-03-10 11:00")
    assert woken.last_prompt_at is None


def test_a_clock_set_back_keeps_the_time_left_until_the_prompt() -> None:
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 10:00"))
    state = after_snooze(state, at("2025-03-10 10:25"), 15)
    # At 10:30 (10 min to go) the clock is set back one hour.
    jumped = after_clock_jump(state, at("2025-03-10 09:30"), -3600)
    assert jumped.snoozed_until == at("2025-03-10 09:40")
    assert jumped.last_prompt_at == at("2025-03-10 09:25")
    assert plan(OFFICE, jumped, at("2025-03-10 09:30")) == at("2025-03-10 09:40")
    woken = after_wake(
        after_missed(state, at("2025-03-10 10:20")), OFFICE, at("2025-03-10 09:30"), -3600, 5
    )
    assert plan(OFFICE, woken, at("2025-03-10 09:30")) == at("2025-03-10 10:10")


def test_a_clock_set_forward_keeps_the_time_left_and_the_pause() -> None:
    state = pause(new_state(at("2025-03-10 09:00")), at("2025-03-10 13:45"))
    jumped = after_clock_jump(state, at("2025-03-10 10:40"), 3600)  # at 09:40, 1 h forward
    assert jumped.interval_anchor == at("2025-03-10 10:00")
    assert jumped.paused_until == at("2025-03-10 13:45")
    assert plan(OFFICE, resume(jumped), at("2025-03-10 10:40")) == at("2025-03-10 10:50")


def test_a_clock_set_back_without_a_wake_report_still_prompts_within_an_interval() -> None:
    state = after_break_completed(new_state(at("2025-03-10 08:00")), at("2025-03-10 11:00"))
    assert plan(OFFICE, state, at("2025-03-10 09:30")) == at("2025-03-10 10:20")


def test_a_clock_set_forward_a_little_keeps_the_time_left() -> None:
    state = new_state(at("2025-03-10 09:00"))
    woken = after_wake(state, OFFICE, at("2025-03-10 09:32"), 120, 5)
    assert plan(OFFICE, woken, at("2025-03-10 09:32")) == at("2025-03-10 09:52")


# ----------------------------------------------------------------- speed


def test_speed_scales_the_interval_but_not_the_working_hours_clock() -> None:
    state, now = started("2025-03-10 08:00")
    assert plan(OFFICE, state, now, speed=60) == at("2025-03-10 09:00:50")
    state, now = started("2025-03-10 10:00")
    assert plan(OFFICE, state, now, speed=60) == at("2025-03-10 10:00:50")


def test_speed_scales_the_away_threshold_of_a_wake_up() -> None:
    state = new_state(at("2025-03-10 09:00"))
    woken = after_wake(state, OFFICE, at("2025-03-10 09:10"), 10, 5, speed=60)
    assert woken.interval_anchor == at("2025-03-10 09:10")


@pytest.mark.parametrize("speed", [0, -1, math.nan, math.inf])
def test_a_speed_that_is_not_a_positive_number_is_refused(speed: float) -> None:
    state, now = started("2025-03-10 10:00")
    with pytest.raises(ValueError, match="speed"):
        plan(OFFICE, state, now, speed=speed)


# ----------------------------------------------------------------- the state and its stored form


def test_the_state_holds_aware_utc_instants_only() -> None:
    state = ScheduleState(datetime(2025, 3, 10, 10, 0, tzinfo=BERLIN))
    assert state.interval_anchor == datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    assert state.interval_anchor.tzinfo is UTC
    with pytest.raises(ValueError, match="interval_anchor"):
        ScheduleState(datetime(2025, 3, 10, 10, 0))
    with pytest.raises(ValueError, match="paused_until"):
        ScheduleState(at("2025-03-10 10:00"), paused_until=datetime(2025, 3, 10, 11, 0))
    with pytest.raises(ValueError, match="now"):
        plan(OFFICE, state, datetime(2025, 3, 10, 10, 0))


def test_a_start_restarts_the_interval_and_keeps_what_the_user_asked_for() -> None:
    now = at("2025-03-10 10:00")
    state = ScheduleState(
        at("2025-03-09 17:00"),
        snoozed_until=at("2025-03-10 10:05"),
        paused_until=at("2025-03-10 11:00"),
        last_prompt_at=at("2025-03-09 17:00"),
    )
    assert after_start(state, now) == ScheduleState(
        now, at("2025-03-10 10:05"), at("2025-03-10 11:00"), at("2025-03-09 17:00")
    )
    later = at("2025-03-10 12:00")
    assert after_start(state, later) == ScheduleState(later, last_prompt_at=at("2025-03-09 17:00"))


def test_the_state_round_trips_through_a_dict_of_strings() -> None:
    now = at("2025-03-10 10:00")
    state = ScheduleState(
        now, at("2025-03-10 10:10"), at("2025-03-11 09:00"), at("2025-03-10 09:50")
    )
    stored = state_to_dict(state)
    assert stored == {
        "interval_anchor": "2025-03-10T09:00:00+00:00",
        "snoozed_until": "2025-03-10T09:10:00+00:00",
        "paused_until": "2025-03-11T08:00:00+00:00",
        "last_prompt_at": "2025-03-10T08:50:00+00:00",
    }
    assert state_from_dict(stored, now) == state
    fresh = new_state(now)
    assert state_from_dict(state_to_dict(fresh), now + timedelta(hours=1)) == fresh


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "2025-03-10T09:00:00+00:00",
        [1, 2, 3],
        {},
        {"interval_anchor": 5},
        {"interval_anchor": "yesterday"},
        {"interval_anchor": "2025-03-10T09:00:00"},  # naive
        {"interval_anchor": "2099-01-01T00:00:00+00:00"},  # far away
        {"interval_anchor": "0001-01-01T00:00:00+01:00"},
        {"interval_anchor": "9999-12-31T23:59:59-01:00"},
        {1: 2, "snoozed_until": ["x"], "paused_until": {"a": 1}, "last_prompt_at": "\x00"},
    ],
)
def test_garbage_reads_back_as_a_fresh_state(garbage: object) -> None:
    now = at("2025-03-10 10:00")
    assert state_from_dict(garbage, now) == new_state(now)


def test_one_broken_value_does_not_cost_the_others() -> None:
    now = at("2025-03-10 10:00")
    stored = {"interval_anchor": "garbage", "paused_until": "2025-03-10T12:00:00+01:00"}
    assert state_from_dict(stored, now) == ScheduleState(now, paused_until=at("2025-03-10 12:00"))


def test_a_calendar_day_starts_at_local_midnight() -> None:
    calendar = Calendar.between(BERLIN, at("2025-03-10 00:00"), at("2025-03-13 00:00"))
    assert calendar.day_start(date(2025, 3, 11)) == at("2025-03-11 00:00")


def test_a_zone_without_dst_is_one_stretch() -> None:
    fixed = timezone(timedelta(hours=5, minutes=45))
    calendar = Calendar.between(fixed, at("2025-03-10 00:00"), at("2025-03-13 00:00"))
    assert len(calendar.stretches) == 1
    state = new_state(at("2025-03-10 08:00", fixed))
    assert next_prompt(OFFICE, state, state.interval_anchor, fixed) == at("2025-03-10 09:50", fixed)


# ----------------------------------------------------------------- late alarms


def test_a_fixed_time_reached_a_few_milliseconds_late_is_still_due() -> None:
    settings = reminders(fixed_times=(time(10, 30),))
    state = new_state(at("2025-03-10 10:00"))
    late = at("2025-03-10 10:30") + timedelta(milliseconds=5)
    assert plan(settings, state, late) == late


def test_a_fixed_time_reached_later_than_the_grace_is_not_due_any_more() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30),))
    state = new_state(at("2025-03-10 10:00"))
    stale = at("2025-03-10 10:30") + DUE_GRACE + timedelta(seconds=1)
    assert plan(settings, state, stale) == at("2025-03-11 10:30")


def test_a_fixed_time_just_before_the_app_started_does_not_ask_at_once() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30),))
    state, now = started("2025-03-10 10:31")
    assert plan(settings, state, now) == at("2025-03-11 10:30")


def test_a_late_fixed_time_inside_a_snooze_waits_for_the_snooze() -> None:
    settings = reminders(interval_minutes=240, fixed_times=(time(10, 30),))
    state = after_snooze(new_state(at("2025-03-10 09:00")), at("2025-03-10 10:25"), 10)
    late = at("2025-03-10 10:30") + timedelta(seconds=1)
    assert plan(settings, state, late) == at("2025-03-10 10:35")
