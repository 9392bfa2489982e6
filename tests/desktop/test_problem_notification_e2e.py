"""A broken settings value in the real app, on a desktop with a real notification server:
the notification names the problem, and its default action (what a click or dunst's action
key sends) opens Settings at that field."""

from __future__ import annotations

import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.app_process import ALL_DAY, LOG_NAME, cli, wait_for
from tests.desktop.conftest import (
    background,
    need_programs,
    private_session_bus,
    running_xvfb,
    session_env,
    wait_until,
)

pytestmark = pytest.mark.desktop

SUMMARY = "The settings file has 1 problem"


def test_the_problem_notification_opens_settings_at_the_field(tmp_path: Path) -> None:
    need_programs(["dunst", "dunstctl"], "dunst")
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "welcome-shown").write_text("")
    hours = ALL_DAY.replace('mon = ["00:00-23:59"]', 'mon = ["9-17"]')
    (data / "settings.toml").write_text(f"[reminders.working_hours]\n{hours}\n")
    with ExitStack() as stack:
        env = session_env(
            stack.enter_context(running_xvfb()), stack.enter_context(private_session_bus())
        )

        def dunstctl(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["dunstctl", *args], env=env, capture_output=True, text=True, timeout=10
            )

        dunst = stack.enter_context(background(["dunst"], env))
        wait_until(lambda: dunstctl("debug").returncode == 0, "dunst on the bus", daemon=dunst)
        home = tmp_path / "home"
        home.mkdir()
        app_env = {**env, "HOME": str(home)}
        command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "--no-tray"]
        with subprocess.Popen(
            command, env=app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as app:
            try:
                wait_for(data / LOG_NAME, "settings problem reported in the app", app, 60)
                wait_until(lambda: dunstctl("count", "displayed").stdout.strip() == "1", "shown")
                assert dunstctl("action", "0").returncode == 0  # the default action: a click
                log = wait_for(data / LOG_NAME, "settings opened at", app, 60)
                assert "settings opened at reminders.working_hours.mon" in log
            finally:
                if app.poll() is None:
                    cli(data, "quit")
                    app.communicate(timeout=60)
