"""Numbers written the way the guided window shows them; plain functions, easy to test."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from stretchbreak.core.exercise import Goal
    from stretchbreak.core.target import Target


def tr(text: str) -> str:
    """Translate; pyside6-lupdate files a plain ``tr("…")`` call under the empty context."""
    return QCoreApplication.translate("", text)


def clock_time(seconds: float) -> str:
    """Elapsed time as m:ss (or h:mm:ss past an hour), never negative."""
    whole = max(0, math.floor(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def goal_ranges(goal: Goal) -> str:
    """E.g. "2–4 sets × 6–10 reps · 3–5 s hold"; a default pause is called a pause."""
    hold = tr("pause") if goal.hold_is_default else tr("hold")
    return (
        f"{goal.sets} {tr('sets') if goal.sets.high > 1 else tr('set')} × "
        f"{goal.reps} {tr('reps')} · {goal.hold_seconds} s {hold}"
    )


def target_text(target: Target) -> str:
    """E.g. "2 sets × 8 reps · 4 s hold"."""
    return (
        f"{plural(target.sets, tr('set'), tr('sets'))} × "
        f"{plural(target.reps, tr('rep'), tr('reps'))} · {target.hold_seconds} s {tr('hold')}"
    )
