"""When the next break prompt is due: the pure policy behind the tray's alarm clock.

Every answer is a function of the reminder settings, a ``ScheduleState``, ``now`` (an aware
instant) and the user's zone. Nothing here reads a clock or keeps a timer, so the coordinator
re-plans after each outcome, settings change and wake-up simply by asking again, and a timer
that fires late or early does no harm. The rules, with their reasons, are in
``docs/schedule.md``. ``speed`` (the ``--speed`` option) divides the interval and every
threshold, never the working-hours clock, pauses or fixed times.

The state and its transitions live in ``schedule_state`` and the local calendar in
``schedule_days``; this module re-exports the state API, so callers import from here only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from stretchbreak.core.schedule_days import Calendar, Period
from stretchbreak.core.schedule_state import (
    ScheduleState,
    after_break_completed,
    after_missed,
    after_natural_break,
    after_skip,
    after_snooze,
    after_start,
    as_utc,
    new_state,
    pause,
    resume,
    scaled,
    state_from_dict,
    state_to_dict,
)
from stretchbreak.core.settings import ReminderSettings

__all__ = [
    "DUE_GRACE",
    "HORIZON",
    "LULL_MAX_WAIT",
    "MISSED_AFTER",
    "Activity",
    "ScheduleState",
    "Status",
    "after_break_completed",
    "after_clock_jump",
    "after_missed",
    "after_natural_break",
    "after_skip",
    "after_snooze",
    "after_start",
    "after_wake",
    "heads_up_at",
    "is_missed",
    "is_working_time",
    "missed_at",
    "natural_break_due",
    "new_state",
    "next_prompt",
    "pause",
    "pause_until_tomorrow",
    "resume",
    "should_show_now",
    "show_by",
    "state_from_dict",
    "state_to_dict",
    "status",
]

#: How far ahead the policy looks; nothing due in that time means "no prompt planned".
HORIZON = timedelta(days=14)
#: An unanswered prompt is recorded as missed and hidden after this (scaled).
MISSED_AFTER = timedelta(minutes=10)
#: A due prompt waits for a lull in typing, but never longer than this (scaled).
LULL_MAX_WAIT = timedelta(seconds=60)
#: An alarm always rings a little late (a busy machine, Qt's coarse timers, a short
#: suspend): a fixed time reached this much late is still due. Not scaled, like fixed times.
DUE_GRACE = timedelta(minutes=5)
#: Extra calendar around the window, so a working period is never cut where it matters.
_MARGIN = timedelta(days=2)


class Activity(StrEnum):
    """What the tray shows; "in_break" is the app's to know, a break is not the schedule's."""

    ACTIVE = "active"
    PAUSED = "paused"
    OUTSIDE_HOURS = "outside_hours"


@dataclass(frozen=True)
class Status:
    """What the tray, its tooltip and ``status --json`` show, taken at one "now" so they agree."""

    state: Activity
    next_prompt_at: datetime | None
    paused_until: datetime | None

    def to_dict(self) -> dict[str, str | None]:
        """The shape of ``stretchbreak status --json``."""
        return {
            "state": self.state.value,
            "next_prompt_at": _iso(self.next_prompt_at),
            "paused_until": _iso(self.paused_until),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _inside(periods: Sequence[Period], at: datetime) -> bool:
    return any(period.start <= at < period.end for period in periods)


def next_prompt(
    settings: ReminderSettings, state: ScheduleState, now: datetime, tz: tzinfo, speed: float = 1.0
) -> datetime | None:
    """The earliest due time at or after ``now`` inside working hours, or None when nothing
    is due within ``HORIZON``. A due time already passed (a late timer) is ``now``: one
    prompt, at once, and every outcome moves the state on, so it cannot repeat. For a fixed
    time "already passed" means up to ``DUE_GRACE`` ago: its own alarm never rings on the
    dot, and an interval's due time is kept by its anchor anyway."""
    now = as_utc(now, "now")
    interval = scaled(timedelta(minutes=settings.interval_minutes), speed)
    floor = max(now, state.snoozed_until or now, state.paused_until or now)
    if floor > now + HORIZON:
        return None
    calendar = Calendar.between(tz, now - interval - _MARGIN, now + HORIZON + _MARGIN)
    periods = calendar.working_periods(settings.working_hours)
    # An instant in the future can only come from a clock set back: count from now instead.
    anchor = min(state.interval_anchor, now)
    last = None if state.last_prompt_at is None else min(state.last_prompt_at, now)
    fixed = calendar.fixed_instants(settings.fixed_times)
    candidates = (
        _interval_due(periods, anchor, interval, floor),
        _snooze_due(periods, state, floor),
        _fixed_due(fixed, periods, _fixed_floor(state, now), last, interval / 2, floor),
    )
    due = min((at for at in candidates if at is not None), default=None)
    return due if due is not None and due <= now + HORIZON else None


def _interval_due(
    periods: Sequence[Period], anchor: datetime, interval: timedelta, floor: datetime
) -> datetime | None:
    """Counting starts at the anchor, or at the start of the working period when the anchor
    lies before it; a gap (lunch, evening, weekend) restarts the count, so a due time that
    would fall at or after a period's end moves to one interval into the next period."""
    for period in periods:
        if period.end <= floor:
            continue
        due = max(anchor, period.start) + interval
        if due < period.end:
            return max(due, floor)
    return None


def _snooze_due(
    periods: Sequence[Period], state: ScheduleState, floor: datetime
) -> datetime | None:
    """A snooze brings the prompt back when it ends (or when a pause over it ends), if that
    moment is working time; once it is due, it stays due until its working period ends. One
    ending outside working hours is dropped, like an interval falling into a gap."""
    if state.snoozed_until is None:
        return None
    back = max(state.snoozed_until, state.paused_until or state.snoozed_until)
    return next((floor for p in periods if p.start <= back < p.end and floor < p.end), None)


def _fixed_floor(state: ScheduleState, now: datetime) -> datetime:
    """The earliest fixed time that can still ask: one reached late by up to ``DUE_GRACE``,
    but none from before the interval started (the app's start, a break), nor one inside a
    snooze or pause, which the user asked for."""
    earliest = max(now - DUE_GRACE, min(state.interval_anchor, now))
    return max(earliest, state.snoozed_until or earliest, state.paused_until or earliest)


def _fixed_due(
    fixed: Sequence[datetime],
    periods: Sequence[Period],
    earliest: datetime,
    last: datetime | None,
    quiet: timedelta,
    floor: datetime,
) -> datetime | None:
    """Fixed times ask only inside working hours, and not within half an interval after the
    user last dealt with a break, so a fixed time never lands just after a break. One
    reached late is due at ``floor`` (now): the outcome moves ``last`` past it, so it asks
    once."""
    return next(
        (
            max(at, floor)
            for at in fixed
            if at >= earliest and (last is None or at >= last + quiet) and _inside(periods, at)
        ),
        None,
    )


def is_working_time(settings: ReminderSettings, at: datetime, tz: tzinfo) -> bool:
    at = as_utc(at)
    calendar = Calendar.between(tz, at - timedelta(days=1), at + timedelta(days=1))
    return _inside(calendar.working_periods(settings.working_hours), at)


def pause_until_tomorrow(
    settings: ReminderSettings, state: ScheduleState, now: datetime, tz: tzinfo
) -> ScheduleState:
    """Pause until the first working period that starts on a later local date than today's
    work began (so Friday evening runs to Monday morning, and a night shift to the next
    shift); without any working hours ahead, until the next local midnight."""
    now = as_utc(now, "now")
    calendar = Calendar.between(tz, now - _MARGIN, now + HORIZON + _MARGIN)
    periods = calendar.working_periods(settings.working_hours)
    today = now.astimezone(tz).date()
    current = next((period for period in periods if period.start <= now < period.end), None)
    work_day = today if current is None else min(today, current.start.astimezone(tz).date())
    until = next((p.start for p in periods if p.start.astimezone(tz).date() > work_day), None)
    return pause(state, until or calendar.day_start(today + timedelta(days=1)))


def after_wake(
    state: ScheduleState,
    settings: ReminderSettings,
    now: datetime,
    gap_seconds: float,
    away_minutes: int | None,
    speed: float = 1.0,
) -> ScheduleState:
    """Re-plan after a suspend of ``gap_seconds`` (wall time that passed while the monotonic
    clock stood still; without a boot-time clock a forward step of the wall clock looks the
    same, and is treated the same).

    A gap of at least the away time is a natural break that ends now: the interval restarts
    (the caller records it when ``natural_break_due(gap_seconds, …)`` says so). A shorter gap
    shifts the plan by the gap, like ``after_clock_jump``: time asleep is no working time,
    and nothing planned for the missing minutes fires in a burst. ``away_minutes`` is None
    when the user turned away detection off; then no gap is a break. ``settings`` is taken
    so the call looks like the other planning calls; the rule itself needs only the gap.
    """
    now = as_utc(now, "now")
    if natural_break_due(gap_seconds, away_minutes, speed):
        return after_natural_break(state, now)
    return after_clock_jump(state, now, gap_seconds)


def after_clock_jump(state: ScheduleState, now: datetime, jump_seconds: float) -> ScheduleState:
    """Re-plan after the wall clock stepped by ``jump_seconds`` (negative: set back; DST is
    no step, the state being UTC). Shifting the anchor and a snooze by the step keeps exactly
    the real time that was left, so a clock set back does not stall reminders and one set
    forward does not fire them early. ``paused_until`` stays: the user chose it on the wall
    clock. Instants are capped at ``now``, whatever the caller measured."""
    now = as_utc(now, "now")
    step = timedelta(seconds=jump_seconds)
    last = state.last_prompt_at
    return ScheduleState(
        interval_anchor=min(state.interval_anchor + step, now),
        snoozed_until=None if state.snoozed_until is None else state.snoozed_until + step,
        paused_until=state.paused_until,
        last_prompt_at=None if last is None else min(last + step, now),
    )


def natural_break_due(
    idle_seconds: float | None, away_minutes: int | None, speed: float = 1.0
) -> bool:
    """Away from the desk for the break length is a break. Unknown idle time (no backend)
    or away detection turned off (None) is never one: a guess would hide real prompts."""
    if idle_seconds is None or away_minutes is None:
        return False
    return idle_seconds >= scaled(timedelta(minutes=away_minutes), speed).total_seconds()


def heads_up_at(due: datetime, settings: ReminderSettings, speed: float = 1.0) -> datetime | None:
    """None when the heads-up is off. It may lie in the past (a due time clamped to now):
    then there is no time left for a warning and the app shows none."""
    if settings.heads_up_seconds == 0:
        return None
    return due - scaled(timedelta(seconds=settings.heads_up_seconds), speed)


def show_by(due: datetime, speed: float = 1.0, max_wait: timedelta = LULL_MAX_WAIT) -> datetime:
    """The latest moment a due prompt appears, typing or not: the app's timer for the wait."""
    return due + scaled(max_wait, speed)


def should_show_now(
    due: datetime,
    now: datetime,
    idle_seconds: float | None,
    lull_seconds: float,
    speed: float = 1.0,
    max_wait: timedelta = LULL_MAX_WAIT,
) -> bool:
    """A due prompt waits for a lull in typing so it does not land mid-word, but not for
    ever. Without an idle backend there is no lull to wait for, so it shows at once."""
    if now < due:
        return False
    if idle_seconds is None or now >= show_by(due, speed, max_wait):
        return True
    return idle_seconds >= scaled(timedelta(seconds=lull_seconds), speed).total_seconds()


def missed_at(shown_at: datetime, speed: float = 1.0) -> datetime:
    return shown_at + scaled(MISSED_AFTER, speed)


def is_missed(shown_at: datetime, now: datetime, speed: float = 1.0) -> bool:
    """Unanswered this long, the prompt is hidden and recorded as missed; pass ``shown_at``
    to ``after_missed`` so the schedule goes on from the prompt."""
    return now >= missed_at(shown_at, speed)


def status(
    settings: ReminderSettings, state: ScheduleState, now: datetime, tz: tzinfo, speed: float = 1.0
) -> Status:
    """A pause outranks working hours: "paused" is the thing the user must undo."""
    now = as_utc(now, "now")
    paused = state.paused_until
    if paused is not None and paused > now:
        activity = Activity.PAUSED
    else:
        paused = None
        working = is_working_time(settings, now, tz)
        activity = Activity.ACTIVE if working else Activity.OUTSIDE_HOURS
    return Status(activity, next_prompt(settings, state, now, tz, speed), paused)
