"""What the welcome window states about the schedule: when work begins, the hours in short.

Pure and clock-free (``now`` is a parameter) so the welcome's sentences can be tested on any
day and time zone without a window.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from stretchbreak.core.schedule_days import Calendar
from stretchbreak.core.working_hours import WEEKDAYS, TimeRange

__all__ = ["DayGroup", "day_groups", "next_work_start"]

#: Working hours by weekday key, as ``Settings`` holds them.
Hours = Mapping[str, tuple[TimeRange, ...]]
#: How far ahead to look for the start of working hours (as far as the schedule plans).
_AHEAD = timedelta(days=14)


class DayGroup(NamedTuple):
    """Consecutive weekdays with the same ranges: ("mon", "fri", ranges) for Mon–Fri."""

    first: str
    last: str
    ranges: tuple[TimeRange, ...]


def day_groups(hours: Hours) -> tuple[DayGroup, ...]:
    """The week in as few lines as it takes; days off are left out."""
    groups: list[DayGroup] = []
    for day in WEEKDAYS:
        ranges = hours[day]
        if not ranges:
            continue
        last = groups[-1] if groups else None
        follows = last is not None and WEEKDAYS.index(last.last) == WEEKDAYS.index(day) - 1
        if last is not None and follows and last.ranges == ranges:
            groups[-1] = last._replace(last=day)
        else:
            groups.append(DayGroup(day, day, ranges))
    return tuple(groups)


def next_work_start(hours: Hours, now: datetime, tz: tzinfo) -> datetime | None:
    """The start of the next working period after ``now`` (None: no working hours ahead)."""
    calendar = Calendar.between(tz, now - timedelta(days=1), now + _AHEAD)
    starts = (period.start for period in calendar.working_periods(hours))
    return next((start for start in starts if start > now), None)
