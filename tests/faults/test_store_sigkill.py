"""A process killed with SIGKILL loses no set it had committed, and leaves a healthy file.

A real child process writes sets in a tight loop and prints each one after ``record_set``
returns. It is killed at 20 points chosen by a seeded generator, most of them while it is
in the middle of its next write; the same database carries over from kill to kill, so each
child also opens a file whose last writer died (a hot WAL).
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stretchbreak.infra.store import Store
from tests.app_process import ROOT

KILLS = 20
SEED = 20261124
#: How long one child may take to print its lines: generous, as a loaded CI machine is slow.
CHILD_PATIENCE_S = 120.0

CHILD = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stretchbreak.core.history import CompletedSet, Source
from stretchbreak.core.session_values import SessionStarted, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.store import Store
from tests.app_process import ROOT

store = Store.open(Path(sys.argv[1]))
run = sys.argv[2]
t0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
print("ready", flush=True)
n = 0
while True:
    session, index = f"{run}-{n // 5}", n % 5 + 1
    at = t0 + timedelta(minutes=n)
    if index == 1:
        store.record_session_started(SessionStarted(
            session, "ex", "g", Target(5, 6, 3), TempoMode.GUIDED, Source.MANUAL, at))
    store.record_set(CompletedSet(
        session, "ex", "g", index, 6, 3, at, at + timedelta(seconds=40), 40.0, 0.0,
        Source.MANUAL))
    sys.stdout.write(f"{session}:{index}\\n")
    sys.stdout.flush()
    n += 1
"""


class Child:
    """The writing process, and the lines it printed, read with a deadline (never a sleep)."""

    def __init__(self, path: Path, run: str, stderr: Path) -> None:
        self._stderr_path = stderr
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), run],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""
        self.lines: list[str] = []

    def read_until(self, count: int, deadline: float) -> None:
        """Wait until ``count`` complete lines have arrived."""
        while len(self.lines) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"child too slow: {len(self.lines)} of {count} lines")
            if self._selector.select(timeout=remaining) and not self._read():
                pytest.fail(f"child ended on its own: {self._stderr_path.read_text()}")

    def kill_and_drain(self) -> None:
        """SIGKILL, then keep every complete line it printed before dying."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        while self._read():
            pass
        self._selector.close()
        assert self.process.stdout is not None
        self.process.stdout.close()
        self._stderr.close()

    def _read(self) -> bool:
        chunk = os.read(self._fd, 65536)
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\n")
        self.lines.extend(line.decode() for line in complete)
        return bool(chunk)


@pytest.mark.slow
def test_sigkill_never_loses_a_committed_set(tmp_path: Path) -> None:
    path = tmp_path / "data" / "stretchbreak.sqlite3"
    rng = random.Random(SEED)
    committed: set[tuple[str, int]] = set()
    for run in range(KILLS):
        # After "ready": 0 sets (killed while idle or on its first write) up to 80 sets.
        after = rng.choice([0, rng.randint(1, 10), rng.randint(10, 80)])
        child = Child(path, f"r{run}", tmp_path / f"child-{run}.err")
        try:
            child.read_until(1 + after, time.monotonic() + CHILD_PATIENCE_S)
        finally:
            child.kill_and_drain()  # also when reading failed: no process or file left open
        assert child.process.returncode == -signal.SIGKILL
        assert child.lines[0] == "ready"
        for line in child.lines[1:]:
            session, index = line.rsplit(":", 1)
            committed.add((session, int(index)))

    assert len(committed) > KILLS
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()
    with Store.open(path) as store:
        stored = {(s.session_id, s.set_index) for r in store.sessions() for s in r.sets}
    assert committed <= stored
