"""The clock misbehaves: set forward 3 h, set back 1 h, DST both ways, a suspend of 2 h and of
14 h. Each time: at most one prompt, and the next one still comes when it is due (no stall).

A simulated desk runs the app's real reminder parts together, on a fake clock with no waiting:
the ``Coordinator`` plans and shows prompts, the ``WakeWatch`` (heartbeat every 30 s) reports
suspends and clock steps to it, as ``app/reminders.py`` wires them. The alarm rings the way the
app's ``BreakScheduler`` does: APScheduler waits on a Qt timer, which counts monotonic time
and so stands still during a suspend and ignores clock changes; when it wakes early by the
wall clock it waits the rest, and when it wakes later than its misfire grace it drops the
job, leaving the re-plan to the wake watch. The user answers each prompt with Skip after 10 s
unless a scenario says otherwise. Times below are real (boot) time since the desk started.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.history import PromptOutcome, PromptRecord
from stretchbreak.core.settings import WEEKDAYS, ReminderSettings, Settings, TimeRange, WorkingHours
from stretchbreak.infra.scheduler import BreakScheduler
from stretchbreak.services.coordinator import Coordinator, ScheduleAdapters, ScheduleInputs
from stretchbreak.services.wake_watch import WakeWatch
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, Machine

#: The grace of ``BreakScheduler()`` as the app builds it.
GRACE_S = float(inspect.signature(BreakScheduler).parameters["misfire_grace_s"].default)
ALL_DAY = WorkingHours(**{day: (TimeRange.parse("00:00-23:59"),) for day in WEEKDAYS})
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def minutes(m: float, s: float = 0) -> float:
    return m * 60 + s


class SchedulerAlarm(FakeAlarm):
    """A ``FakeAlarm`` that rings as ``BreakScheduler`` does (see the module docstring)."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self._clock = clock
        #: When the Qt timer fires, on the monotonic clock.
        self.deadline: float | None = None
        self.dropped: list[datetime] = []

    def schedule_at(self, when: datetime, callback: Callable[[], None]) -> None:
        super().schedule_at(when, callback)
        wait = max(0.0, (when - self._clock.now()).total_seconds())
        self.deadline = self._clock.monotonic() + wait

    def cancel(self) -> None:
        super().cancel()
        self.deadline = None

    def timeout(self) -> None:
        when, callback = self.when, self.callback
        assert when is not None
        assert callback is not None
        late = (self._clock.now() - when).total_seconds()
        if late < 0:  # the wall clock was set back: APScheduler waits the rest
            self.deadline = self._clock.monotonic() - late
            return
        self.cancel()
        if late > GRACE_S:
            self.dropped.append(when)
            return
        callback()


class Prompts:
    def __init__(self) -> None:
        self.records: list[PromptRecord] = []

    def record_prompt(self, prompt: PromptRecord) -> None:
        self.records.append(prompt)


class Desk:
    """The coordinator, the wake watch and the alarm on one machine, and a user who answers."""

    def __init__(
        self,
        tmp_path: Path,
        start: datetime = TUESDAY_9,
        zone: tzinfo = UTC,
        reminders: ReminderSettings | None = None,
        answer_after: float | None = 10.0,
        heartbeat_phase: float = 13.0,
    ) -> None:
        self.machine = Machine(start)
        self.clock = self.machine.clock
        self._t0 = self.machine.boottime()
        self.alarm = SchedulerAlarm(self.clock)
        self.log = Prompts()
        settings = Settings(reminders=reminders or ReminderSettings(working_hours=ALL_DAY))
        self.coordinator = Coordinator(
            ScheduleInputs(self.clock, settings, lambda: zone),
            ScheduleAdapters(self.alarm, tmp_path / "state.json", self.log),
        )
        self.answer_after = answer_after
        self._answer_at: float | None = None
        #: Real seconds since the start at which a prompt appeared, and its local wall time.
        self.shown: list[float] = []
        self.shown_wall: list[datetime] = []
        self.coordinator.prompt_requested.connect(self._on_prompt)
        self.coordinator.plan()
        # The watch starts a little after the plan, so its beats never tie with an alarm.
        self.machine.run(heartbeat_phase)
        tickers = FakeTickers()
        self.watch = WakeWatch(self.clock, boottime=self.machine.boottime, tickers=tickers)
        self.watch.woke.connect(self.coordinator.woke)
        self.watch.clock_jumped.connect(self.coordinator.clock_jumped)
        self.watch.start()
        self._beat = tickers.made[-1]
        self._next_beat = self.clock.monotonic() + self._beat.interval_ms / 1000
        self._zone = zone

    @property
    def now(self) -> float:
        """Real seconds since the desk started (suspends included)."""
        return self.machine.boottime() - self._t0

    def _on_prompt(self) -> None:
        self.shown.append(self.now)
        self.shown_wall.append(self.clock.now().astimezone(self._zone))
        if self.answer_after is not None:
            self._answer_at = self.clock.monotonic() + self.answer_after

    def run_until(self, real: float) -> None:
        """Stay awake until ``real`` seconds since the start, handling events in order."""
        while True:
            end = self.clock.monotonic() + (real - self.now)
            events: list[tuple[float, int, Callable[[], None]]] = [(self._next_beat, 0, self._b)]
            if self.alarm.deadline is not None:
                events.append((self.alarm.deadline, 1, self.alarm.timeout))
            if self._answer_at is not None:
                events.append((self._answer_at, 2, self._answer))
            at, _, event = min(events)
            if at > end:
                self.machine.run(end - self.clock.monotonic())
                return
            self.machine.run(max(0.0, at - self.clock.monotonic()))
            event()

    def _b(self) -> None:
        self._next_beat += self._beat.interval_ms / 1000
        self._beat.callback()

    def _answer(self) -> None:
        self._answer_at = None
        if self.coordinator.prompt_showing:
            self.coordinator.skip()

    def shown_after(self, real: float) -> list[float]:
        return [at for at in self.shown if at > real]


# The heartbeat beats at 13 s + 30 s·k; every event below comes 10 s after a beat, so it is
# noticed 20 s later.


@pytest.mark.parametrize(
    ("what", "event", "first_prompt"),
    [
        # 30 min were left when the clock moved; 30 real minutes later the prompt comes.
        ("forward 3 h", lambda m: m.set_wall_clock(3 * 3600), minutes(50)),
        ("back 1 h", lambda m: m.set_wall_clock(-3600), minutes(50)),
        # Asleep at least the away time is a break: one interval from the wake-up, noticed at
        # the next heartbeat.
        ("suspend 2 h", lambda m: m.suspend(2 * 3600), 7200 + minutes(20, 43) + minutes(50)),
        ("suspend 14 h", lambda m: m.suspend(14 * 3600), 50400 + minutes(20, 43) + minutes(50)),
    ],
)
def test_one_prompt_after_the_event_then_the_next_on_time(
    tmp_path: Path, what: str, event: Callable[[Machine], None], first_prompt: float
) -> None:
    desk = Desk(tmp_path)
    desk.run_until(minutes(20, 23))
    event(desk.machine)
    happened = desk.now
    desk.run_until(first_prompt + minutes(55))
    answered = first_prompt + 10
    assert desk.shown_after(happened) == [first_prompt, answered + minutes(50)], what


def test_a_stale_alarm_waking_after_a_suspend_is_dropped_not_a_burst(tmp_path: Path) -> None:
    """Asleep from 7 s before the prompt: the alarm's timer wakes before the heartbeat does,
    2 h late, and is dropped; the heartbeat then plans one interval from the wake-up."""
    desk = Desk(tmp_path)
    desk.run_until(minutes(49, 53))  # the heads-up has come
    desk.machine.suspend(2 * 3600)
    desk.run_until(7200 + minutes(49, 53) + minutes(110))
    noticed = 7200 + minutes(50, 13)  # the first heartbeat after the resume
    assert desk.alarm.dropped == [TUESDAY_9 + timedelta(minutes=50)]
    assert desk.shown == [noticed + minutes(50), noticed + minutes(50) + 10 + minutes(50)]


@pytest.mark.parametrize(
    ("what", "event", "expected"),
    [
        # The time away was the break: the prompt goes as missed, the next comes one
        # interval after the wake-up (noticed 10 s later), and unanswered, one after that.
        (
            "suspend 2 h",
            lambda m: m.suspend(2 * 3600),
            [7200 + minutes(105, 13), 7200 + minutes(155, 13)],
        ),
        # The prompt stays its 10 real minutes, then the next comes one interval after it.
        ("forward 3 h", lambda m: m.set_wall_clock(3 * 3600), [minutes(100), minutes(150)]),
        ("back 1 h", lambda m: m.set_wall_clock(-3600), [minutes(100), minutes(150)]),
    ],
)
def test_a_prompt_on_screen_during_the_event_is_neither_repeated_at_once_nor_stuck(
    tmp_path: Path, what: str, event: Callable[[Machine], None], expected: list[float]
) -> None:
    """Nobody answers any prompt; the event comes while the first is on screen."""
    desk = Desk(tmp_path, answer_after=None)
    desk.run_until(minutes(55, 3))
    assert desk.shown == [minutes(50)]
    event(desk.machine)
    happened = desk.now
    desk.run_until(happened + minutes(110))
    assert desk.shown_after(happened) == expected, what
    outcomes = [r.outcome for r in desk.log.records]
    assert len(outcomes) >= 2
    assert set(outcomes) == {PromptOutcome.MISSED}, "each unanswered prompt is recorded missed"


def test_spring_forward_skips_a_fixed_time_in_the_lost_hour_and_goes_on(tmp_path: Path) -> None:
    """Berlin, 29 March 2026: 02:00 becomes 03:00, so a 02:30 fixed time does not exist."""
    reminders = ReminderSettings(
        interval_minutes=240, fixed_times=(time(2, 30),), working_hours=ALL_DAY
    )
    start = datetime(2026, 3, 28, 23, 45, tzinfo=UTC)  # 00:45 in Berlin
    desk = Desk(tmp_path, start=start, zone=BERLIN, reminders=reminders)
    desk.run_until(minutes(250))
    assert desk.shown == [minutes(240)]
    assert desk.shown_wall[0].isoformat() == "2026-03-29T05:45:00+02:00"


def test_fall_back_does_not_ask_a_fixed_time_again_in_the_repeated_hour(tmp_path: Path) -> None:
    """Berlin, 25 October 2026: 03:00 becomes 02:00 again and the clock shows 02:30 twice;
    started after the first, the second does not ask."""
    reminders = ReminderSettings(
        interval_minutes=240, fixed_times=(time(2, 30),), working_hours=ALL_DAY
    )
    start = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)  # 02:40 summer time in Berlin
    desk = Desk(tmp_path, start=start, zone=BERLIN, reminders=reminders)
    desk.run_until(minutes(250))
    assert desk.shown == [minutes(240)]
    assert desk.shown_wall[0].isoformat() == "2026-10-25T05:40:00+01:00"


@pytest.mark.parametrize(
    "start",
    [datetime(2026, 3, 29, 0, 20, tzinfo=UTC), datetime(2026, 10, 25, 0, 20, tzinfo=UTC)],
    ids=["spring forward", "fall back"],
)
def test_an_interval_runs_straight_through_a_dst_change(tmp_path: Path, start: datetime) -> None:
    desk = Desk(tmp_path, start=start, zone=BERLIN)
    desk.run_until(minutes(160))
    assert desk.shown == [minutes(50), minutes(100, 10), minutes(150, 20)]
