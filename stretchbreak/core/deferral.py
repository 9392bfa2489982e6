"""Whether a due break may be shown now, or waits because the user is in a call or presenting.

A break that falls due while the microphone or camera is in use, a window is fullscreen or
do-not-disturb is on is *deferred*, never dropped: it waits, and once the last busy signal
has ended it comes after a grace (so the user can say goodbye), as one prompt however long
the call lasted. A call longer than the limit ends the wait with one quiet notification
instead of a prompt on top of the call.

Pure: the caller reads the signals and passes them in with ``now``; this module decides.
Every instant is wall-clock time (UTC), like the due times it works with.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum, StrEnum

from stretchbreak.core.schedule_state import scaled
from stretchbreak.core.settings import DeferSettings

__all__ = [
    "BusyReason",
    "Deferral",
    "Verdict",
    "after_clock_jump",
    "after_suspend",
    "consult",
    "next_check",
    "ordered",
    "primary_reason",
    "watched",
]


class BusyReason(StrEnum):
    """Why a break waits; the values are what the log and ``status --json`` say."""

    MICROPHONE = "microphone"
    CAMERA = "camera"
    FULLSCREEN = "fullscreen"
    DO_NOT_DISTURB = "do-not-disturb"


#: The order in which one reason is named when several hold at once (a call before a screen).
_PRIORITY = tuple(BusyReason)


def watched(settings: DeferSettings) -> frozenset[BusyReason]:
    """The signals the user wants to count; an empty set turns deferral off."""
    flags = (settings.microphone, settings.camera, settings.fullscreen, settings.do_not_disturb)
    return frozenset(reason for reason, on in zip(_PRIORITY, flags, strict=True) if on)


def _grace(settings: DeferSettings, speed: float) -> timedelta:
    return scaled(timedelta(minutes=settings.grace_minutes), speed)


def _limit(settings: DeferSettings, speed: float) -> timedelta:
    return scaled(timedelta(hours=settings.max_hours), speed)


@dataclass(frozen=True)
class Deferral:
    """One due break waiting. ``reasons`` are the last signals seen busy (kept through the
    grace, so the tray can still say why); ``calm_since`` is when the last one ended."""

    since: datetime
    reasons: frozenset[BusyReason]
    calm_since: datetime | None = None


class Verdict(Enum):
    """What the caller does with a due break now."""

    #: Not busy (any more): go on as usual, lull in typing included.
    GO = "go"
    #: Busy just now: record the break as deferred (once) and keep it waiting.
    DEFER = "defer"
    #: Still busy, or in the grace after: keep waiting, look again at ``next_check``.
    WAIT = "wait"
    #: Waited longer than the limit: one quiet notification, no prompt.
    GIVE_UP = "give_up"


def consult(
    deferral: Deferral | None,
    busy: frozenset[BusyReason],
    now: datetime,
    settings: DeferSettings,
    speed: float = 1.0,
) -> tuple[Deferral | None, Verdict]:
    """The next state and what to do, given the signals that are busy ``now``.

    Signals the settings do not watch are ignored, so turning one off ends its wait at once.
    """
    busy = busy & watched(settings)
    if deferral is None:
        if not busy:
            return None, Verdict.GO
        return Deferral(since=now, reasons=busy), Verdict.DEFER
    if now - deferral.since >= _limit(settings, speed):
        return None, Verdict.GIVE_UP
    if busy:
        return replace(deferral, reasons=busy, calm_since=None), Verdict.WAIT
    calm = now if deferral.calm_since is None else deferral.calm_since
    deferral = replace(deferral, calm_since=calm)
    if now >= calm + _grace(settings, speed):
        return None, Verdict.GO
    return deferral, Verdict.WAIT


def next_check(
    deferral: Deferral, now: datetime, poll: timedelta, settings: DeferSettings, speed: float = 1.0
) -> datetime:
    """When to look again: the next poll, the end of the grace or the limit, whichever first."""
    moments = [now + poll, deferral.since + _limit(settings, speed)]
    if deferral.calm_since is not None:
        moments.append(deferral.calm_since + _grace(settings, speed))
    return max(now, min(moments))


def after_clock_jump(deferral: Deferral | None, now: datetime, seconds: float) -> Deferral | None:
    """The wall clock was set: the wait keeps the real time it has already lasted."""
    if deferral is None:
        return None
    return _shifted(deferral, timedelta(seconds=seconds), now)


def after_suspend(
    deferral: Deferral | None, gap_seconds: float, natural_break: bool
) -> Deferral | None:
    """A suspend long enough to be a break ends the wait (the break happened); a shorter one
    does not count as call time, so the limit and the grace measure time awake."""
    if deferral is None or natural_break:
        return None
    return _shifted(deferral, timedelta(seconds=gap_seconds), None)


def _shifted(deferral: Deferral, step: timedelta, now: datetime | None) -> Deferral:
    def move(moment: datetime) -> datetime:
        moved = moment + step
        return moved if now is None else min(moved, now)

    calm = deferral.calm_since
    return replace(
        deferral, since=move(deferral.since), calm_since=None if calm is None else move(calm)
    )


def primary_reason(reasons: frozenset[BusyReason]) -> BusyReason | None:
    """The one reason the log names when several signals overlap."""
    return next((reason for reason in _PRIORITY if reason in reasons), None)


def ordered(reasons: frozenset[BusyReason]) -> list[str]:
    """The reasons in a stable order, as ``status --json`` lists them."""
    return [reason.value for reason in _PRIORITY if reason in reasons]
