"""The local calendar laid onto UTC: working hours and fixed times as real instants.

This is where daylight saving time lives, and only here. Everything the schedule remembers is
an aware UTC instant, so a DST change or a zone change moves nothing it stores; only working
hours and fixed times are local wall-clock times, and they are turned into instants for the
local date in question. The timeline is cut into stretches that each have one UTC offset; in
a stretch, local wall time is simply UTC plus that offset, which makes the rule exact:

* an instant is **working time** when its local wall time, on its own local date, lies inside
  one of that weekday's ranges. So on a spring-forward day the hour the clock skips is no
  working time, and on a fall-back day the hour the clock shows twice is working time twice;
* a range ending at ``23:59`` runs to the end of its day, because the settings file has no
  ``24:00`` and tells the user to write ``23:59`` instead;
* working time without a gap forms one ``Period``: touching ranges, a range running into the
  next day's ``00:00`` range, and the two halves of a range a DST change cuts all join up.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from stretchbreak.core.working_hours import WEEKDAYS, TimeRange

__all__ = ["Calendar", "Period"]

#: How often the zone's offset is sampled. No real zone changes its offset twice within three
#: hours, and a change between two samples is then found to the second by bisection.
_SAMPLE = timedelta(hours=3)
_END_OF_DAY = time(23, 59)


class Period(NamedTuple):
    """A run of working time without a gap: aware UTC, start included, end excluded."""

    start: datetime
    end: datetime


class _Stretch(NamedTuple):
    """Part of the timeline with one UTC offset, so that its local wall time is UTC + offset."""

    start: datetime
    end: datetime
    offset: timedelta

    def local_days(self) -> Iterator[date]:
        """Every local date the stretch touches; asking about one more day only costs time."""
        day = (self.start + self.offset).date()
        last = (self.end + self.offset).date()
        while day <= last:
            yield day
            day += timedelta(days=1)

    def instant(self, day: date, moment: time) -> datetime:
        """Where this stretch's offset puts a wall time; the caller checks it lies inside."""
        return datetime.combine(day, moment, UTC) - self.offset


def _offset(tz: tzinfo, at: datetime) -> timedelta:
    return at.astimezone(tz).utcoffset() or timedelta(0)


def _at_second(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _first_change(tz: tzinfo, before: datetime, after: datetime, offset: timedelta) -> datetime:
    """The first whole second with a new offset; zones change theirs on whole seconds."""
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(tz, _at_second(middle)) == offset:
            low = middle
        else:
            high = middle
    return _at_second(high)


@dataclass(frozen=True)
class Calendar:
    """One zone's offsets over a window of time, built once and asked several questions."""

    stretches: tuple[_Stretch, ...]

    @classmethod
    def between(cls, tz: tzinfo, start: datetime, end: datetime) -> Calendar:
        stretches: list[_Stretch] = []
        begin, offset = start, _offset(tz, start)
        probe = start
        while probe < end:
            step = min(probe + _SAMPLE, end)
            if _offset(tz, step) != offset:
                change = _first_change(tz, probe, step, offset)
                stretches.append(_Stretch(begin, change, offset))
                begin, offset = change, _offset(tz, change)
            probe = step
        stretches.append(_Stretch(begin, end, offset))
        return cls(tuple(stretches))

    def working_periods(self, hours: Mapping[str, tuple[TimeRange, ...]]) -> tuple[Period, ...]:
        """The window's working time, in order; periods are cut off at the window's edges."""
        pieces: list[Period] = []
        for stretch in self.stretches:
            for day in stretch.local_days():
                for part in hours[WEEKDAYS[day.weekday()]]:
                    start = max(stretch.instant(day, part.start), stretch.start)
                    end = min(_range_end(stretch, day, part), stretch.end)
                    if start < end:
                        pieces.append(Period(start, end))
        merged: list[Period] = []
        for piece in sorted(pieces):
            if merged and piece.start <= merged[-1].end:
                merged[-1] = Period(merged[-1].start, piece.end)
            else:
                merged.append(piece)
        return tuple(merged)

    def fixed_instants(self, moments: tuple[time, ...]) -> tuple[datetime, ...]:
        """Each local time of day on each date, in order. A time the clock skips (spring
        forward) has no instant that day; one it shows twice (fall back) counts the first time,
        so the user is asked once."""
        found: dict[tuple[date, time], datetime] = {}
        for stretch in self.stretches:
            for day in stretch.local_days():
                for moment in moments:
                    at = stretch.instant(day, moment)
                    if stretch.start <= at < stretch.end:
                        found.setdefault((day, moment), at)
        return tuple(sorted(found.values()))

    def day_start(self, day: date) -> datetime:
        """The first instant of a local date, even where the clock skips midnight itself.

        Within a stretch local time only grows, so the first instant there showing ``day`` or
        later is the later of the stretch's start and that midnight; the window must reach it.
        """
        midnight = time()
        return next(
            first
            for stretch in self.stretches
            if (first := max(stretch.start, stretch.instant(day, midnight))) < stretch.end
        )


def _range_end(stretch: _Stretch, day: date, part: TimeRange) -> datetime:
    if part.end == _END_OF_DAY:
        return stretch.instant(day + timedelta(days=1), time())
    return stretch.instant(day, part.end)
