"""The entrance reads top to bottom: one init order, logged step by step, and one way out
that runs its closing steps once, in order, even when one of them fails."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import INIT_ORDER, App
from stretchbreak.app.context import Outside
from stretchbreak.app.shutdown import Shutdown
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.break_flow import StartRequest
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


def build(tmp_path: Path) -> App:
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


def test_the_app_is_built_in_the_documented_order_and_says_each_step(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="stretchbreak.app.compose"):
        app = build(tmp_path)
    steps = [r.getMessage().removeprefix("init: ") for r in caplog.records if "init: " in r.msg]
    assert steps == list(INIT_ORDER)
    app.close()


def test_a_way_out_ends_the_session_before_the_log_closes_and_runs_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build(tmp_path)
    events: list[str] = []
    app.runner.session_ended.connect(lambda _summary: events.append("session ended"))
    close = app.keeper.close

    def closing() -> tuple[str, ...]:
        events.append("log closed")
        return close()

    monkeypatch.setattr(app.keeper, "close", closing)
    app.flow.open("recovery")
    qtbot.addWidget(app.session_window())
    app.flow.start(StartRequest("recovery", Target(2, 6, 3), TempoMode.GUIDED))
    app.close()
    app.close()  # a second way out after the first does nothing more
    assert events == ["session ended", "log closed"]


def test_every_step_runs_once_in_order_and_a_failing_one_stops_none_after_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []
    shutdown = Shutdown()
    shutdown.add("first", lambda: ran.append("first"))
    shutdown.add("broken", lambda: 1 / 0)
    shutdown.add("lock let go", lambda: ran.append("lock"))
    with caplog.at_level(logging.INFO, logger="stretchbreak.app.shutdown"):
        shutdown.run("test")
        shutdown.run("again")
    assert ran == ["first", "lock"]
    assert "shutdown step 'broken' failed" in caplog.text
    assert caplog.text.count("shutting down") == 1
