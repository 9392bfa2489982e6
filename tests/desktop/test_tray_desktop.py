"""The tray icon, its notifications and the prompt against real desktop programs.

Each test builds a small session of its own (Xvfb, a private session bus, and the tray host,
notification server or window manager it needs) and runs the Qt side in a child process, so
that Qt uses the xcb platform on that display instead of this process's offscreen one. The
children speak JSON lines on stdout and end when their stdin is closed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.conftest import (
    LineChild,
    background,
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
TITLE = "Time for a back stretch"
TEXT = "Desk-break reset · 1 set × 6"
TYPED = "still typing"

# ---------------------------------------------------------------- the Qt children

CHILD_PRELUDE = r'''
import json
import subprocess
import sys
import time

from PySide6.QtCore import QEventLoop, QSocketNotifier
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication([sys.argv[0], "-name", "stretchbreak-test"])

from stretchbreak.infra.resources import resources_dir
from stretchbreak.ui.tray import TrayIcon, TrayIntents, TrayState, TrayStatus

STATUS = TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)


def wait(check, seconds=5.0):
    """Run Qt's events until check() holds or the deadline passes; the last answer."""
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        # Block until the tray host or the bus sends something, at most 10 ms at a time.
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 10)
    return bool(check())


def tray_icon():
    tray = TrayIcon(
        resources_dir() / "icons",
        lambda: STATUS,
        lambda: [("desk-reset", "Desk-break reset")],
        TrayIntents(),
    )
    tray.show()
    return tray


def answer(**values):
    print(json.dumps(values), flush=True)


def serve(commands):
    """Run the event loop; each stdin line names a command whose dict is answered; EOF ends."""
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def on_input():
        line = sys.stdin.readline()
        if not line:
            notifier.setEnabled(False)
            app.quit()
            return
        answer(**commands[line.strip()]())

    notifier.activated.connect(on_input)
    app.exec()
'''

EMBED_CHILD = (
    CHILD_PRELUDE
    + r'''

def x_place(window):
    """Where the X server has the window: its parent, the root, and x, y, width, height."""
    out = subprocess.run(
        ["xwininfo", "-children", "-stats", "-id", str(window)], capture_output=True, text=True
    ).stdout
    found = {}
    for line in out.splitlines():
        key, _, value = line.strip().partition(":")
        if key in ("Parent window id", "Root window id"):
            found[key] = int(value.split()[0], 16)
        elif key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"):
            found[key] = int(value)
    return found


available = wait(QSystemTrayIcon.isSystemTrayAvailable)
tray = tray_icon()
# Qt's XEmbed icon is a private widget class; its X window is what the tray host adopts.
windows = [w for w in app.topLevelWidgets() if w.metaObject().className() == "QSystemTrayIconSys"]
window = int(windows[0].winId()) if windows else None


def placed():
    """Adopted by the tray host, and Qt's geometry() says where the host put it.

    Before that the icon already reports a non-empty geometry (its own unmapped window at
    0,0), so "non-empty" alone proves nothing.
    """
    x = x_place(window)
    if x.get("Parent window id") in (None, x.get("Root window id")):
        return False
    g = tray.icon.geometry()
    where = ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
    return [g.x(), g.y(), g.width(), g.height()] == [x.get(key) for key in where]


embedded = window is not None and wait(placed)


def report():
    g = tray.icon.geometry()
    return {
        "available": available,
        "visible": tray.icon.isVisible(),
        "geometry": [g.x(), g.y(), g.width(), g.height()],
        "window": window,
        "embedded": embedded,
    }


answer(**report())
serve({"report": report})
'''
)

NOTIFY_CHILD = (
    CHILD_PRELUDE
    + r"""
# With org.kde.StatusNotifierWatcher on the bus Qt takes the StatusNotifierItem tray, whose
# availability is the watcher's answer; showMessage() then goes to org.freedesktop.Notifications.
available = wait(QSystemTrayIcon.isSystemTrayAvailable)
tray = tray_icon()
tray.notify(sys.argv[1], sys.argv[2])
answer(available=available, visible=tray.icon.isVisible())
serve({})
"""
)

FOCUS_CHILD = r'''
import json
import sys

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

app = QApplication([sys.argv[0], "-name", "stretchbreak-test"])

from stretchbreak.ui.prompt import PromptInfo, PromptWindow

editor = QLineEdit()
editor.setWindowTitle("editor")
editor.resize(320, 40)
editor.show()
editor.activateWindow()
prompt = PromptWindow()
stage = "editor"


def answer(**values):
    print(json.dumps(values), flush=True)


def step():
    """Once the editor has the keyboard, show the prompt; report when the prompt is on screen."""
    global stage
    if stage == "editor" and editor.isActiveWindow() and editor.hasFocus():
        answer(editor=int(editor.winId()))
        prompt.show_prompt(PromptInfo("Desk-break reset", "1 set × 6", 1))
        stage = "prompt"
    elif stage == "prompt" and prompt.windowHandle() and prompt.windowHandle().isExposed():
        answer(prompt=int(prompt.winId()))
        stage = "shown"
        timer.stop()


timer = QTimer(interval=10)
timer.timeout.connect(step)
timer.start()
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)


def on_input():
    if not sys.stdin.readline():
        notifier.setEnabled(False)
        app.quit()
        return
    active = app.activeWindow()
    answer(
        text=editor.text(),
        active=active.windowTitle() if active else None,
        prompt_visible=prompt.isVisible(),
    )


notifier.activated.connect(on_input)
app.exec()
'''

WATCHER = r'''
"""A stand-in org.kde.StatusNotifierWatcher: says a tray host exists and logs registrations."""
import sys

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, QSocketNotifier, Slot
from PySide6.QtDBus import QDBusConnection


@ClassInfo({"D-Bus Interface": "org.kde.StatusNotifierWatcher"})
class Watcher(QObject):
    def __init__(self):
        super().__init__()
        self.items = []

    @Slot(str)
    def RegisterStatusNotifierItem(self, service):
        self.items.append(service)
        print("registered", service, flush=True)

    @Slot(str)
    def RegisterStatusNotifierHost(self, service):
        pass

    IsStatusNotifierHostRegistered = Property(bool, lambda self: True, constant=True)
    ProtocolVersion = Property(int, lambda self: 0, constant=True)
    RegisteredStatusNotifierItems = Property("QStringList", lambda self: self.items, constant=True)


app = QCoreApplication([])
bus = QDBusConnection.connectToBus(sys.argv[1], "watcher")
watcher = Watcher()
options = QDBusConnection.RegisterOption
assert bus.registerObject(
    "/StatusNotifierWatcher", watcher, options.ExportAllSlots | options.ExportAllProperties
)
assert bus.registerService("org.kde.StatusNotifierWatcher")
print("ready", flush=True)
stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
stdin.activated.connect(lambda: sys.stdin.readline() or app.quit())
app.exec()
'''

# ---------------------------------------------------------------- reading the X window tree


@dataclass(frozen=True)
class XWindow:
    id: int
    name: str
    classes: str
    width: int
    height: int
    x: int  # absolute, on the root window
    y: int
    ancestors: tuple[int, ...]


TREE_LINE = re.compile(
    r"^(?P<indent> *)(?P<id>0x[0-9a-f]+) (?P<name>\(has no name\)|\".*\"): \((?P<classes>.*)\)"
    r"\s+(?P<w>\d+)x(?P<h>\d+)\+-?\d+\+-?\d+\s+\+(?P<x>-?\d+)\+(?P<y>-?\d+)\s*$"
)


def x_window_tree(env: dict[str, str]) -> dict[int, XWindow]:
    """Every window under the root, with its ancestors, from ``xwininfo -root -tree``."""
    out = subprocess.run(
        ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True, timeout=10
    ).stdout
    windows: dict[int, XWindow] = {}
    stack: list[tuple[int, int]] = []  # (indent, id) of the open ancestors
    for line in out.splitlines():
        match = TREE_LINE.match(line)
        if match is None:
            continue
        indent, window = len(match["indent"]), int(match["id"], 16)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        windows[window] = XWindow(
            window,
            match["name"],
            match["classes"],
            int(match["w"]),
            int(match["h"]),
            int(match["x"]),
            int(match["y"]),
            tuple(ancestor for _, ancestor in stack),
        )
        stack.append((indent, window))
    return windows


# ---------------------------------------------------------------- the tests


@pytest.fixture
def session() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def qt_child(stack: ExitStack, script: str, env: dict[str, str], *args: str) -> LineChild:
    return stack.enter_context(line_child([sys.executable, "-c", script, *args], env, ROOT))


def test_the_tray_icon_embeds_in_a_real_xembed_tray_host(session: ExitStack) -> None:
    """No StatusNotifierWatcher on the bus, so Qt uses XEmbed and trayer adopts the icon."""
    need_programs(["trayer", "xwininfo"], "trayer x11-utils")
    display = session.enter_context(running_xvfb())
    env = session_env(display, session.enter_context(private_session_bus()))
    trayer = session.enter_context(
        background(["trayer", "--edge", "top", "--widthtype", "request"], env)
    )
    child = qt_child(session, EMBED_CHILD, env)

    report = child.read_json("the tray icon child")
    assert report["available"] is True, "no tray host found (XEmbed _NET_SYSTEM_TRAY_S0)"
    assert report["visible"] is True
    assert report["window"] is not None, f"no QSystemTrayIconSys window: {child.stderr}"
    assert report["embedded"] is True, f"trayer never adopted the icon: {report}"
    x, y, width, height = report["geometry"]
    assert width > 0
    assert height > 0

    assert trayer.ended() is None, trayer.ended()
    tree = x_window_tree(env)
    icon = tree[report["window"]]
    hosts = [tree[a] for a in icon.ancestors if tree[a].classes == '"panel" "trayer"']
    assert hosts, f"the icon window is not inside trayer's panel: {icon}"
    # What Qt reports is where the tray host really put it.
    assert (icon.x, icon.y, icon.width, icon.height) == (x, y, width, height)
    assert child.close() == 0, child.stderr


def test_a_notification_reaches_a_real_notification_server(session: ExitStack) -> None:
    """Qt sends a freedesktop notification only from its StatusNotifierItem tray, which it
    takes only while org.kde.StatusNotifierWatcher is on the bus: a fake watcher stands in."""
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
    watcher = qt_child(session, WATCHER, env, bus)
    assert watcher.read_line("the fake StatusNotifierWatcher") == "ready"

    child = qt_child(session, NOTIFY_CHILD, env, TITLE, TEXT)
    report = child.read_json("the notifying child")
    assert report["available"] is True
    assert report["visible"] is True
    # Qt took the StatusNotifierItem tray: its item registered with the watcher.
    assert watcher.read_line("RegisterStatusNotifierItem").startswith("registered :")

    wait_until(lambda: dunstctl("count", "displayed").stdout.strip() == "1", "dunst shows it")
    # dunst lists in its history only what was closed (or timed out), not what it shows.
    assert dunstctl("close-all").returncode == 0
    history: list[dict[str, Any]] = []

    def in_history() -> bool:
        history[:] = parse_history(dunstctl("history").stdout)
        return any(item["summary"] == TITLE for item in history)

    wait_until(in_history, "the notification in dunstctl history")
    (item,) = [item for item in history if item["summary"] == TITLE]
    assert item["body"] == TEXT
    assert child.close() == 0, child.stderr


def parse_history(out: str) -> list[dict[str, Any]]:
    """``dunstctl history`` (busctl JSON, one array of a{sv}) as plain dicts."""
    if not out.strip():
        return []
    data = json.loads(out)["data"]
    return [{key: value["data"] for key, value in entry.items()} for entry in data[0]]


def test_the_prompt_leaves_the_keyboard_with_the_users_window(session: ExitStack) -> None:
    """Under a real window manager, typing goes on into the user's window while the prompt
    is up (a prompt that took focus would swallow the keys: the text would never arrive)."""
    need_programs(["openbox", "xdotool", "xprop"], "openbox xdotool x11-utils")
    display = session.enter_context(running_xvfb())
    env = session_env(display, session.enter_context(private_session_bus()))
    session.enter_context(running_openbox(env))

    def xdotool(*args: str) -> str:
        return subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    child = qt_child(session, FOCUS_CHILD, env)
    editor = child.read_json("the editor taking the keyboard")["editor"]
    prompt = child.read_json("the prompt on screen")["prompt"]
    assert prompt != editor

    xdotool("type", "--delay", "1", TYPED)
    state: dict[str, Any] = {}

    def typed() -> bool:
        child.send("report")
        state.update(child.read_json("the editor's text"))
        return bool(state["text"] == TYPED)

    wait_until(typed, f"{TYPED!r} typed into the editor while the prompt is up")
    assert state["prompt_visible"] is True
    assert state["active"] == "editor"
    assert int(xdotool("getwindowfocus")) == editor
    assert child.close() == 0, child.stderr
