"""The app in a call: the face says a break is waiting, the prompt comes once after the call,
and the settings show what each busy signal can see."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.core.deferral import BusyReason
from stretchbreak.infra.busy import BusyBackend, BusyUnavailable
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.ui.tray import TrayState
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers
from tests.integration.test_busy import Switch


class Call:
    def __init__(self) -> None:
        self.microphone = Switch(True)

    def makers(self) -> dict[BusyReason, object]:
        def no_camera() -> BusyBackend:
            raise BusyUnavailable("no process table at /proc")

        return {BusyReason.MICROPHONE: lambda: self.microphone, BusyReason.CAMERA: no_camera}


def build(tmp_path: Path, call: Call, clock: FakeClock, alarm: FakeAlarm) -> App:
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    paths.settings.write_text("[reminders]\nheads_up_seconds = 0\nlull_seconds = 0\n")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        outside=Outside(
            clock=clock,
            wake_timer=FakeTimers(),
            ticker=FakeTickers(),
            alarm=lambda: alarm,
            detect_idle=None,
            use_tray=False,
            busy_makers=call.makers,  # type: ignore[arg-type]
        ),
    )


def ring_until(clock: FakeClock, alarm: FakeAlarm, minutes: float) -> None:
    end = clock.now() + timedelta(minutes=minutes)
    while alarm.when is not None and alarm.when <= end:
        clock.advance(max(0.0, (alarm.when - clock.now()).total_seconds()))
        assert alarm.callback is not None
        alarm.callback()
    clock.advance((end - clock.now()).total_seconds())


def test_the_face_says_the_break_waits_and_the_prompt_comes_after_the_call(
    qtbot: QtBot, tmp_path: Path
) -> None:
    call, alarm = Call(), FakeAlarm()
    clock = FakeClock()  # Tuesday 09:00: working hours
    app = build(tmp_path, call, clock, alarm)
    ring_until(clock, alarm, 60)
    status = app.reminders.tray_status()
    assert (status.state, status.line) == (TrayState.WAITING, "Break waiting — you're in a call")
    assert app.reminders.prompt is None
    states = {s.reason: s for s in app.alarms.busy_states()}
    assert states["microphone"].source == "switch"
    assert states["camera"].problem == "no process table at /proc"
    assert call.microphone.closed == 0  # a break waits: the signals stay open
    call.microphone.answer = False
    ring_until(clock, alarm, 2.5)
    assert app.reminders.prompt is not None
    qtbot.addWidget(app.reminders.prompt)
    assert app.reminders.prompt.isVisible()
    assert app.reminders.tray_status().state is TrayState.DUE
    app.reminders.coordinator.skip()
    assert call.microphone.closed == 1  # answered: nothing stays open
    assert app.store is not None
    assert [p.outcome for p in app.store.prompts()] == ["deferred", "skipped"]
    app.close()
