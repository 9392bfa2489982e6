"""The disk fills up in the middle of a session: the user is told, no set is lost, and the
sets that waited are written, in order, as soon as there is room again.

The data folder lives on a real, tiny tmpfs (2 MiB) mounted for the test, and "full" is real:
a filler file takes every free byte, so SQLite's next write to its WAL fails with the
kernel's ENOSPC ("database or disk is full"). Deleting the filler gives the space back. The
whole app is built in this process, as it runs (``App`` with the real store, break flow,
session runner and guided window), on a fake clock; the session runs by its own timers, fired
by hand. Mounting needs root (or CAP_SYS_ADMIN); where it is refused the test is skipped
and says so: the same queue is tested with a simulated failure in
tests/integration/test_store.py.
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.core.history import CompletedSet
from stretchbreak.core.session_values import SessionSummary, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.break_flow import StartRequest
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers

SETS = 4


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)]
    try:
        mounted = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        pytest.skip(f"cannot run mount: {error}")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk``; returns the filler, whose deletion frees them."""
    filler = disk / "filler"
    refused: list[int | None] = []
    with filler.open("wb", buffering=0) as handle:
        for chunk in (65536, 4096, 1):
            while True:
                try:
                    handle.write(b"\0" * chunk)
                except OSError as error:
                    refused.append(error.errno)
                    break
    assert refused == [errno.ENOSPC] * 3
    return filler


class Session:
    """The app, and one guided session in it that runs on its own timers."""

    def __init__(self, qtbot: QtBot, data: Path) -> None:
        paths = AppPaths.under(data)
        paths.create_folders()
        self.clock, self.timers = FakeClock(), FakeTimers()
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
        self.database = paths.database
        self.completed: list[CompletedSet] = []
        self.ended: list[SessionSummary] = []
        self.app.runner.set_completed.connect(self.completed.append)
        self.app.runner.session_ended.connect(self.ended.append)
        self.app.flow.open("recovery")
        qtbot.addWidget(self.app.session_window())
        self.app.flow.start(StartRequest("recovery", Target(SETS, 6, 3), TempoMode.GUIDED))
        assert self.app.runner.ready()  # "I'm ready": the guided cues and sets run on timers

    def run_until_sets(self, count: int) -> None:
        for _ in range(3000):  # a second at a time, as the real timers would wake
            if len(self.completed) >= count:
                return
            self.clock.advance(1)
            self.timers.fire_armed()
        raise AssertionError(f"only {len(self.completed)} sets completed")

    def finish(self) -> None:
        self.run_until_sets(SETS)
        session = self.app.runner.session
        assert session is not None
        for _ in range(600):
            if session.phase.finished:
                return
            self.clock.advance(1)
            self.timers.fire_armed()
        raise AssertionError("the session never finished")

    @property
    def problem(self) -> str:
        window = self.app.session_window()
        return window.problem.text() if window.problem.isVisibleTo(window) else ""


def stored(database: Path) -> list[int]:
    """The set numbers on disk, in the order they were written."""
    connection = sqlite3.connect(database)
    try:
        return [row[0] for row in connection.execute("SELECT set_index FROM sets ORDER BY id")]
    finally:
        connection.close()


def test_a_full_disk_is_shown_and_the_sets_land_in_order_when_space_returns(
    qtbot: QtBot, small_disk: Path
) -> None:
    session = Session(qtbot, small_disk / "data")
    session.run_until_sets(1)
    assert stored(session.database) == [1]
    assert session.problem == ""

    filler = fill(small_disk)
    session.run_until_sets(3)
    problem = session.problem
    # The latest failure is on show, with the count of what waits behind it.
    assert problem.startswith("Could not save set 3: "), problem
    assert "(database or disk is full)" in problem
    assert "kept in memory with 1 other unsaved change" in problem
    assert problem.count("kept") == 1, "said once, not twice"
    assert session.app.store is not None
    assert session.app.store.pending_count == 2
    assert stored(session.database) == [1], "nothing half-written"

    filler.unlink()
    session.finish()
    assert stored(session.database) == [1, 2, 3, 4]
    assert session.app.store.pending_count == 0
    assert session.problem == "", "the problem is withdrawn once everything is saved"
    assert session.ended[0].outcome.value == "completed"
    session.app.close()


def test_sets_still_waiting_at_quit_are_written_if_there_is_room_by_then(
    qtbot: QtBot, small_disk: Path
) -> None:
    session = Session(qtbot, small_disk / "data")
    session.run_until_sets(1)
    filler = fill(small_disk)
    session.run_until_sets(2)
    assert "full" in session.problem
    filler.unlink()
    session.app.close()  # what quitting does: the session is cut short, the log closed
    with sqlite3.connect(session.database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert stored(session.database)[:2] == [1, 2]
