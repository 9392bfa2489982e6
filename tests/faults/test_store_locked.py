"""Another program holds a write transaction on the history when the app starts.

A SQLite shell, DB Browser for SQLite or a backup tool can hold ``BEGIN IMMEDIATE`` on
``stretchbreak.sqlite3`` for minutes. The app must not give up on the file: it keeps every
set in memory, in order, tries again with back-off on its own timer, writes them all once
the lock is gone and says so; whatever still cannot be written at exit is named in the log.

The lock is real (a child process with its own ``sqlite3`` connection, released through a
pipe). The whole app is built in this process on a fake clock; its timers fire when their
time on that clock has come, so the back-off is seen as it would run.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.core.history import CompletedSet
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.notifications import DesktopNotifications
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.services.break_flow import StartRequest
from tests.fakes import FakeAlarm, FakeClock, FakeTickers
from tests.faults.sqlite_lock import HeldLock


class ClockTimer:
    """A wake timer that comes due on the fake clock's monotonic time."""

    def __init__(self, clock: FakeClock, callback: Callable[[], None]) -> None:
        self._clock = clock
        self._callback = callback
        self.due: float | None = None
        self.delays: list[float] = []

    def arm(self, seconds: float) -> None:
        self.due = self._clock.monotonic() + seconds
        self.delays.append(seconds)

    def disarm(self) -> None:
        self.due = None

    @property
    def armed(self) -> bool:
        return self.due is not None

    def fire_if_due(self) -> None:
        if self.due is not None and self.due <= self._clock.monotonic():
            self.due = None
            self._callback()


class ClockTimers:
    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self.made: list[ClockTimer] = []

    def __call__(self, callback: Callable[[], None]) -> ClockTimer:
        timer = ClockTimer(self._clock, callback)
        self.made.append(timer)
        return timer

    def run(self, seconds: int) -> None:
        for _ in range(seconds):
            self._clock.advance(1)
            for timer in list(self.made):
                timer.fire_if_due()


class Running:
    """The app on ``data`` and one guided session of ``sets`` sets in it."""

    def __init__(self, qtbot: QtBot, data: Path, sets: int = 3) -> None:
        paths = AppPaths.under(data)
        paths.create_folders()
        self.clock = FakeClock()
        self.timers = ClockTimers(self.clock)
        qt = QApplication.instance()
        assert isinstance(qt, QApplication)
        self.app = App(
            qt,
            paths,
            load_bundled_exercise(),
            outside=Outside(
                clock=self.clock,
                wake_timer=self.timers,
                ticker=FakeTickers(),
                use_tray=False,
                alarm=FakeAlarm,
                detect_idle=None,
            ),
        )
        self.completed: list[CompletedSet] = []
        self.app.runner.set_completed.connect(self.completed.append)
        qtbot.addWidget(self.app.session_window())
        self.start(sets)

    def start(self, sets: int) -> None:
        """A guided session of ``sets`` sets that runs on its own timers."""
        self.app.flow.open("recovery")
        self.app.flow.start(StartRequest("recovery", Target(sets, 6, 3), TempoMode.GUIDED))
        assert self.app.runner.ready()

    def run_until_sets(self, count: int) -> None:
        for _ in range(3000):
            if len(self.completed) >= count:
                return
            self.timers.run(1)
        raise AssertionError(f"only {len(self.completed)} sets completed")

    @property
    def problem(self) -> str:
        window = self.app.session_window()
        return window.problem.text() if window.problem.isVisibleTo(window) else ""


def stored(database: Path) -> list[tuple[str, int]]:
    """(session, set) on disk in the order written, read as another process would."""
    connection = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute("SELECT session_id, set_index FROM sets ORDER BY id")
        return [(row[0], row[1]) for row in found]
    finally:
        connection.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(AppPaths.under(folder).database):
        pass  # an existing history, as after any earlier run
    return folder


def test_sets_finished_while_the_file_is_locked_are_saved_in_order_once_it_is_free(
    qtbot: QtBot, data: Path
) -> None:
    database = AppPaths.under(data).database
    with HeldLock(database) as lock:
        running = Running(qtbot, data, sets=2)
        notice = running.app.standing_notice()
        assert str(database) in notice
        assert "in use by another program" in notice
        assert running.app.store is None

        running.run_until_sets(2)
        assert stored(database) == []
        assert "waits in memory with 3 other unsaved changes" in running.problem
        assert str(database) in running.problem
        running.timers.run(300)  # five minutes of tries against the held lock (session over)
        assert stored(database) == []
        keeper = next(t for t in running.timers.made if t.delays and max(t.delays) >= 30)
        assert keeper.delays == sorted(keeper.delays), "tries come less and less often"
        assert max(keeper.delays) <= 60, "but at least once a minute"

        lock.release()
    running.timers.run(60)
    session = running.completed[0].session_id
    assert stored(database) == [(session, 1), (session, 2)]
    assert running.app.store is not None
    assert "saved" in running.problem
    assert str(database) in running.problem
    assert running.app.standing_notice() == ""

    running.start(2)  # a set after that is saved the moment it is done
    running.run_until_sets(3)
    second = running.completed[2].session_id
    assert stored(database) == [(session, 1), (session, 2), (second, 1)]
    assert running.problem == ""
    running.app.close()


def test_what_cannot_be_saved_by_exit_is_named_in_the_log_and_a_notification(
    qtbot: QtBot, data: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    notified: list[tuple[str, str]] = []

    def show(_self: object, title: str, body: str, _actions: object) -> bool:
        notified.append((title, body))
        return True

    monkeypatch.setattr(DesktopNotifications, "show", show)
    database = AppPaths.under(data).database
    with HeldLock(database):
        running = Running(qtbot, data)
        running.run_until_sets(2)
        session = running.completed[0].session_id
        with caplog.at_level(logging.ERROR):
            running.app.close()
    said = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert f"set 1 of session {session}" in said
    assert f"set 2 of session {session}" in said
    assert str(database) in said
    assert stored(database) == []
    ((title, body),) = notified
    assert title == "Not everything could be saved"
    (listed,) = [r.getMessage() for r in caplog.records if "at exit" in r.getMessage()]
    count = len(listed.split(" at exit: ", 1)[1].split("; "))
    assert body.startswith(f"{count} changes could not be saved to {database}")
