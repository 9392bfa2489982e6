"""Under a real window manager on a small screen, the guided window opens whole, frame and all,
even where it was last left hanging off the bottom of a taller screen."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.desktop.conftest import (
    line_child,
    need_programs,
    private_session_bus,
    running_openbox,
    running_xvfb,
    session_env,
)

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]

#: Remembers the guided window at y = 195 with 720 px of height (as on a 900-px screen), then
#: opens it as the app does on this 768-px one and reports once the frame is drawn around it.
CHILD = r"""
import json
import sys
import time

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

app = QApplication([sys.argv[0], "-name", "stretchbreak-test"])

from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.ui.session_window import SessionWindow
from tests.fakes import FakeClock, FakeTickers, FakeTimers

state = sys.argv[1]
exercise = load_bundled_exercise()
runner = SessionRunner(FakeClock(), FakeTimers())
probe = SessionWindow(exercise, runner, FakeTickers())
probe.setGeometry(200, 195, 960, 720)
settings = QSettings(state, QSettings.Format.IniFormat)
settings.setValue("session_window/geometry", probe.saveGeometry())
settings.sync()
window = SessionWindow(exercise, runner, FakeTickers(), state_file=state)
window.present()


def framed():
    handle = window.windowHandle()
    return bool(handle and handle.isExposed() and window.frameGeometry() != window.geometry())


deadline = time.monotonic() + 20
while not framed() and time.monotonic() < deadline:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 10)
frame, free = window.frameGeometry(), window.screen().availableGeometry()
print(json.dumps({
    "framed": framed(),
    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
    "free": [free.x(), free.y(), free.width(), free.height()],
}), flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def session() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def test_the_guided_window_opens_whole_on_a_small_screen(
    session: ExitStack, tmp_path: Path
) -> None:
    need_programs(["openbox", "xprop"], "openbox x11-utils")
    display = session.enter_context(running_xvfb())  # 1024 × 768
    env = session_env(display, session.enter_context(private_session_bus()))
    session.enter_context(running_openbox(env))
    child = session.enter_context(
        line_child([sys.executable, "-c", CHILD, str(tmp_path / "state.ini")], env, ROOT)
    )
    report = child.read_json("the guided window on screen")
    assert report["framed"], f"openbox never framed the window: {report}"
    x, y, width, height = report["frame"]
    left, top, free_width, free_height = report["free"]
    assert (free_width, free_height) == (1024, 768)
    assert left <= x
    assert top <= y
    assert x + width <= left + free_width, report
    assert y + height <= top + free_height, report
    assert height > 700  # moved up, not squeezed: 720 px of window and its title bar fit
