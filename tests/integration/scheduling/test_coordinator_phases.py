"""The coordinator's named phases along a working day, and the state file it rewrites only
when the schedule changed (``core.coordinator_state`` holds the transitions themselves)."""

from __future__ import annotations

import json
from pathlib import Path

from stretchbreak.core.coordinator_state import Phase
from tests.integration.scheduling.test_coordinator import Day, Idle, at


def phase(day: Day) -> Phase:
    """Read afresh each time (mypy would otherwise keep the first answer)."""
    return day.coordinator.phase


def test_a_prompt_goes_planned_warned_due_shown_and_back(tmp_path: Path) -> None:
    idle = Idle()
    day = Day(tmp_path, idle)
    assert phase(day) is Phase.PLANNED
    day.run_until(at(9, 49, 30))
    assert phase(day) is Phase.WARNED
    day.run_until(at(9, 50, 10))  # typing: due, waiting for a lull
    assert phase(day) is Phase.DUE
    assert not day.coordinator.prompt_showing
    idle.seconds = 3.5
    day.run_until(at(9, 50, 11))
    assert phase(day) is Phase.SHOWN
    assert day.coordinator.prompt_showing
    day.coordinator.snooze(10)
    assert phase(day) is Phase.PLANNED


def test_a_break_is_its_own_phase_until_it_ends(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.run_until(at(9, 50, 1))
    day.coordinator.break_started()
    assert phase(day) is Phase.IN_BREAK
    assert day.alarm.when is None  # nothing interrupts a break
    day.coordinator.break_ended(completed=True)
    assert phase(day) is Phase.PLANNED
    assert day.alarm.when is not None


def test_the_state_file_is_rewritten_only_when_the_schedule_changed(tmp_path: Path) -> None:
    idle = Idle()
    day = Day(tmp_path, idle)
    written = day.state_file.stat().st_ino  # every save replaces the file: a new inode
    day.run_until(at(9, 50, 30))  # a heads-up and thirty lull checks change no schedule
    assert day.state_file.stat().st_ino == written
    day.coordinator.snooze(10)
    assert day.state_file.stat().st_ino != written
    saved = json.loads(day.state_file.read_text(encoding="utf-8"))
    assert saved["snoozed_until"].startswith("2026-11-23T10:00:30")
