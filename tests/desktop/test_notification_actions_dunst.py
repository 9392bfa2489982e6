"""Snooze and Skip pressed on the prompt's notification in a real notification server.

dunst shows the notification's actions in its context menu (``dunstctl context``, what a dunst
user binds a key to), through the menu program its configuration names, ``dmenu`` by
default. Here that program is a stand-in written by the test: it keeps the menu dunst offers
and answers with the line the test picks, as a user choosing it in dmenu would. dunst then
sends ``ActionInvoked`` with that action's key, and the real app answers the prompt. Start,
dunst's default action (``dunstctl action 0``), is pressed the same way in
``test_keyboard_e2e.py``.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.app_process import ALL_DAY, LOG_NAME, cli, wait_for
from tests.desktop.conftest import (
    START_TIMEOUT_S,
    background,
    need_programs,
    private_session_bus,
    running_xvfb,
    session_env,
    wait_until,
)

pytestmark = pytest.mark.desktop

#: Stands in for dmenu: dunst writes the menu to its stdin, one ``#label (summary) [id,key]``
#: line per action, and takes the line it prints as the choice.
FAKE_DMENU = """#!/bin/sh
here=$(dirname "$0")
menu=$(cat)
printf '%s\\n' "$menu" > "$here/menu.txt"
printf '%s\\n' "$menu" | grep -F -- "$(cat "$here/pick")" | head -n 1
"""


class Dunst:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder

    def ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["dunstctl", *args], env=self.env, capture_output=True, text=True, timeout=30
        )

    def displayed(self) -> int:
        return int(self.ctl("count", "displayed").stdout.strip() or 0)

    def choose(self, label: str) -> list[str]:
        """Open the context menu and pick the action whose label starts the line; the menu
        that dunst offered."""
        (self.folder / "pick").write_text(f"#{label} (")
        assert self.ctl("context").returncode == 0
        menu = self.folder / "menu.txt"
        wait_until(menu.exists, "dunst's context menu")
        return menu.read_text().splitlines()


@pytest.fixture
def dunst(tmp_path: Path) -> Iterator[Dunst]:
    need_programs(["dunst", "dunstctl"], "dunst")
    folder = tmp_path / "dunst"
    folder.mkdir()
    menu = folder / "fake-dmenu"
    menu.write_text(FAKE_DMENU)
    menu.chmod(0o755)
    config = folder / "dunstrc"
    config.write_text(f"[global]\ndmenu = {menu}\n")
    with ExitStack() as stack:
        env = session_env(
            stack.enter_context(running_xvfb()), stack.enter_context(private_session_bus())
        )
        daemon = stack.enter_context(background(["dunst", "-config", str(config)], env))
        made = Dunst(env, folder)
        wait_until(lambda: made.ctl("debug").returncode == 0, "dunst on the bus", daemon=daemon)
        yield made


@pytest.mark.parametrize(
    ("label", "key", "outcome"),
    [("Snooze 10 min", "snooze", "snoozed"), ("Skip", "skip", "skipped")],
)
def test_an_action_chosen_in_dunst_answers_the_prompt(
    dunst: Dunst, tmp_path: Path, label: str, key: str, outcome: str
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "welcome-shown").write_text("")
    (data / "settings.toml").write_text(
        "[reminders]\ninterval_minutes = 5\nheads_up_seconds = 0\nlull_seconds = 0\n"
        f"[reminders.working_hours]\n{ALL_DAY}\n"
        "[away]\nenabled = false\n[system]\nnotifications = true\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    command = [
        *(sys.executable, "-m", "stretchbreak", "--data-dir", str(data)),
        *("--no-tray", "--speed", "60"),
    ]
    log = data / LOG_NAME
    with subprocess.Popen(
        command,
        env={**dunst.env, "HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as app:
        try:
            wait_for(log, "prompt shown", app, 60)
            wait_for(log, "notification server: actions yes", app)
            wait_until(lambda: dunst.displayed() == 1, "dunst showing the prompt", 30)
            menu = dunst.choose(label)
            assert any(line.startswith(f"#{label} (Time for a back stretch)") for line in menu)
            assert {line.rsplit(",", 1)[-1] for line in menu} >= {"snooze]", "skip]"}
            wait_for(log, f"notification action {key}", app)
            wait_until(lambda: _outcomes(data) == [outcome], f"the prompt {outcome}", 30)
        except BaseException:
            print(log.read_text(errors="replace")[-3000:] if log.exists() else "no log")
            raise
        finally:
            if app.poll() is None:
                cli(data, "quit")
                app.communicate(timeout=START_TIMEOUT_S * 6)


def _outcomes(data: Path) -> list[str] | None:
    """Every prompt's outcome in the history, as any reader of the file sees it."""
    try:
        with sqlite3.connect(data / "stretchbreak.sqlite3") as db:
            return [row[0] for row in db.execute("SELECT outcome FROM prompts ORDER BY due_at")]
    except sqlite3.Error:
        return None
