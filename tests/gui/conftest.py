"""A guided window wired as the app wires it, with time under the test's control."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.windows import wire_session_window
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import CompletedSet
from stretchbreak.core.session_log import MemorySessionLog
from stretchbreak.core.session_values import SessionSummary
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.break_flow import BreakFlow, connect_runner
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.ui.session_window import SessionWindow
from tests.fakes import FakeClock, FakeTickers, FakeTimers


@dataclass
class Guided:
    window: SessionWindow
    runner: SessionRunner
    flow: BreakFlow
    log: MemorySessionLog
    clock: FakeClock
    timers: FakeTimers
    tickers: FakeTickers
    qtbot: QtBot
    exercise: Exercise
    sets: list[CompletedSet]
    ended: list[SessionSummary]

    def advance(self, seconds: float) -> None:
        """Let time pass and deliver whatever wake-up was due, as the event loop would."""
        self.clock.advance(seconds)
        self.timers.fire_armed()

    def key(self, key: Qt.Key) -> None:
        target = QApplication.focusWidget() or self.window
        self.qtbot.keyClick(target, key)

    def page(self) -> object:
        return self.window.stack.currentWidget()


@pytest.fixture
def guided(qtbot: QtBot, clock: FakeClock, tmp_path: Path) -> Guided:
    exercise = load_bundled_exercise()
    timers, tickers = FakeTimers(), FakeTickers()
    runner = SessionRunner(clock, timers)
    log = MemorySessionLog()
    numbers = itertools.count(1)
    flow = BreakFlow(exercise, log, lambda: f"session-{next(numbers)}")
    connect_runner(flow, runner)
    window = SessionWindow(exercise, runner, tickers, state_file=tmp_path / "window-state.ini")
    qtbot.addWidget(window)
    wire_session_window(window, runner, flow)
    flow.choices_ready.connect(window.open_start)
    sets: list[CompletedSet] = []
    ended: list[SessionSummary] = []
    runner.set_completed.connect(sets.append)
    runner.session_ended.connect(ended.append)
    flow.open()
    qtbot.waitExposed(window)
    window.activateWindow()
    return Guided(window, runner, flow, log, clock, timers, tickers, qtbot, exercise, sets, ended)
