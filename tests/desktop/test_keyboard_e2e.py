"""A whole prompted break with the keyboard alone, on a real desktop, with real key presses.

Xvfb with openbox as the window manager, dunst as the notification server, at-spi2 as the
accessibility bus, and the real program at ``--speed 60``. Every step is an XTEST key press
(``xdotool key``); nothing calls a slot. The prompt is answered through the notification's
action: openbox binds Ctrl+Alt+N to ``dunstctl action 0`` (what a dunst user binds a key to),
which invokes the notification's default action, Start. Where the keyboard is, is read from
the accessibility bus, as a screen reader reads it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.app_process import ALL_DAY, LOG_NAME, wait_for
from tests.desktop.conftest import (
    LAUNCHER,
    START_TIMEOUT_S,
    SYSTEM_PYTHON,
    a11y_bus_up,
    background,
    need_programs,
    private_session_bus,
    pyatspi_available,
    running_openbox,
    running_xvfb,
    session_env,
    wait_until,
)
from tests.desktop.test_accessibility_tree import HERE

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
WINDOW = "Dynamic Back Stretch"
OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <keyboard>
    <keybind key="C-A-n">
      <action name="Execute"><command>dunstctl action 0</command></action>
    </keybind>
    <keybind key="A-F4"><action name="Close"/></keybind>
  </keyboard>
  <focus><focusNew>yes</focusNew></focus>
</openbox_config>
"""


class Desktop:
    def __init__(self, env: dict[str, str], app_env: dict[str, str]) -> None:
        self.env = env
        self.app_env = app_env

    def key(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(
                ["xdotool", "key", "--clearmodifiers", key],
                env=self.env,
                check=True,
                timeout=START_TIMEOUT_S,
            )

    def notification_displayed(self) -> bool:
        out = subprocess.run(
            ["dunstctl", "count", "displayed"], env=self.env, capture_output=True, text=True
        )
        return out.stdout.strip() not in ("", "0")

    def focused(self) -> dict[str, Any]:
        out = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), "focused", "stretchbreak"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S * 3,
        )
        answer = (
            json.loads(out.stdout or "{}") if out.stdout.strip() else {"error": out.stderr[-600:]}
        )
        assert isinstance(answer, dict)
        return answer

    def wait_focus(self, window: str, name: str | None = None) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        def there() -> bool:
            seen.clear()
            seen.update(self.focused())
            return str(seen.get("window")).startswith(window) and (
                name is None or seen.get("name") == name
            )

        try:
            wait_until(there, f"the keyboard in {window!r} on {name!r}", 30)
        except BaseException:
            print("last seen:", seen)
            raise
        return seen

    def tab_to(self, window: str, name: str, limit: int = 40) -> int:
        """Press Tab until the control named ``name`` has the keyboard; how many presses."""
        trail = []
        for presses in range(1, limit + 1):
            self.key("Tab")
            seen = self.focused()
            trail.append((seen.get("role"), seen.get("name")))
            if seen.get("name") == name and str(seen.get("window")).startswith(window):
                return presses
        out = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), "tree", "stretchbreak"],
            env=self.env,
            capture_output=True,
            text=True,
        ).stdout
        nodes = json.loads(out)["nodes"]
        print([(n["path"], n["role"], n["name"]) for n in nodes if n["focusable"] and n["showing"]])
        pytest.fail(f"Tab never reached {name!r} in {window!r}; on the way: {trail}")


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    need_programs(
        ["openbox", "xdotool", "dunst", "dunstctl", "busctl", "xprop"],
        "openbox xdotool dunst systemd x11-utils",
    )
    if not pyatspi_available():
        pytest.skip("at-spi2 missing: apt-get install -y at-spi2-core python3-pyatspi")
    with ExitStack() as stack:
        display = stack.enter_context(running_xvfb())
        env = session_env(display, stack.enter_context(private_session_bus()))
        launcher = stack.enter_context(background([LAUNCHER, "--launch-immediately"], env))
        wait_until(lambda: a11y_bus_up(env), "the at-spi2 bus", daemon=launcher)
        dunst = stack.enter_context(background(["dunst"], env))
        wait_until(
            lambda: (
                subprocess.run(["dunstctl", "debug"], env=env, capture_output=True).returncode == 0
            ),
            "dunst on the private bus",
            daemon=dunst,
        )
        rc = tmp_path / "openbox-rc.xml"
        rc.write_text(OPENBOX_RC)
        stack.enter_context(running_openbox(env, rc))
        home = tmp_path / "home"
        home.mkdir()
        app_env = {**env, "HOME": str(home), "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        yield Desktop(env, app_env)


def test_a_prompted_break_from_notification_to_export_by_keyboard_alone(
    desktop: Desktop, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        "[reminders]\ninterval_minutes = 5\nheads_up_seconds = 0\nlull_seconds = 0\n"
        f"[reminders.working_hours]\n{ALL_DAY}\n"
        '[break]\ngoal = "desk-reset"\ntempo = "guided"\nrest_seconds = 0\n'
        "[away]\nenabled = false\n[system]\nnotifications = true\n"
    )
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "--speed", "60"]
    log = data / LOG_NAME
    with subprocess.Popen(
        command,
        env=desktop.app_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    ) as app:
        try:
            wait_for(log, "prompt shown", app, 60)
            wait_for(log, "notification server: actions yes", app)
            wait_until(desktop.notification_displayed, "dunst showing the notification", 30)
            # The prompt took no keyboard; the user's key for "the notification's action".
            desktop.key("ctrl+alt+n")
            wait_for(log, "notification action default", app)
            desktop.wait_focus(WINDOW, "Start the session")
            desktop.key("Return")  # Start
            # The Start button went with its view: the window holds the keyboard, and Enter
            # is the setup view's main action, Ready.
            wait_until(lambda: desktop.focused().get("name") is None, "the setup view", 30)
            desktop.key("Return")  # Ready
            wait_until(lambda: _column(data, "outcome") == "completed", "a finished session", 120)
            desktop.wait_focus(WINDOW)
            desktop.key("2")  # how it felt: just right
            wait_until(lambda: _column(data, "feeling") == "just-right", "the feeling logged", 30)

            desktop.tab_to(WINDOW, "Open the history of your sessions")
            desktop.key("space")
            history = "History"
            desktop.wait_focus(history)
            desktop.tab_to(history, "Export CSV…")
            desktop.key("space")
            # Qt's own file dialog, its name box filled in with the suggested file: Enter.
            desktop.wait_focus("Export history")
            desktop.key("Return")
            home = Path(desktop.app_env["HOME"])
            wait_until(lambda: any(home.glob("stretchbreak-history-*.csv")), "the export file", 30)
            (export,) = home.glob("stretchbreak-history-*.csv")
            assert "just-right" in export.read_text()
            desktop.key("Escape")  # close History
            desktop.wait_focus(WINDOW, "Open the history of your sessions")
            desktop.tab_to(WINDOW, "Open the settings")
            desktop.key("space")
            desktop.wait_focus("Settings")
            desktop.key("Escape")
            desktop.wait_focus(WINDOW)
            desktop.key("Return")  # Done: the window closes
        except BaseException:
            lines = log.read_text(errors="replace").splitlines() if log.exists() else []
            print("\n".join(line for line in lines if "apscheduler" not in line)[-4000:])
            raise
        finally:
            app.terminate()
            app.wait(timeout=30)


def _column(data: Path, column: str) -> str | None:
    """The latest session's ``column`` (outcome, feeling), read as any other reader would."""
    try:
        with sqlite3.connect(data / "stretchbreak.sqlite3") as db:
            row = db.execute(f"SELECT {column} FROM sessions ORDER BY started_at DESC").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]


def test_alt_f4_during_a_set_asks_first_like_esc(desktop: Desktop, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('[break]\ngoal = "recovery"\ntempo = "guided"\n')
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "--no-tray", "break"]
    with subprocess.Popen(
        command,
        env=desktop.app_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    ) as app:
        try:
            desktop.wait_focus(WINDOW, "Start the session")
            desktop.key("Return")  # Start
            wait_until(lambda: desktop.focused().get("name") is None, "the setup view", 30)
            desktop.key("Return")  # Ready: the first rep begins
            wait_until(
                lambda: _column(data, "id") is not None and _column(data, "outcome") is None,
                "a session under way",
                30,
            )
            desktop.key("alt+F4")  # the window manager's close
            desktop.wait_focus(WINDOW, "End session")  # asked first, not closed
            desktop.key("Escape")  # keep going
            desktop.key("alt+F4")
            desktop.wait_focus(WINDOW, "End session")
            desktop.key("Return")  # end it
            wait_until(lambda: _column(data, "outcome") == "cancelled", "the session ended", 30)
            assert app.poll() is None  # the app goes on; only the session ended
        finally:
            app.terminate()
            app.wait(timeout=30)
