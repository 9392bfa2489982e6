"""Invariants of the reminder policy over random settings, states, zones and moments.

"Inside working hours" is checked against the plain definition (the local wall time on its
local date lies in one of that weekday's ranges), not against the calendar code, and the
moments are drawn often from the days around real DST changes, where that code could slip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from stretchbreak.core.schedule import (
    HORIZON,
    ScheduleState,
    after_break_completed,
    after_missed,
    after_natural_break,
    after_skip,
    after_wake,
    is_working_time,
    natural_break_due,
    next_prompt,
    state_from_dict,
    state_to_dict,
)
from stretchbreak.core.schedule_days import Calendar
from stretchbreak.core.settings import ReminderSettings
from stretchbreak.core.working_hours import WEEKDAYS, TimeRange, WorkingHours

ZONES: tuple[tzinfo, ...] = (
    UTC,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),  # a 30-minute DST shift
    ZoneInfo("America/Santiago"),  # DST changes at midnight
    ZoneInfo("America/St_Johns"),  # a half-hour offset
)
_END_OF_DAY = time(23, 59)


def _changes(tz: tzinfo) -> tuple[datetime, ...]:
    """Roughly where the zone changes its offset in 2024-2026 (to the nearest 6 hours)."""
    found = []
    probe = datetime(2024, 1, 1, tzinfo=UTC)
    offset = probe.astimezone(tz).utcoffset()
    while probe.year < 2027:
        probe += timedelta(hours=6)
        if (current := probe.astimezone(tz).utcoffset()) != offset:
            found.append(probe)
            offset = current
    return tuple(found)


CHANGES = {tz: _changes(tz) for tz in ZONES}


def works(settings: ReminderSettings, instant: datetime, tz: tzinfo) -> bool:
    """The definition: the wall time on its own local date lies in one of the day's ranges."""
    local = instant.astimezone(tz)
    clock = local.time()
    return any(
        part.start <= clock and (clock < part.end or part.end == _END_OF_DAY)
        for part in settings.working_hours[WEEKDAYS[local.weekday()]]
    )


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _ranges(bounds: list[int]) -> tuple[TimeRange, ...]:
    ordered = sorted(bounds)
    return tuple(
        TimeRange(_clock(ordered[i]), _clock(ordered[i + 1])) for i in range(0, len(ordered) - 1, 2)
    )


PRESETS = tuple(
    tuple(TimeRange.parse(text) for text in day)
    for day in (
        (),
        ("09:00-12:30", "13:30-17:30"),
        ("00:00-23:59",),
        ("22:00-23:59",),
        ("00:00-06:00", "22:00-23:59"),
        ("01:30-03:30",),
        ("02:30-03:30",),
        ("09:00-12:00", "12:00-13:00"),
    )
)
day_hours = st.one_of(
    st.lists(st.integers(0, 1439), unique=True, max_size=6).map(_ranges),
    st.sampled_from(PRESETS),
)
settings_values = st.builds(
    ReminderSettings,
    interval_minutes=st.integers(5, 240),
    fixed_times=st.lists(st.integers(0, 1439).map(_clock), max_size=3).map(tuple),
    heads_up_seconds=st.just(60),
    lull_seconds=st.just(3),
    working_hours=st.lists(day_hours, min_size=7, max_size=7).map(lambda d: WorkingHours(*d)),
)
speeds = st.sampled_from([0.5, 1.0, 2.0, 60.0])
plain_moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@st.composite
def zoned_moments(draw: st.DrawFn) -> tuple[tzinfo, datetime]:
    tz = draw(st.sampled_from(ZONES))
    near_a_change = draw(st.booleans())
    if CHANGES[tz] and near_a_change:
        near = draw(st.sampled_from(CHANGES[tz]))
        return tz, near + draw(st.timedeltas(-timedelta(days=2), timedelta(days=2)))
    return tz, draw(plain_moments)


def near(now: datetime, before: timedelta, after: timedelta) -> st.SearchStrategy[datetime]:
    return st.timedeltas(-before, after).map(lambda shift: now + shift)


@st.composite
def states(draw: st.DrawFn, now: datetime, past_only: bool = False) -> ScheduleState:
    """Anchors mostly in the past; a little future stands for a clock set back since."""
    ahead = timedelta(0) if past_only else timedelta(hours=2)
    hour, days = timedelta(hours=1), timedelta(days=3)
    return ScheduleState(
        interval_anchor=draw(near(now, days, ahead)),
        snoozed_until=draw(st.none() | near(now, hour, 3 * hour)),
        paused_until=draw(st.none() | near(now, hour, timedelta(days=20))),
        last_prompt_at=draw(st.none() | near(now, days, ahead)),
    )


@given(settings_values, zoned_moments(), st.data(), speeds)
def test_next_prompt_is_never_early_and_always_inside_working_hours(
    settings: ReminderSettings, moment: tuple[tzinfo, datetime], data: st.DataObject, speed: float
) -> None:
    tz, now = moment
    state = data.draw(states(now))
    due = next_prompt(settings, state, now, tz, speed)
    if due is None:
        return
    assert now <= due <= now + HORIZON
    assert state.snoozed_until is None or due >= state.snoozed_until
    assert state.paused_until is None or due >= state.paused_until
    assert works(settings, due, tz), due.astimezone(tz)


@given(settings_values, zoned_moments(), st.data(), speeds)
def test_asking_again_before_the_due_time_gives_the_same_answer(
    settings: ReminderSettings, moment: tuple[tzinfo, datetime], data: st.DataObject, speed: float
) -> None:
    """A timer that wakes early, or a re-plan with nothing new, changes nothing."""
    tz, now = moment
    state = data.draw(states(now, past_only=True))
    due = next_prompt(settings, state, now, tz, speed)
    if due is None:
        return
    later = now + (due - now) * data.draw(st.floats(0, 1))
    assert next_prompt(settings, state, later, tz, speed) == due


@given(settings_values, zoned_moments(), st.data())
def test_working_time_follows_the_local_wall_clock(
    settings: ReminderSettings, moment: tuple[tzinfo, datetime], data: st.DataObject
) -> None:
    tz, now = moment
    for _ in range(10):
        instant = data.draw(near(now, timedelta(days=1), timedelta(days=1)))
        assert is_working_time(settings, instant, tz) == works(settings, instant, tz)


@given(settings_values, zoned_moments())
def test_each_fixed_time_asks_at_most_once_a_day_at_its_wall_time(
    settings: ReminderSettings, moment: tuple[tzinfo, datetime]
) -> None:
    tz, now = moment
    instants = Calendar.between(tz, now, now + timedelta(days=3)).fixed_instants(
        settings.fixed_times
    )
    seen = [(at.astimezone(tz).date(), at.astimezone(tz).time()) for at in instants]
    assert len(seen) == len(set(seen))
    assert all(clock in settings.fixed_times for _, clock in seen)
    assert all(now <= at < now + timedelta(days=3) for at in instants)


OUTCOMES: tuple[Callable[[ScheduleState, datetime], ScheduleState], ...] = (
    after_missed,
    after_skip,
    after_break_completed,
    after_natural_break,
)
gaps = st.floats(-7200, 3 * 86400, allow_nan=False)
away = st.none() | st.integers(1, 120)


@given(settings_values, zoned_moments(), st.data(), gaps, away, speeds)
def test_a_wake_up_never_plans_into_the_past_and_a_natural_break_waits(
    settings: ReminderSettings,
    moment: tuple[tzinfo, datetime],
    data: st.DataObject,
    gap: float,
    away_minutes: int | None,
    speed: float,
) -> None:
    tz, now = moment
    woken = after_wake(data.draw(states(now)), settings, now, gap, away_minutes, speed)
    due = next_prompt(settings, woken, now, tz, speed)
    assert due is None or due >= now
    if natural_break_due(gap, away_minutes, speed) and due is not None:
        assert due >= now + timedelta(minutes=settings.interval_minutes) / speed / 2


@given(settings_values, zoned_moments(), st.data(), gaps, away, speeds)
def test_one_wake_up_gives_at_most_one_prompt(
    settings: ReminderSettings,
    moment: tuple[tzinfo, datetime],
    data: st.DataObject,
    gap: float,
    away_minutes: int | None,
    speed: float,
) -> None:
    """Whatever becomes of the first prompt after a wake-up, the next one keeps its distance."""
    tz, now = moment
    woken = after_wake(data.draw(states(now)), settings, now, gap, away_minutes, speed)
    first = next_prompt(settings, woken, now, tz, speed)
    if first is None:
        return
    outcome = data.draw(st.sampled_from(OUTCOMES))
    second = next_prompt(settings, outcome(woken, first), first, tz, speed)
    quiet = timedelta(minutes=settings.interval_minutes) / speed / 2
    assert second is None or second >= first + quiet


@given(plain_moments, st.data())
def test_the_stored_form_round_trips(now: datetime, data: st.DataObject) -> None:
    state = data.draw(states(now))
    assert state_from_dict(state_to_dict(state), now) == state


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=10,
)
field_names = st.sampled_from(
    ["interval_anchor", "snoozed_until", "paused_until", "last_prompt_at"]
)
iso_like = st.datetimes(timezones=st.none() | st.just(UTC)).map(datetime.isoformat)


@given(
    json_values | st.dictionaries(field_names, json_values | iso_like),
    plain_moments,
)
def test_reading_anything_back_gives_a_usable_state(data: object, now: datetime) -> None:
    state = state_from_dict(data, now)
    assert isinstance(state, ScheduleState)
    assert state.interval_anchor.tzinfo is UTC
