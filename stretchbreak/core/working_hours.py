"""Times of day and working hours as settings hold them: whole minutes, local time, per weekday.

Kept apart from the settings so the scheduler can use the same values without the file format.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import time

__all__ = [
    "WEEKDAYS",
    "TimeRange",
    "WorkingHours",
    "first_overlap",
    "format_clock_time",
    "parse_clock_time",
    "require_clock_time",
]

#: The weekday keys of ``[reminders.working_hours]``, Monday first as in ISO 8601.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = r"\s*(\d{1,2}):(\d{2})\s*"
_CLOCK_PATTERN = re.compile(_CLOCK, re.ASCII)
_RANGE_PATTERN = re.compile(f"{_CLOCK}-{_CLOCK}", re.ASCII)


def require_clock_time(value: object) -> None:
    """The file stores whole minutes in local time, so anything finer would not survive a save."""
    if not isinstance(value, time) or value.tzinfo is not None or value.second or value.microsecond:
        raise ValueError(f"{value!r} is not a whole-minute local time")


def parse_clock_time(text: str) -> time:
    """Reads ``"HH:MM"`` (24-hour; a one-digit hour and spaces around are forgiven)."""
    match = _CLOCK_PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not HH:MM")
    return _clock(match.group(1), match.group(2))


def _clock(hour: str, minute: str) -> time:
    return time(int(hour), int(minute))  # ValueError for 24:00 or 12:60


def format_clock_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@dataclass(frozen=True, order=True)
class TimeRange:
    """Part of a day, start included and end excluded, so 12:30-13:30 may follow 09:00-12:30.

    A range cannot cross midnight (``datetime.time`` has no 24:00): split it over two days.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        require_clock_time(self.start)
        require_clock_time(self.end)
        if not self.start < self.end:
            raise ValueError(f"{self} must start before it ends")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """Reads ``"HH:MM-HH:MM"``; raises ValueError for anything else."""
        match = _RANGE_PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not HH:MM-HH:MM")
        start = _clock(match.group(1), match.group(2))
        return cls(start, _clock(match.group(3), match.group(4)))

    def __str__(self) -> str:
        return f"{format_clock_time(self.start)}-{format_clock_time(self.end)}"


def first_overlap(ranges: tuple[TimeRange, ...]) -> tuple[int, int] | None:
    """Positions in ``ranges`` of the first two (by start) that share a minute, else None."""
    order = sorted(range(len(ranges)), key=lambda index: ranges[index])
    for earlier, later in itertools.pairwise(order):
        if ranges[later].start < ranges[earlier].end:
            return earlier, later
    return None


_OFFICE_DAY = (TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(17, 30)))


@dataclass(frozen=True)
class WorkingHours(Mapping[str, tuple[TimeRange, ...]]):
    """One field per weekday, so the value stays frozen and hashable; reads like a mapping
    by day key. Each day's ranges are kept sorted; overlapping ones raise ValueError."""

    mon: tuple[TimeRange, ...] = _OFFICE_DAY
    tue: tuple[TimeRange, ...] = _OFFICE_DAY
    wed: tuple[TimeRange, ...] = _OFFICE_DAY
    thu: tuple[TimeRange, ...] = _OFFICE_DAY
    fri: tuple[TimeRange, ...] = _OFFICE_DAY
    sat: tuple[TimeRange, ...] = ()
    sun: tuple[TimeRange, ...] = ()

    def __post_init__(self) -> None:
        for day in WEEKDAYS:
            ranges = tuple(getattr(self, day))
            if not all(isinstance(item, TimeRange) for item in ranges):
                raise ValueError(f"{day} must hold TimeRange values, not {ranges!r}")
            overlap = first_overlap(ranges)
            if overlap is not None:
                first, second = (ranges[index] for index in overlap)
                raise ValueError(f"{day}: {second} overlaps {first}")
            object.__setattr__(self, day, tuple(sorted(ranges)))

    @classmethod
    def from_mapping(cls, days: Mapping[str, tuple[TimeRange, ...]]) -> WorkingHours:
        """Every weekday must be named, so a forgotten day cannot silently become a day off."""
        if set(days) != set(WEEKDAYS):
            raise ValueError(f"working hours need exactly the days {' '.join(WEEKDAYS)}")
        return cls(*(days[day] for day in WEEKDAYS))

    def day(self, name: str) -> tuple[TimeRange, ...]:
        return self[name]

    def __getitem__(self, name: str) -> tuple[TimeRange, ...]:
        if name not in WEEKDAYS:
            raise KeyError(name)
        ranges: tuple[TimeRange, ...] = getattr(self, name)
        return ranges

    def __iter__(self) -> Iterator[str]:
        return iter(WEEKDAYS)

    def __len__(self) -> int:
        return len(WEEKDAYS)
