"""The prompt's notification answers Start, Snooze and Skip through its actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.app.reminders import NOTIFICATION_SNOOZE_MINUTES
from stretchbreak.infra.notifications import DesktopNotifications
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> App:
    # No session bus: the notification falls back, and nothing reaches the machine's desktop.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    return App(
        qt,
        paths,
        load_bundled_exercise(),
        outside=Outside(
            clock=FakeClock(),
            wake_timer=FakeTimers(),
            ticker=FakeTickers(),
            alarm=FakeAlarm,
            detect_idle=None,
            use_tray=False,
        ),
    )


def test_without_a_session_bus_the_notification_says_it_was_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    notifications = DesktopNotifications()
    assert notifications.show("Time for a back stretch", "Desk-break reset", []) is False
    assert notifications.actions_supported is False


def test_each_action_answers_the_prompt(app: App, qtbot: QtBot) -> None:
    reminders = app.reminders
    answered: list[object] = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(reminders.coordinator, "snooze", lambda m: answered.append(("snooze", m)))
    monkeypatch.setattr(reminders.coordinator, "skip", lambda: answered.append("skip"))
    monkeypatch.setattr(reminders, "_on_prompt_start_requested", lambda: answered.append("start"))
    reminders.coordinator.prompt_requested.emit()  # the prompt, and its notification
    assert reminders.prompt is not None
    qtbot.addWidget(reminders.prompt)
    notifications = reminders.notifications
    assert notifications is not None
    for key in ("default", "start", "snooze", "skip", "something-else"):
        notifications.action_invoked.emit(key)
    monkeypatch.undo()
    assert answered == ["start", "start", ("snooze", NOTIFICATION_SNOOZE_MINUTES), "skip"]
    app.close()
