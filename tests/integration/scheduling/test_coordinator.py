"""A working day with the coordinator: prompts, outcomes, lulls, natural breaks, sleep, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import PromptOutcome, PromptRecord
from stretchbreak.core.settings import Settings
from stretchbreak.services.coordinator import Coordinator, ScheduleAdapters, ScheduleInputs
from stretchbreak.ui.tray_line import tray_line
from tests.fakes import FakeAlarm, FakeClock

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Prompts:
    def __init__(self) -> None:
        self.records: list[PromptRecord] = []

    def record_prompt(self, prompt: PromptRecord) -> None:
        self.records.append(prompt)


class Idle:
    def __init__(self) -> None:
        self.seconds: float | None = 0.0

    def idle_seconds(self) -> float | None:
        return self.seconds


class Day:
    def __init__(
        self, tmp_path: Path, idle: Idle | None = None, start: datetime = MONDAY_9
    ) -> None:
        self.clock = FakeClock(start=start)
        self.alarm = FakeAlarm()
        self.prompts = Prompts()
        self.state_file = tmp_path / "schedule.json"
        self.idle = idle
        self.shown: list[datetime] = []
        self.warned: list[datetime] = []
        self.coordinator = self.build()

    def build(self) -> Coordinator:
        made = Coordinator(
            ScheduleInputs(self.clock, Settings(), lambda: UTC),
            ScheduleAdapters(self.alarm, self.state_file, self.prompts),
            idle=self.idle,
        )
        made.prompt_requested.connect(lambda: self.shown.append(self.clock.now()))
        made.heads_up.connect(self.warned.append)
        made.plan()
        return made

    def run_until(self, moment: datetime) -> None:
        """Let time pass to ``moment``, ringing every alarm on its way, as the event loop would."""
        while self.alarm.when is not None and self.alarm.when <= moment:
            self.clock.advance(max(0.0, (self.alarm.when - self.clock.now()).total_seconds()))
            callback = self.alarm.callback
            assert callback is not None
            callback()
        self.clock.advance((moment - self.clock.now()).total_seconds())

    def outcomes(self) -> list[PromptOutcome]:
        return [r.outcome for r in self.prompts.records]


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment on Monday 23 November 2026."""
    return datetime(2026, 11, 23, hour, minute, second, tzinfo=UTC)


def test_heads_up_then_the_prompt_one_interval_after_the_start(
    tmp_path: Path, qtbot: QtBot
) -> None:
    day = Day(tmp_path)
    assert day.coordinator.status().next_prompt_at == at(9, 50)
    day.run_until(at(9, 49, 30))
    assert day.warned == [at(9, 50)]
    assert day.shown == []
    day.run_until(at(9, 50, 1))
    assert day.shown == [at(9, 50)]
    assert day.coordinator.prompt_showing


def test_start_records_and_a_completed_break_restarts_the_interval(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.run_until(at(9, 50))
    day.clock.advance(20)
    day.coordinator.start_from_prompt()
    day.coordinator.break_started()
    assert day.coordinator.status_dict()["state"] == "in_break"
    day.clock.advance(100)
    day.coordinator.break_ended(completed=True)
    assert day.outcomes() == [PromptOutcome.STARTED]
    assert day.prompts.records[0].shown_at == at(9, 50)
    assert day.coordinator.status().next_prompt_at == day.clock.now() + timedelta(minutes=50)


def test_snooze_and_skip(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.run_until(at(9, 50))
    day.coordinator.snooze(10)
    assert day.coordinator.status().next_prompt_at == at(10, 0)
    day.run_until(at(10, 0, 1))
    assert day.shown == [at(9, 50), at(10, 0)]
    day.coordinator.skip()
    assert day.outcomes() == [PromptOutcome.SNOOZED, PromptOutcome.SKIPPED]
    assert day.coordinator.status().next_prompt_at == day.clock.now() + timedelta(minutes=50)


def test_an_unanswered_prompt_is_missed_after_ten_minutes(tmp_path: Path) -> None:
    day = Day(tmp_path)
    withdrawn: list[bool] = []
    day.coordinator.prompt_withdrawn.connect(lambda: withdrawn.append(True))
    day.run_until(at(10, 0, 30))
    assert day.outcomes() == [PromptOutcome.MISSED]
    assert withdrawn == [True]
    assert not day.coordinator.prompt_showing
    assert day.coordinator.status().next_prompt_at == at(10, 40)


def test_the_prompt_waits_for_a_lull_in_typing_but_not_for_ever(tmp_path: Path) -> None:
    idle = Idle()
    day = Day(tmp_path, idle)
    day.run_until(at(9, 50, 30))
    assert day.shown == []  # typing: idle stays at 0
    idle.seconds = 3.5
    day.run_until(at(9, 50, 31))
    assert day.shown == [at(9, 50, 31)]

    busy = Day(tmp_path / "busy", Idle())
    busy.run_until(at(9, 51, 1))
    assert busy.shown == [at(9, 51)]  # 60 s of typing: shown anyway


def test_away_for_the_break_length_is_a_natural_break(tmp_path: Path) -> None:
    idle = Idle()
    idle.seconds = 6 * 60
    day = Day(tmp_path, idle)
    day.run_until(at(9, 50, 5))
    assert day.shown == []
    # Noticed as soon as the watch begins, three minutes before the prompt.
    assert day.outcomes() == [PromptOutcome.NATURAL_BREAK]
    assert day.prompts.records[0].decided_at == at(9, 47)
    assert day.coordinator.status().next_prompt_at == at(10, 37)


def test_no_prompt_interrupts_a_break(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.run_until(at(9, 49, 50))  # the heads-up alarm has rung; the prompt is next
    day.coordinator.break_started()
    day.run_until(at(9, 55))
    assert day.shown == []
    day.coordinator.break_ended(completed=True)
    assert day.coordinator.status().next_prompt_at == at(10, 45)


def test_a_prompt_already_due_when_a_break_starts_is_deferred(tmp_path: Path) -> None:
    day = Day(tmp_path, Idle())  # typing: the due prompt waits for a lull
    day.run_until(at(9, 50, 10))
    day.coordinator.break_started()
    assert day.outcomes() == [PromptOutcome.DEFERRED]
    day.coordinator.break_ended(completed=False)
    day.run_until(at(9, 55))
    assert day.shown == []


def test_a_break_started_by_hand_answers_the_prompt_on_screen(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.run_until(at(9, 50, 1))
    withdrawn: list[bool] = []
    day.coordinator.prompt_withdrawn.connect(lambda: withdrawn.append(True))
    day.coordinator.break_started()
    assert day.outcomes() == [PromptOutcome.STARTED]
    assert withdrawn == [True]


def test_pause_resume_and_until_tomorrow(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.coordinator.pause(30)
    status = day.coordinator.status()
    assert status.paused_until == at(9, 30)
    assert day.coordinator.status_dict()["state"] == "paused"
    day.coordinator.resume()
    assert day.coordinator.status().paused_until is None
    friday = Day(tmp_path / "fri", start=datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    friday.coordinator.pause(None)
    assert friday.coordinator.status().paused_until == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_a_snooze_and_a_pause_survive_a_restart(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.coordinator.pause(120)
    again = day.build()
    assert again.status().paused_until == at(11, 0)


def test_a_long_sleep_gives_one_natural_break_and_no_burst(tmp_path: Path) -> None:
    day = Day(tmp_path)
    day.clock.jump_wall(2 * 3600)  # suspended: the monotonic clock stood still
    day.coordinator.woke(2 * 3600)
    assert day.coordinator.status().next_prompt_at == at(11, 50)
    day.run_until(at(11, 50, 1))
    assert day.shown == [at(11, 50)]


def test_a_broken_state_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "schedule.json").write_text("{not json")
    day = Day(tmp_path)
    assert day.coordinator.status().next_prompt_at == at(9, 50)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(9, 27), "Next break at 09:50 (in 23 min)"),
        (at(20, 0), "Outside working hours · next break Tue 09:50"),
    ],
)
def test_the_tray_line(tmp_path: Path, now: datetime, expected: str) -> None:
    day = Day(tmp_path, start=at(9, 0))
    day.clock.advance((now - at(9, 0)).total_seconds())
    if now.hour >= 17:
        day.coordinator.clock_jumped(0)
    assert tray_line(day.coordinator.status(), day.clock.now(), UTC).startswith(
        expected.split(" (")[0]
    )


def test_away_shortly_before_the_prompt_is_noticed_there(tmp_path: Path) -> None:
    idle = Idle()
    day = Day(tmp_path, idle)
    assert day.alarm.when == at(9, 47)  # watching starts three minutes before the prompt
    day.run_until(at(9, 47, 30))
    assert day.outcomes() == []
    idle.seconds = 5 * 60  # back after five minutes away
    day.run_until(at(9, 47, 41))
    assert day.outcomes() == [PromptOutcome.NATURAL_BREAK]
    assert day.coordinator.status().next_prompt_at == at(10, 37, 40)


def test_without_away_detection_nothing_polls(tmp_path: Path) -> None:
    day = Day(tmp_path)
    assert day.alarm.when == at(9, 49)  # only the heads-up
