"""The welcome on a real desktop: it waits while the user types, then appears without taking
the keyboard, and every window's title names the app once as the window manager shows it.

Xvfb, openbox and xdotool are real; the Qt side runs in a child process on that display
(the xcb platform), with the real X11 idle backend and real timers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.conftest import (
    LineChild,
    line_child,
    need_programs,
    private_session_bus,
    running_openbox,
    running_xvfb,
    session_env,
    wait_until,
)

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
#: A short lull, so the test need not type for long: the welcome waits for 1 s without keys.
LULL_S = 1.0
#: Typed with a key every 150 ms: never a second's pause while it lasts (about 4 s).
TYPED = "typing along without a pause to speak of"

WELCOME_CHILD = r"""
import json
import os
import sys
import time

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

app = QApplication([sys.argv[0], "-name", "stretchbreak-test"])
app.setApplicationDisplayName("stretchbreak")

from stretchbreak.core.clock import SystemClock
from stretchbreak.infra.idle import X11Idle
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.calm_moment import CalmMoment
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import qt_ticker, qt_wake_timer
from stretchbreak.ui.session_window import SessionWindow
from stretchbreak.ui.welcome import WelcomeInfo, WelcomeWindow

editor = QLineEdit()
editor.setWindowTitle("editor")
editor.resize(320, 40)
editor.show()
editor.activateWindow()
welcome = WelcomeWindow(WelcomeInfo("Your first break comes today at 10:50.", "Mon–Fri", "x"))
calm = CalmMoment(X11Idle(os.environ["DISPLAY"]), float(sys.argv[1]), qt_wake_timer)
calm.arrived.connect(welcome.open_calmly)
guided = None


def answer(**values):
    print(json.dumps(values), flush=True)


def until_editor_active():
    if editor.isActiveWindow() and editor.hasFocus():
        waiting.stop()
        answer(editor=int(editor.winId()))


def until_welcome_exposed():
    handle = welcome.windowHandle()
    if handle is not None and handle.isExposed():
        exposed.stop()
        answer(welcome=int(welcome.winId()), shown_at=time.monotonic())


waiting = QTimer(interval=10)
waiting.timeout.connect(until_editor_active)
waiting.start()
exposed = QTimer(interval=10)
exposed.timeout.connect(until_welcome_exposed)
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)


def on_input():
    global guided
    line = sys.stdin.readline().strip()
    if not line:
        notifier.setEnabled(False)
        app.quit()
    elif line == "calm":
        calm.wait()
        exposed.start()
        answer(waiting=calm.waiting)
    elif line == "guided":
        runner = SessionRunner(SystemClock(), qt_wake_timer)
        guided = SessionWindow(load_bundled_exercise(), runner, qt_ticker)
        guided.show()
        app.processEvents()
        answer(guided=int(guided.winId()))
    else:
        active = app.activeWindow()
        answer(
            text=editor.text(),
            active=active.windowTitle() if active else None,
            welcome_visible=welcome.isVisible(),
        )


notifier.activated.connect(on_input)
app.exec()
"""


@pytest.fixture
def session() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def test_the_welcome_waits_for_a_pause_in_typing_and_leaves_the_keyboard(
    session: ExitStack,
) -> None:
    need_programs(["openbox", "xdotool", "xprop"], "openbox xdotool x11-utils")
    display = session.enter_context(running_xvfb())
    env = session_env(display, session.enter_context(private_session_bus()))
    session.enter_context(running_openbox(env))

    def run(*args: str) -> str:
        return subprocess.run(
            list(args), env=env, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()

    child: LineChild = session.enter_context(
        line_child([sys.executable, "-c", WELCOME_CHILD, str(LULL_S)], env, ROOT)
    )
    editor = child.read_json("the editor taking the keyboard")["editor"]

    run("xdotool", "type", "--delay", "1", "a")  # the user is typing already
    typing = subprocess.Popen(["xdotool", "type", "--delay", "150", TYPED], env=env)
    child.send("calm")
    assert child.read_json("the welcome waiting")["waiting"] is True, "not while typing"
    assert typing.wait(timeout=60) == 0
    typing_ended = time.monotonic()
    shown = child.read_json("the welcome on screen", timeout_s=30)
    assert shown["shown_at"] >= typing_ended, "it appeared only after the typing stopped"

    run("xdotool", "type", "--delay", "1", "!")
    state: dict[str, Any] = {}

    def typed() -> bool:
        child.send("report")
        state.update(child.read_json("the editor's text"))
        return bool(state["text"] == f"a{TYPED}!")

    wait_until(typed, "every key in the editor, the welcome up but not in the way")
    assert state["welcome_visible"] is True
    assert state["active"] == "editor"
    assert int(run("xdotool", "getwindowfocus")) == editor

    title = run("xprop", "-id", str(shown["welcome"]), "_NET_WM_NAME")
    assert title.endswith('"Welcome — stretchbreak"'), title
    child.send("guided")
    guided = child.read_json("the guided window")["guided"]
    title = run("xprop", "-id", str(guided), "_NET_WM_NAME")
    assert title.endswith('"Dynamic Back Stretch — stretchbreak"'), title
    assert child.close() == 0, child.stderr
