"""What the tray and the prompt say, computed from the app's state: presentation decisions
kept out of the composition root, which only passes the state in.

Loaded at start (the tray's first status). What the prompt says (``PromptInfo``) is defined
here; the prompt window's own module is imported only when a prompt is shown, so an idle tray
never holds its code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from stretchbreak.core.schedule import Activity, Status
from stretchbreak.core.target import estimated_seconds
from stretchbreak.ui.text import target_text, waiting_line
from stretchbreak.ui.tray import TrayState, TrayStatus
from stretchbreak.ui.tray_line import tray_line

if TYPE_CHECKING:
    from stretchbreak.core.exercise import Exercise
    from stretchbreak.core.settings import Settings
    from stretchbreak.core.target import Target


@dataclass(frozen=True)
class PromptInfo:
    """What the prompt says: the goal, its target in words, and about how long it takes."""

    goal_name: str
    target: str
    minutes: int


def tray_status(
    status: Status, now: datetime, zone: tzinfo, waiting: Sequence[str], due: bool
) -> TrayStatus:
    """The tray's icon state and line: paused, waiting for a call to end, due, off hours or
    active, in that order of precedence."""
    line = waiting_line(waiting) if waiting else tray_line(status, now, zone)
    if status.state is Activity.PAUSED:
        state = TrayState.PAUSED
    elif waiting:
        state = TrayState.WAITING
    elif due:
        state = TrayState.DUE
    elif status.state is Activity.OUTSIDE_HOURS:
        state = TrayState.OFF_HOURS
    else:
        state = TrayState.ACTIVE
    return TrayStatus(state, line, status.state is Activity.PAUSED)


def prompt_info(exercise: Exercise, settings: Settings, target: Target) -> PromptInfo:
    """The prompt's goal, its suggested target in words, and about how many minutes it takes
    (movement, setup cues and rests included, rounded up)."""
    goal = exercise.goal(settings.breaks.goal)
    tempo = exercise.tempo
    seconds = estimated_seconds(
        target,
        tempo.move_seconds,
        tempo.return_seconds,
        tempo.setup_cue_seconds * len(exercise.setup),
        settings.breaks.rest_seconds,
    )
    return PromptInfo(goal.name, target_text(target), math.ceil(seconds / 60))
