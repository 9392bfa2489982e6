"""Numbers written the way the guided window shows them; plain functions, easy to test."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stretchbreak.services.translate import tr as tr

if TYPE_CHECKING:
    from stretchbreak.core.exercise import Goal
    from stretchbreak.core.target import Target


def clock_time(seconds: float) -> str:
    """Elapsed time as m:ss (or h:mm:ss past an hour), never negative."""
    whole = max(0, math.floor(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def seconds_text(seconds: object) -> str:
    """A number of seconds (or a range of them) with its unit, e.g. "4 s" or "3–5 s"."""
    return tr("{seconds} s").format(seconds=seconds)


def goal_ranges(goal: Goal) -> str:
    """E.g. "2–4 sets × 6–10 reps · 3–5 s hold"; a default pause is called a pause."""
    hold = tr("pause") if goal.hold_is_default else tr("hold")
    return (
        f"{goal.sets} {tr('sets') if goal.sets.high > 1 else tr('set')} × "
        f"{goal.reps} {tr('reps')} · {seconds_text(goal.hold_seconds)} {hold}"
    )


def target_text(target: Target) -> str:
    """E.g. "2 sets × 8 reps · 4 s hold"."""
    return (
        f"{plural(target.sets, tr('set'), tr('sets'))} × "
        f"{plural(target.reps, tr('rep'), tr('reps'))} · "
        f"{seconds_text(target.hold_seconds)} {tr('hold')}"
    )


def waiting_line(reasons: Sequence[str]) -> str:
    """The tray's line while a break waits for ``reasons`` (``BusyReason`` values, the first
    named): a call outranks a presentation, which outranks do-not-disturb."""
    first = reasons[0] if reasons else ""
    if first == "fullscreen":
        return tr("Break waiting — you're presenting")
    if first == "do-not-disturb":
        return tr("Break waiting — do not disturb is on")
    return tr("Break waiting — you're in a call")
