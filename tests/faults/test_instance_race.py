"""Two launches of the real app at the same instant, 20 times: exactly one runs.

Real app processes, not just the ``InstanceServer``: each child imports the app first (the
slow part, so both are equally warm), then blocks reading a pipe shared by the pair. Closing
the pipe's write end releases both in the same instant, and each runs the command line
(``stretchbreak --data-dir DIR --no-tray``) exactly as a user's launch does. The one that
loses hands its launch over to the winner and exits 0; the winner logs "ready" once and keeps
running until it is told to quit, through the command line's own client. The pairs are
prepared ahead of the trial they race in, so their imports overlap with earlier trials.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from stretchbreak.infra.instance import send_command, socket_name
from tests.app_process import LOG_NAME, ROOT, app_env, wait_for
from tests.waiting import first_to_end

pytestmark = pytest.mark.slow

TRIALS = 20
#: Pairs importing at once while a trial runs: more only queue for the two cores.
AHEAD = 2
TIME_LIMIT = 30.0

LAUNCH = """
import sys
import stretchbreak.app.compose  # Qt and the whole app, before the start line
from stretchbreak.__main__ import main
sys.stdin.buffer.read()  # the start line: returns for both when the pipe is closed
raise SystemExit(main(sys.argv[1:]))
"""


@dataclass
class Pair:
    data: Path
    go: int
    launches: list[subprocess.Popen[str]]

    def release(self) -> None:
        os.close(self.go)


def prepare(data: Path) -> Pair:
    data.mkdir(parents=True)
    wait, go = os.pipe()
    launches = [
        subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "--data-dir", str(data), "--no-tray"],
            stdin=wait,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=app_env(),
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    os.close(wait)
    return Pair(data, go, launches)


def first_exit(launches: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    """The launch that ends first (waited for with a deadline); the other must still run."""
    first = first_to_end(launches, TIME_LIMIT)
    if first is None:
        raise AssertionError("both launches still run: neither handed over")
    return launches[first]


@pytest.fixture
def pairs(tmp_path: Path) -> Iterator[list[Pair]]:
    made: list[Pair] = []
    yield made
    for pair in made:
        for launch in pair.launches:
            launch.kill()
            launch.communicate(timeout=TIME_LIMIT)
        (Path(QDir.tempPath()) / socket_name(pair.data)).unlink(missing_ok=True)


def test_two_launches_at_the_same_instant_leave_exactly_one_running(
    tmp_path: Path, pairs: list[Pair]
) -> None:
    for trial in range(min(AHEAD, TRIALS)):
        pairs.append(prepare(tmp_path / f"trial-{trial}"))
    for trial in range(TRIALS):
        pair = pairs[trial]
        pair.release()
        loser = first_exit(pair.launches)
        (winner,) = [launch for launch in pair.launches if launch is not loser]
        _, errors = loser.communicate(timeout=TIME_LIMIT)
        assert loser.returncode == 0, f"trial {trial}: {errors}"
        log = wait_for(pair.data / LOG_NAME, "ready", winner)
        assert winner.poll() is None, f"trial {trial}: the winner stopped"
        assert log.count(": ready") == 1, f"trial {trial}: two apps got ready\n{log}"
        if trial + AHEAD < TRIALS:  # the next pairs import while this one finishes
            pairs.append(prepare(tmp_path / f"trial-{trial + AHEAD}"))
        assert send_command(socket_name(pair.data), "quit")["ok"] is True
        _, errors = winner.communicate(timeout=TIME_LIMIT)
        assert winner.returncode == 0, f"trial {trial}: {errors}"
        assert "Traceback" not in errors
