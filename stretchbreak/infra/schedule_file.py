"""The coordinator's schedule state on disk: snooze and pause survive a restart.

A few instants rewritten atomically after every change; a missing or broken file only means
starting the interval afresh, and a failed write is logged, never fatal.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from stretchbreak.core import schedule_state
from stretchbreak.core.schedule_state import ScheduleState
from stretchbreak.infra.atomic_file import write_atomically

log = logging.getLogger(__name__)


class ScheduleFile:
    """``schedule-state.json``, or nothing at all when ``path`` is None (tests)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path

    def load(self, now: datetime) -> ScheduleState:
        if self._path is None or not self._path.exists():
            return schedule_state.new_state(now)
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("ignoring %s: %s", self._path, error)
            return schedule_state.new_state(now)
        return schedule_state.state_from_dict(data, now)

    def save(self, state: ScheduleState) -> None:
        if self._path is None:
            return
        try:
            text = json.dumps(schedule_state.state_to_dict(state), indent=2)
            write_atomically(self._path, text.encode("utf-8"))
        except OSError as error:
            log.warning("could not save %s: %s", self._path, error)
