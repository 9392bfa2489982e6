"""What the reminder schedule remembers, how each prompt outcome changes it, and its stored form.

The state is a handful of aware UTC instants, never a countdown: a countdown would be wrong
after every suspend, clock change and restart, while an instant only needs comparing with
"now". Snooze and pause must survive a restart, so the state round-trips through a plain
dict of ISO-8601 strings, and reading one back never raises: a bad or stale value simply
falls back to what a fresh start would have.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "ScheduleState",
    "after_break_completed",
    "after_missed",
    "after_natural_break",
    "after_skip",
    "after_snooze",
    "after_start",
    "as_utc",
    "new_state",
    "pause",
    "resume",
    "scaled",
    "state_from_dict",
    "state_to_dict",
]

_FIELDS = ("interval_anchor", "snoozed_until", "paused_until", "last_prompt_at")
#: A stored instant further than this from now is garbage or stale, never a real plan.
_PLAUSIBLE = timedelta(days=366)


def as_utc(value: object, name: str = "time") -> datetime:
    """Refuses naive datetimes: a wall time without a zone would move on every restart."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {value!r}")
    return value.astimezone(UTC)


def scaled(duration: timedelta, speed: float) -> timedelta:
    """A duration under ``--speed``; the working-hours clock is never scaled, so never call
    this for working hours, pauses or fixed times."""
    if not (math.isfinite(speed) and speed > 0):
        raise ValueError(f"speed must be a positive number, not {speed!r}")
    return duration / speed


@dataclass(frozen=True)
class ScheduleState:
    """The policy's memory; every field an aware UTC instant (others are converted).

    ``interval_anchor`` is when the current interval started: app start, the end of a
    completed or natural break, or the last prompt answered with skip or left to be missed.
    ``last_prompt_at`` is the last moment the user dealt with a break (answered a prompt,
    took a break); fixed times close after it are left out. The outcomes themselves go to
    the prompts table, so the policy does not keep them.
    """

    interval_anchor: datetime
    snoozed_until: datetime | None = None
    paused_until: datetime | None = None
    last_prompt_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in _FIELDS:
            value = getattr(self, name)
            if value is not None or name == "interval_anchor":
                object.__setattr__(self, name, as_utc(value, name))


def new_state(now: datetime) -> ScheduleState:
    return ScheduleState(interval_anchor=now)


def after_start(state: ScheduleState, now: datetime) -> ScheduleState:
    """The first prompt after a start comes one interval later, whatever was stored; a snooze
    or pause still running is kept, because the user asked for it."""
    now = as_utc(now)
    return ScheduleState(
        interval_anchor=now,
        snoozed_until=_if_later(state.snoozed_until, now),
        paused_until=_if_later(state.paused_until, now),
        last_prompt_at=state.last_prompt_at,
    )


def _if_later(value: datetime | None, now: datetime) -> datetime | None:
    return value if value is not None and value > now else None


def _restart(state: ScheduleState, at: datetime) -> ScheduleState:
    """The interval starts again at ``at``; a snooze is answered by whatever happened."""
    return dataclasses.replace(state, interval_anchor=at, snoozed_until=None, last_prompt_at=at)


def after_break_completed(state: ScheduleState, at: datetime) -> ScheduleState:
    """``at`` is when the break ended. A manual break counts as the scheduled one, so the
    interval restarts just the same; a pause stays, because a break is not a resume."""
    return _restart(state, at)


def after_skip(state: ScheduleState, at: datetime) -> ScheduleState:
    """Skip means "not this one": ask again one interval later, not at once."""
    return _restart(state, at)


def after_missed(state: ScheduleState, at: datetime) -> ScheduleState:
    """``at`` is when the unanswered prompt was shown; the schedule goes on from there."""
    return _restart(state, at)


def after_natural_break(state: ScheduleState, at: datetime) -> ScheduleState:
    """``at`` is when the user came back (input again, or the wake-up): time away was the
    break, so the interval counts from the return."""
    return _restart(state, at)


def after_snooze(
    state: ScheduleState, at: datetime, minutes: float, speed: float = 1.0
) -> ScheduleState:
    """The prompt comes back at ``at + minutes`` (scaled by ``speed``) if that is working
    time; the interval is not restarted, because no break happened."""
    if not minutes > 0:
        raise ValueError(f"a snooze must last some minutes, not {minutes!r}")
    until = as_utc(at) + scaled(timedelta(minutes=minutes), speed)
    return dataclasses.replace(state, snoozed_until=until, last_prompt_at=at)


def pause(state: ScheduleState, until: datetime) -> ScheduleState:
    """No prompt before ``until``, a wall-clock instant the user chose (never scaled). A
    running snooze is dropped: the pause answers it."""
    return dataclasses.replace(state, paused_until=until, snoozed_until=None)


def resume(state: ScheduleState) -> ScheduleState:
    return dataclasses.replace(state, paused_until=None)


def state_to_dict(state: ScheduleState) -> dict[str, str | None]:
    """ISO-8601 UTC strings, ``None`` for an unset field: plain JSON or TOML material."""
    return {
        name: None if (value := getattr(state, name)) is None else value.isoformat()
        for name in _FIELDS
    }


def state_from_dict(data: object, now: datetime) -> ScheduleState:
    """Anything at all in, a usable state out. Each field that is missing, unreadable, naive
    or more than a year away from ``now`` falls back alone (the anchor to ``now``, the rest
    to unset), so one broken value does not cost the user a pause they asked for."""
    now = as_utc(now)
    stored: Mapping[object, object] = data if isinstance(data, Mapping) else {}
    values = {name: _read_instant(stored.get(name), now) for name in _FIELDS}
    anchor = values.pop("interval_anchor") or now
    return ScheduleState(interval_anchor=anchor, **values)


def _read_instant(value: object, now: datetime) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        instant = datetime.fromisoformat(value)
        if instant.utcoffset() is None or abs(instant - now) > _PLAUSIBLE:
            return None
        return instant.astimezone(UTC)
    except ValueError:
        return None
