"""A first start with ``break``, on a real desktop: the guided window the user asked for is in
front and has the keyboard; the welcome waits until it closes, and then comes on top.

Xvfb with openbox, the real program on a fresh data folder. Which window is where is read
from the window manager as any pager reads it: ``_NET_CLIENT_LIST_STACKING`` (bottom to top)
and ``_NET_ACTIVE_WINDOW`` on the root window, each window's ``_NET_WM_NAME`` and
``_NET_WM_PID``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.app_process import LOG_NAME
from tests.desktop.conftest import (
    START_TIMEOUT_S,
    need_programs,
    private_session_bus,
    running_openbox,
    running_xvfb,
    session_env,
    wait_until,
)

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
#: Window titles start with these (Qt adds " — stretchbreak", the app's display name).
GUIDED = "Dynamic Back Stretch"
WELCOME = "Welcome"


def titled(names: list[str], title: str) -> bool:
    return any(name.startswith(title) for name in names)


class Screen:
    """What the window manager says about the windows of one process."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.pid = 0

    def _root(self, prop: str) -> list[int]:
        out = self._xprop("-root", prop)
        return [int(found, 16) for found in re.findall(r"0x[0-9a-f]+", out)]

    def _xprop(self, *args: str) -> str:
        return subprocess.run(
            ["xprop", *args], env=self.env, capture_output=True, text=True, timeout=START_TIMEOUT_S
        ).stdout

    def _name(self, window: int) -> str:
        out = self._xprop("-id", hex(window), "_NET_WM_NAME")
        found = re.search(r'= "(.*)"', out)
        return found.group(1) if found else ""

    def _ours(self, window: int) -> bool:
        out = self._xprop("-id", hex(window), "_NET_WM_PID")
        return out.strip().endswith(f"= {self.pid}")

    def stacking(self) -> list[str]:
        """The names of the process's managed windows, bottom to top."""
        return [self._name(w) for w in self._root("_NET_CLIENT_LIST_STACKING") if self._ours(w)]

    def active(self) -> str:
        windows = self._root("_NET_ACTIVE_WINDOW")
        return self._name(windows[0]) if windows and windows[0] else ""


@pytest.fixture
def screen() -> Iterator[Screen]:
    need_programs(["openbox", "xprop", "xdotool"], "openbox x11-utils xdotool")
    with ExitStack() as stack:
        display = stack.enter_context(running_xvfb())
        env = session_env(display, stack.enter_context(private_session_bus()))
        stack.enter_context(running_openbox(env))
        yield Screen(env)


def test_a_first_start_with_break_shows_the_guided_window_first_then_the_welcome(
    screen: Screen, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # No wait for a pause in typing: the welcome may come the moment nothing holds it back.
    (data / "settings.toml").write_text("[reminders]\nlull_seconds = 0\n")
    home = tmp_path / "home"
    home.mkdir()
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "--no-tray", "break"]
    log = data / LOG_NAME
    with subprocess.Popen(
        command,
        env={**screen.env, "HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    ) as app:
        screen.pid = app.pid
        try:
            wait_until(lambda: screen.active().startswith(GUIDED), "the guided window active", 60)

            def welcome_decided() -> bool:
                text = log.read_text(errors="replace") if log.exists() else ""
                return "welcome shown" in text or "the welcome waits for the guided" in text

            wait_until(welcome_decided, "the welcome shown or waiting", 30)
            stack = screen.stacking()
            assert not titled(stack, WELCOME), f"the welcome is stacked with the guided: {stack}"
            assert stack[-1].startswith(GUIDED), stack
            assert screen.active().startswith(GUIDED)

            subprocess.run(["xdotool", "key", "Escape"], env=screen.env, check=True, timeout=30)
            wait_until(
                lambda: titled(screen.stacking(), WELCOME), "the welcome after the break", 30
            )
            stack = screen.stacking()
            assert not titled(stack, GUIDED), stack
            assert stack[-1].startswith(WELCOME), f"the welcome is not on top: {stack}"
        except BaseException:
            print(log.read_text(errors="replace")[-4000:] if log.exists() else "no log")
            raise
        finally:
            app.terminate()
            app.wait(timeout=30)
