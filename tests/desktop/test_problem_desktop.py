"""A settings problem on a real desktop: a notification that a real notification server
shows, with a default action (a click), and the problem in the tray tooltip."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.conftest import (
    LineChild,
    background,
    line_child,
    need_programs,
    private_session_bus,
    running_xvfb,
    session_env,
    wait_until,
)
from tests.desktop.test_tray_desktop import WATCHER, parse_history

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = "The settings file has 1 problem"
DETAIL = "Monday: “9-17” is not a time range like 09:00-17:00"

PROBLEM_CHILD = r"""
import json
import sys
import time

from PySide6.QtCore import QEventLoop, QSocketNotifier
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication([sys.argv[0], "-name", "stretchbreak-test"])

from stretchbreak.infra.resources import resources_dir
from stretchbreak.ui.tray import TrayIcon, TrayIntents, TrayState, TrayStatus

STATUS = TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)


def answer(**values):
    print(json.dumps(values), flush=True)


deadline = time.monotonic() + 5
while not QSystemTrayIcon.isSystemTrayAvailable() and time.monotonic() < deadline:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 10)
intents = TrayIntents()
tray = TrayIcon(resources_dir() / "icons", lambda: STATUS, lambda: [], intents)
tray.show()
tray.show_problem(sys.argv[1], sys.argv[2])
answer(tooltip=tray.icon.toolTip())
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(lambda: sys.stdin.readline() or app.quit())
app.exec()
"""


@pytest.fixture
def session() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def test_a_settings_problem_reaches_the_notification_server_and_the_tooltip(
    session: ExitStack,
) -> None:
    need_programs(["dunst", "dunstctl", "busctl", "dbus-send"], "dunst dbus systemd")
    display = session.enter_context(running_xvfb())
    bus = session.enter_context(private_session_bus())
    env = session_env(display, bus)

    def dunstctl(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["dunstctl", *args], env=env, capture_output=True, text=True, timeout=10
        )

    dunst = session.enter_context(background(["dunst"], env))
    wait_until(lambda: dunstctl("debug").returncode == 0, "dunst on the private bus", daemon=dunst)
    watcher: LineChild = session.enter_context(
        line_child([sys.executable, "-c", WATCHER, bus], env, ROOT)
    )
    assert watcher.read_line("the fake StatusNotifierWatcher") == "ready"
    child: LineChild = session.enter_context(
        line_child([sys.executable, "-c", PROBLEM_CHILD, SUMMARY, DETAIL], env, ROOT)
    )
    tooltip = child.read_json("the tray with the problem")["tooltip"]
    assert tooltip.endswith(f"\n⚠ {SUMMARY}")
    wait_until(lambda: dunstctl("count", "displayed").stdout.strip() == "1", "dunst shows it")
    # dunst lists in its history only what was closed (or timed out), not what it shows.
    assert dunstctl("close-all").returncode == 0
    history: list[dict[str, Any]] = []

    def in_history() -> bool:
        history[:] = parse_history(dunstctl("history").stdout)
        return any(item["summary"] == SUMMARY for item in history)

    wait_until(in_history, "the problem in dunstctl history")
    (item,) = [item for item in history if item["summary"] == SUMMARY]
    hint = "The first entry of the tray menu opens Settings at this problem."
    assert item["body"] == f"{DETAIL}\n{hint}"
    # Qt's balloon: the fallback where no notification server takes the app's own
    # notification with actions (test_problem_notification_e2e shows that path).
    assert item["default_action_name"] == "default"
    assert child.close() == 0, child.stderr
