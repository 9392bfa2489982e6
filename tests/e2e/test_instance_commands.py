"""One running app steered from the command line, as a user's script would do it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_process import ALL_DAY, cli, wait_for


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """The app in its tray-less form, every hour a working hour, 600 times faster."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        "[reminders]\ninterval_minutes = 5\nheads_up_seconds = 60\n"
        f"[reminders.working_hours]\n{ALL_DAY}\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "--speed", "60"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as app:
        try:
            wait_for(data / "logs" / "stretchbreak.log", "ready", app)
            yield data, app
        finally:
            app.kill()


@pytest.mark.slow
def test_status_pause_resume_and_quit(running: tuple[Path, subprocess.Popen[str]]) -> None:
    data, app = running
    status = cli(data, "status", "--json")
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert set(shown) == {"state", "next_prompt_at", "paused_until", "deferred_by"}
    assert shown["deferred_by"] == []
    assert shown["state"] == "active"
    assert shown["next_prompt_at"] is not None

    assert cli(data, "pause", "30").returncode == 0
    paused = json.loads(cli(data, "status", "--json").stdout)
    assert paused["state"] == "paused"
    assert paused["paused_until"] is not None
    assert cli(data, "resume").returncode == 0
    assert json.loads(cli(data, "status", "--json").stdout)["state"] == "active"

    assert cli(data, "quit").returncode == 0
    assert app.wait(timeout=30) == 0


@pytest.mark.slow
def test_a_prompt_comes_after_the_interval(running: tuple[Path, subprocess.Popen[str]]) -> None:
    data, _ = running
    # 5 minutes at ×60 is 5 s; the heads-up comes a second earlier.
    log = wait_for(data / "logs" / "stretchbreak.log", "prompt shown", running[1], seconds=30)
    assert "heads-up" in log


@pytest.mark.slow
def test_a_second_launch_hands_over_and_exits(running: tuple[Path, subprocess.Popen[str]]) -> None:
    data, app = running
    second = cli(data, "break", "--goal", "recovery")
    assert second.returncode == 0, second.stderr
    assert app.poll() is None


def test_commands_without_a_running_app(tmp_path: Path) -> None:
    status = cli(tmp_path, "status")
    assert status.returncode == 3
    assert "not running" in status.stderr
    assert cli(tmp_path, "pause", "30").returncode == 1
    bad = cli(tmp_path, "pause", "0")
    assert bad.returncode == 2
    assert bad.stderr.startswith("usage: stretchbreak")


@pytest.mark.slow
def test_separate_data_folders_are_separate_apps(
    running: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    data, _ = running
    other = tmp_path / "other"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(other), "--no-tray"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as second:
        try:
            wait_for(other / "logs" / "stretchbreak.log", "ready", second)
            assert second.poll() is None, "a second data folder starts its own app"
            assert cli(other, "pause", "--until-tomorrow").returncode == 0
            assert json.loads(cli(other, "status", "--json").stdout)["state"] == "paused"
            assert json.loads(cli(data, "status", "--json").stdout)["state"] == "active"
            assert cli(other, "quit").returncode == 0
            assert second.wait(timeout=30) == 0
        finally:
            second.kill()
