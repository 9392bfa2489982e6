"""Alarms never ring on the dot: with random lateness and a short suspend, every fixed time
inside working hours still prompts, and prompts exactly once."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchbreak.core.settings import Settings
from stretchbreak.services.coordinator import Coordinator, ScheduleAdapters, ScheduleInputs
from tests.fakes import FakeAlarm, FakeClock

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # Settings() works Mon-Fri 09:00-12:30, 13:30-17:30
DAY_END = MONDAY + timedelta(hours=18)
ANSWERS = ("skip", "snooze", "break", "leave")


class Prompts:
    def record_prompt(self, prompt: object) -> None:
        """The outcomes are not what this test is about."""


def _in_hours(moment: datetime) -> bool:
    clock = moment.time()
    return time(9, 0) <= clock < time(12, 30) or time(13, 30) <= clock < time(17, 30)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fixed_minutes=st.lists(st.integers(8 * 60, 18 * 60), min_size=1, max_size=6, unique=True),
    interval=st.sampled_from([30, 50, 90, 240]),
    lateness=st.lists(st.floats(0.0, 2.0), min_size=1, max_size=50),
    answers=st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=50),
    suspend_at=st.integers(8 * 60, 18 * 60),
    suspend_seconds=st.floats(1.0, 120.0),
)
def test_every_fixed_time_in_working_hours_prompts_exactly_once(
    fixed_minutes: list[int],
    interval: int,
    lateness: list[float],
    answers: list[str],
    suspend_at: int,
    suspend_seconds: float,
) -> None:
    fixed = sorted(MONDAY + timedelta(minutes=m) for m in fixed_minutes)
    base = Settings()
    reminders = replace(
        base.reminders,
        interval_minutes=interval,
        fixed_times=tuple(time(m // 60, m % 60) for m in sorted(fixed_minutes)),
    )
    clock = FakeClock(start=MONDAY + timedelta(hours=7))
    alarm = FakeAlarm()
    with tempfile.TemporaryDirectory() as folder:
        coordinator = Coordinator(
            ScheduleInputs(clock, replace(base, reminders=reminders), lambda: UTC),
            ScheduleAdapters(alarm, Path(folder) / "schedule.json", Prompts()),
        )
        shown: list[datetime] = []
        coordinator.prompt_requested.connect(lambda: shown.append(clock.now()))
        # After each step: (moment, when the user last dealt with a break, whether a prompt is
        # on screen or a break under way)
        known: list[tuple[datetime, datetime | None, bool]] = []
        suspend = MONDAY + timedelta(minutes=suspend_at)
        suspended = False
        rings = 0
        coordinator.plan()
        while alarm.when is not None and alarm.when < DAY_END and rings < 2000:
            late = timedelta(seconds=lateness[rings % len(lateness)])
            ring_at = max(alarm.when, clock.now()) + late
            if not suspended and clock.now() <= suspend < ring_at:
                clock.advance((suspend - clock.now()).total_seconds())
                clock.jump_wall(suspend_seconds)  # asleep: the monotonic clock stands still
                suspended = True
                coordinator.woke(suspend_seconds)
                state = coordinator.state
                known.append((clock.now(), state.last_prompt_at, coordinator.prompt_showing))
                continue
            clock.advance((ring_at - clock.now()).total_seconds())
            before = len(shown)
            callback = alarm.callback
            assert callback is not None
            callback()
            rings += 1
            if len(shown) > before:
                # The prompt is up from now until it is answered (a fixed time may fall between).
                known.append((clock.now(), coordinator.state.last_prompt_at, True))
                answer = answers[len(shown) % len(answers)]
                if answer == "skip":
                    clock.advance(5)
                    coordinator.skip()
                elif answer == "snooze":
                    clock.advance(5)
                    coordinator.snooze(5)
                elif answer == "break":
                    coordinator.start_from_prompt()
                    coordinator.break_started()
                    known.append((clock.now(), coordinator.state.last_prompt_at, True))
                    clock.advance(120)
                    coordinator.break_ended(completed=True)
                # "leave": unanswered, it is recorded as missed when its time is up
            state = coordinator.state
            known.append((clock.now(), state.last_prompt_at, coordinator.prompt_showing))
        assert rings < 2000, "the alarm kept ringing"

    quiet = timedelta(minutes=interval) / 2
    slack = timedelta(seconds=2 + suspend_seconds + 1)
    for moment in fixed:
        if not _in_hours(moment):
            continue
        earlier = [entry for entry in known if entry[0] < moment]
        if earlier:
            _, last, showing = earlier[-1]
            if showing or (last is not None and last > moment - quiet):
                continue  # by design: a prompt is up, a break runs or was just dealt with
        near = [s for s in shown if moment <= s < moment + slack]
        assert len(near) == 1, f"fixed time {moment:%H:%M} prompted {len(near)} times: {shown}"
