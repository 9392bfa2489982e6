"""What the coordinator is built from, grouped so that its constructor reads in one line.

``ScheduleInputs`` is what the plan is computed from (the clock, the settings, the zone, the
speed); ``ScheduleAdapters`` is where its decisions go in the outside world (the alarm it
sets, the file its state is kept in, the log of what became of each prompt). The root builds
both once (``app/alarms.py``); tests hand in fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Protocol

from stretchbreak.core.clock import Clock
from stretchbreak.core.history import PromptRecord
from stretchbreak.core.settings import Settings


class Alarm(Protocol):
    def schedule_at(self, when: datetime, callback: Callable[[], None]) -> None: ...

    def cancel(self) -> None: ...


class PromptLog(Protocol):
    def record_prompt(self, prompt: PromptRecord) -> None: ...


class IdleReader(Protocol):
    def idle_seconds(self) -> float | None: ...


@dataclass(frozen=True)
class ScheduleInputs:
    """What the next prompt's time is computed from."""

    clock: Clock
    #: The settings at the start; ``Coordinator.change_settings`` hands in later ones.
    settings: Settings
    #: The local zone, asked at each plan: working hours are wall-clock times.
    zone: Callable[[], tzinfo]
    #: How much faster than real time the run goes (``--speed``).
    speed: float = 1.0


@dataclass(frozen=True)
class ScheduleAdapters:
    """Where the coordinator's decisions go in the outside world."""

    alarm: Alarm
    #: Where the schedule state is kept between runs; None: kept in memory only.
    state_file: Path | None
    #: What became of each prompt; None: not recorded.
    prompts: PromptLog | None
