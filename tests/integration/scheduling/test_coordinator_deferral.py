"""A working day with calls: the coordinator defers a due break, never drops it, and shows it
once after the call; a prompt on screen hides for a call; a running break is never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from stretchbreak.core.deferral import BusyReason
from stretchbreak.core.history import PromptOutcome
from stretchbreak.core.settings import DeferSettings, Settings
from stretchbreak.services.coordinator import Coordinator, ScheduleAdapters, ScheduleInputs
from tests.integration.scheduling.test_coordinator import Day, Idle, at

MIC, CAM, FULL = BusyReason.MICROPHONE, BusyReason.CAMERA, BusyReason.FULLSCREEN


class Signals:
    """The busy backends, switched by the test; counts its reads and releases."""

    def __init__(self) -> None:
        self.on: set[BusyReason] = set()
        self.reads: list[datetime] = []
        self.releases = 0
        self.clock_now = lambda: datetime.min

    def busy(self, watched: frozenset[BusyReason]) -> frozenset[BusyReason]:
        self.reads.append(self.clock_now())
        return frozenset(self.on) & watched

    def release(self) -> None:
        self.releases += 1


class CallDay(Day):
    def __init__(
        self,
        tmp_path: Path,
        idle: Idle | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.signals = Signals()
        self.settings = settings or Settings()
        self.gave_up: list[datetime] = []
        self.withdrawn: list[datetime] = []
        super().__init__(tmp_path, idle)
        self.signals.clock_now = self.clock.now

    def build(self) -> Coordinator:
        made = Coordinator(
            ScheduleInputs(self.clock, self.settings, lambda: UTC),
            ScheduleAdapters(self.alarm, self.state_file, self.prompts),
            idle=self.idle,
            busy=self.signals,
        )
        made.prompt_requested.connect(lambda: self.shown.append(self.clock.now()))
        made.prompt_withdrawn.connect(lambda: self.withdrawn.append(self.clock.now()))
        made.deferral_gave_up.connect(lambda: self.gave_up.append(self.clock.now()))
        made.heads_up.connect(self.warned.append)
        made.plan()
        return made

    def reasons(self) -> list[str | None]:
        return [r.reason for r in self.prompts.records]


def test_nothing_reads_the_signals_until_a_break_is_due(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.run_until(at(9, 49, 59))  # the heads-up has come and gone
    assert day.signals.reads == []
    day.run_until(at(9, 50))
    assert day.signals.reads == [at(9, 50)]


def test_a_call_from_before_the_due_time_defers_the_break_until_after_the_grace(
    tmp_path: Path,
) -> None:
    day = CallDay(tmp_path)
    day.signals.on = {MIC}
    day.run_until(at(10, 30))
    assert day.shown == []
    assert day.outcomes() == [PromptOutcome.DEFERRED]
    assert day.reasons() == ["microphone"]
    assert day.coordinator.deferred_by == ["microphone"]
    assert day.coordinator.status_dict()["deferred_by"] == ["microphone"]
    # Polled every few seconds while it waits, never a burst of prompts.
    assert len(day.signals.reads) >= 40 * 60 / 5
    day.signals.on = set()
    day.run_until(at(10, 31, 59))
    assert day.shown == []
    day.run_until(at(10, 32, 6))
    assert len(day.shown) == 1
    assert at(10, 32) <= day.shown[0] <= at(10, 32, 6)
    assert day.coordinator.status_dict()["deferred_by"] == []
    day.clock.advance(5)
    day.coordinator.start_from_prompt()
    assert day.outcomes() == [PromptOutcome.DEFERRED, PromptOutcome.STARTED]
    assert {r.due_at for r in day.prompts.records} == {at(9, 50)}
    assert day.signals.releases >= 1


def test_a_call_starting_during_the_heads_up_defers_the_break(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.run_until(at(9, 49, 30))
    assert day.warned == [at(9, 50)]
    day.signals.on = {CAM}
    day.run_until(at(9, 55))
    assert day.shown == []
    assert day.reasons() == ["camera"]


def test_after_the_call_the_prompt_still_waits_for_a_lull_in_typing(tmp_path: Path) -> None:
    idle = Idle()
    idle.seconds = 0.0  # typing the meeting notes
    day = CallDay(tmp_path, idle)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.signals.on = set()
    day.run_until(at(10, 2, 30))
    assert day.shown == []  # the grace is over, but the user types
    idle.seconds = 4.0
    day.run_until(at(10, 2, 32))
    assert len(day.shown) == 1


def test_a_quiet_call_is_not_a_natural_break(tmp_path: Path) -> None:
    """Listening in a call for an hour leaves the keyboard alone; that is no break."""
    idle = Idle()
    idle.seconds = 3600.0
    day = CallDay(tmp_path, idle)
    day.signals.on = {MIC}
    day.run_until(at(10, 30))
    assert PromptOutcome.NATURAL_BREAK not in day.outcomes()
    day.signals.on = set()
    day.run_until(at(10, 32, 10))
    assert len(day.shown) == 1
    assert day.outcomes() == [PromptOutcome.DEFERRED]


def test_a_call_starting_while_the_prompt_shows_hides_it_until_after(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.run_until(at(9, 50, 1))
    assert day.shown == [at(9, 50)]
    day.signals.on = {MIC}
    day.run_until(at(9, 52))
    assert day.withdrawn
    assert day.withdrawn[0] <= at(9, 50, 6)
    assert not day.coordinator.prompt_showing
    [deferred] = day.prompts.records
    assert (deferred.outcome, deferred.shown_at, deferred.reason) == (
        PromptOutcome.DEFERRED,
        at(9, 50),
        "microphone",
    )
    day.run_until(at(10, 30))  # far past the ten minutes that would make it "missed"
    assert PromptOutcome.MISSED not in day.outcomes()
    day.signals.on = set()
    day.run_until(at(10, 32, 10))
    assert len(day.shown) == 2
    day.coordinator.skip()
    assert day.outcomes() == [PromptOutcome.DEFERRED, PromptOutcome.SKIPPED]


def test_a_running_break_is_never_interrupted_and_reads_no_signal(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.run_until(at(9, 49, 50))
    day.coordinator.break_started()
    day.signals.on = {MIC, FULL}
    day.run_until(at(10, 30))
    assert day.signals.reads == []
    assert day.shown == []
    assert day.withdrawn == []


def test_overlapping_signals_wait_for_the_last_and_the_log_names_the_call(
    tmp_path: Path,
) -> None:
    day = CallDay(tmp_path)
    day.signals.on = {FULL, MIC}
    day.run_until(at(10, 0))
    assert day.reasons() == ["microphone"]
    assert day.coordinator.deferred_by == ["microphone", "fullscreen"]
    day.signals.on = {FULL}
    day.run_until(at(10, 10))
    assert day.shown == []
    assert day.coordinator.deferred_by == ["fullscreen"]
    day.signals.on = set()
    day.run_until(at(10, 12, 10))
    assert len(day.shown) == 1


def test_a_call_longer_than_the_limit_ends_in_one_quiet_notification(tmp_path: Path) -> None:
    day = CallDay(tmp_path, settings=Settings(defer=DeferSettings(max_hours=1)))
    day.signals.on = {MIC}
    day.run_until(at(10, 51))
    assert day.shown == []
    assert day.gave_up == [at(10, 50)]
    assert day.outcomes()[:2] == [PromptOutcome.DEFERRED, PromptOutcome.MISSED]
    # The interval starts again; the next break, still in the call, waits in its turn.
    assert day.coordinator.deferred_by == []
    day.run_until(at(11, 41))
    assert day.outcomes()[2:] == [PromptOutcome.DEFERRED]
    assert day.gave_up == [at(10, 50)]


def test_a_manual_pause_wins_over_a_waiting_break(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.coordinator.pause(60)
    assert day.coordinator.deferred_by == []
    day.signals.on = set()
    day.run_until(at(10, 59))
    assert day.shown == []
    assert day.coordinator.status_dict()["state"] == "paused"


def test_a_manual_break_during_a_call_is_allowed_and_ends_the_wait(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.coordinator.break_started()
    assert day.coordinator.deferred_by == []
    day.clock.advance(120)
    day.coordinator.break_ended(completed=True)
    day.run_until(at(10, 40))
    assert day.shown == []
    assert day.coordinator.status().next_prompt_at == at(10, 52)


def test_a_manual_break_ends_the_wait_without_a_second_deferral(tmp_path: Path) -> None:
    """The history keeps the one row the call wrote: deferred by the microphone. The break
    by hand superseded the waiting prompt; it did not defer it again, for no reason."""
    day = CallDay(tmp_path)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.coordinator.break_started()
    records = [(r.due_at, r.outcome, r.reason) for r in day.prompts.records]
    assert records == [(at(9, 50), PromptOutcome.DEFERRED, "microphone")]


def test_a_manual_break_after_the_call_but_before_the_prompt_adds_no_deferral(
    tmp_path: Path,
) -> None:
    idle = Idle()
    idle.seconds = 0.0  # typing after the call: the prompt waits for a lull
    day = CallDay(tmp_path, idle)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.signals.on = set()
    day.run_until(at(10, 2, 30))
    assert day.shown == []
    day.coordinator.break_started()
    assert [(r.outcome, r.reason) for r in day.prompts.records] == [
        (PromptOutcome.DEFERRED, "microphone")
    ]
    day.clock.advance(120)
    day.coordinator.break_ended(completed=True)
    day.run_until(at(10, 40))
    assert day.shown == []


def test_a_short_suspend_during_a_call_does_not_count_towards_the_limit(
    tmp_path: Path,
) -> None:
    day = CallDay(tmp_path, settings=Settings(defer=DeferSettings(max_hours=1)))
    day.signals.on = {MIC}
    day.run_until(at(10, 20))  # waited 30 minutes
    day.clock.jump_wall(4 * 60)  # four minutes asleep: shorter than the break length
    day.coordinator.woke(4 * 60)
    day.run_until(at(10, 50))
    assert day.gave_up == []
    day.run_until(at(10, 55))
    assert day.gave_up == [at(10, 54)]


def test_a_long_suspend_during_a_call_is_the_break(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.clock.jump_wall(3600)
    day.coordinator.woke(3600)
    assert day.outcomes() == [PromptOutcome.DEFERRED, PromptOutcome.NATURAL_BREAK]
    assert day.coordinator.deferred_by == []


def test_a_clock_set_back_during_a_call_keeps_the_time_waited(tmp_path: Path) -> None:
    day = CallDay(tmp_path, settings=Settings(defer=DeferSettings(max_hours=1)))
    day.signals.on = {MIC}
    day.run_until(at(10, 0))
    day.clock.jump_wall(-3600)  # set back an hour
    day.coordinator.clock_jumped(-3600)
    day.run_until(at(9, 49))
    assert day.gave_up == []  # 59 minutes of real waiting, 10 of them before the jump
    day.run_until(at(9, 51))
    assert day.gave_up == [at(9, 50)]


def test_without_watched_signals_nothing_is_read(tmp_path: Path) -> None:
    off = DeferSettings(microphone=False, camera=False, fullscreen=False, do_not_disturb=False)
    day = CallDay(tmp_path, settings=Settings(defer=off))
    day.signals.on = {MIC}
    day.run_until(at(9, 51))
    assert day.signals.reads == []
    assert len(day.shown) == 1
    assert day.coordinator.status_dict()["deferred_by"] == []


def test_the_poll_while_a_prompt_shows_is_every_few_seconds(tmp_path: Path) -> None:
    day = CallDay(tmp_path)
    day.run_until(at(9, 51))
    assert day.alarm.when is not None
    assert day.alarm.when - day.clock.now() <= timedelta(seconds=5)


def test_away_and_not_in_a_call_is_still_a_natural_break_and_closes_the_signals(
    tmp_path: Path,
) -> None:
    idle = Idle()
    idle.seconds = 6 * 60
    day = CallDay(tmp_path, idle)
    day.run_until(at(9, 50, 5))
    assert day.outcomes() == [PromptOutcome.NATURAL_BREAK]
    assert day.signals.reads == [at(9, 47)]  # one look, only because the user seemed away
    assert day.signals.releases == 1
