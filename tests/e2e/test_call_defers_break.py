"""The real program during a real (fake) call: a break falls due while ``parec`` records from
the microphone of a private PulseAudio; it waits, then comes once after the call and the grace.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.app_process import ALL_DAY, LOG_NAME, app_command, app_env, cli, quit_app, wait_for
from tests.pulse import (
    MIC_SOURCE,
    parec,
    pulse_fixture,  # noqa: F401 - the "pulse" fixture
    stop,
)

SPEED = 60  # a 5-minute interval is 5 s, the 2-minute grace 2 s, "missed" after 10 s


def stamp(line: str) -> datetime:
    """The time at the start of a log line ("2026-12-06 20:15:26,123 INFO …")."""
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")


def lines_with(log: str, text: str) -> list[str]:
    return [line for line in log.splitlines() if text in line]


@pytest.mark.slow
def test_a_break_due_during_a_call_waits_and_comes_once_after_it(
    tmp_path: Path, pulse: dict[str, str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        "[reminders]\ninterval_minutes = 5\nheads_up_seconds = 0\nlull_seconds = 0\n"
        f"[reminders.working_hours]\n{ALL_DAY}\n[away]\nenabled = false\n"
        # The microphone is the one signal watched: a developer's own desktop (its
        # do-not-disturb, a fullscreen window, a camera) cannot change the outcome.
        "[defer]\ncamera = false\nfullscreen = false\ndo_not_disturb = false\n"
    )
    # The app reaches only the test's sound server.
    env = {**app_env(), "PULSE_SERVER": pulse["PULSE_SERVER"]}
    log_path = data / LOG_NAME
    meeting = parec(pulse, MIC_SOURCE)
    try:
        with subprocess.Popen(
            app_command(data, "--speed", str(SPEED)),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as app:
            try:
                wait_for(log_path, "ready", app)
                # Due 5 s after the start; with no lull and no heads-up it would show at once.
                log = wait_for(log_path, "deferred (microphone)", app)
                assert "prompt shown" not in log
                status = cli(data, "status", "--json")
                assert status.returncode == 0, status.stderr
                assert json.loads(status.stdout)["deferred_by"] == ["microphone"]
                assert "prompt shown" not in log_path.read_text()
                stop(meeting)
                call_ended = datetime.now()
                log = wait_for(log_path, "prompt shown", app)
                [shown] = lines_with(log, "prompt shown")
                # At least the grace (2 min at ×60) after the call ended.
                assert (stamp(shown) - call_ended).total_seconds() >= 120 / SPEED - 0.2
                # Unanswered, it is missed after its ten minutes (10 s): and never shown twice.
                log = wait_for(log_path, ": missed", app, seconds=60)
                until_missed = log[: log.index(": missed")]
                assert len(lines_with(until_missed, "prompt shown")) == 1
                quit_app(data, app)
            finally:
                app.kill()
    finally:
        stop(meeting)
    with sqlite3.connect(data / "stretchbreak.sqlite3") as connection:
        rows = connection.execute(
            "SELECT due_at, outcome, reason FROM prompts ORDER BY id"
        ).fetchall()
    connection.close()
    assert [(outcome, reason) for _, outcome, reason in rows[:2]] == [
        ("deferred", "microphone"),
        ("missed", None),
    ]
    assert rows[0][0] == rows[1][0]  # one break: the same due time
