"""The welcome's facts: the week in short and when working hours begin next."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from stretchbreak.core.welcome_facts import DayGroup, day_groups, next_work_start
from stretchbreak.core.working_hours import TimeRange, WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
MORNING, AFTERNOON = TimeRange.parse("09:00-12:30"), TimeRange.parse("13:30-17:30")


def test_the_default_week_is_one_line() -> None:
    assert day_groups(WorkingHours()) == (DayGroup("mon", "fri", (MORNING, AFTERNOON)),)


def test_days_with_other_hours_or_a_gap_start_a_new_line() -> None:
    short = (TimeRange.parse("09:00-13:00"),)
    hours = WorkingHours(short, short, (), short, (MORNING,), (), ())
    assert day_groups(hours) == (
        DayGroup("mon", "tue", short),
        DayGroup("thu", "thu", short),
        DayGroup("fri", "fri", (MORNING,)),
    )


def test_on_a_friday_evening_work_begins_on_monday_morning() -> None:
    friday_evening = datetime(2026, 12, 4, 19, 0, tzinfo=BERLIN)
    start = next_work_start(WorkingHours(), friday_evening, BERLIN)
    assert start == datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)


def test_during_the_lunch_gap_work_begins_again_after_lunch() -> None:
    lunch = datetime(2026, 12, 7, 12, 45, tzinfo=BERLIN).astimezone(UTC)
    assert next_work_start(WorkingHours(), lunch, BERLIN) == datetime(
        2026, 12, 7, 13, 30, tzinfo=BERLIN
    )


def test_without_any_working_hours_there_is_no_start() -> None:
    none = WorkingHours((), (), (), (), (), (), ())
    assert day_groups(none) == ()
    assert next_work_start(none, datetime(2026, 12, 7, 8, 0, tzinfo=UTC), BERLIN) is None
