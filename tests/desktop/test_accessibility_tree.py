"""Every window read through the real accessibility bus (at-spi2), as Orca reads it.

The test starts its own X display, session bus and at-spi2 bus; the app's windows run in a
child with Qt's accessibility on, and the system ``python3`` with Debian's pyatspi walks the
tree in another child (pyatspi is not on the package index).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.conftest import (
    LAUNCHER,
    START_TIMEOUT_S,
    SYSTEM_PYTHON,
    LineChild,
    a11y_bus_up,
    background,
    line_child,
    need_programs,
    private_session_bus,
    pyatspi_available,
    running_xvfb,
    session_env,
    wait_until,
)

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
APP = "stretchbreak-a11y"
#: Roles a keyboard user may land on, and what each must be.
FOCUSABLE_ROLES = {
    "push button",
    "radio button",
    "check box",
    "spin button",
    "combo box",
    "text",
    "table",
    "page tab",
    "page tab list",
    "scroll pane",
    "panel",
    "chart",
    "list",
    "list item",
    "table cell",
    "table column header",
    "column header",
    "label",
    "frame",
    "dialog",
    "filler",
}


@pytest.fixture
def a11y() -> Iterator[tuple[LineChild, dict[str, str]]]:
    if not pyatspi_available():
        pytest.skip("at-spi2 missing: apt-get install -y at-spi2-core python3-pyatspi")
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb missing: apt-get install -y xvfb")
    with ExitStack() as stack:
        display = stack.enter_context(running_xvfb())
        bus = stack.enter_context(private_session_bus())
        env = session_env(display, bus)
        launcher = stack.enter_context(background([LAUNCHER, "--launch-immediately"], env))
        wait_until(lambda: a11y_bus_up(env), "the at-spi2 bus", daemon=launcher)
        env = {**env, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1"}
        child = stack.enter_context(
            line_child([_venv_python(), str(HERE / "a11y_child.py")], env, ROOT)
        )
        assert child.read_json("the child starts") == {"ready": True}
        yield child, env


def _venv_python() -> str:
    import sys

    return sys.executable


def tree(env: dict[str, str]) -> list[dict[str, Any]]:
    """The showing part of the app's tree, read by the system python3 over at-spi2."""
    nodes: list[dict[str, Any]] = []

    def read() -> bool:
        out = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), "tree", APP],
            env=env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S * 3,
        )
        answer = json.loads(out.stdout or "{}")
        nodes[:] = [n for n in answer.get("nodes", []) if n["showing"]]
        return len(nodes) > 1

    wait_until(read, "the app's accessibility tree")
    return nodes


def show(child: LineChild, command: str) -> dict[str, Any]:
    child.send(command)
    return child.read_json(command)


#: Windows that are dialogs (Enter and Esc answer them); the others are frames.
DIALOGS = ("Settings", "Welcome to stretchbreak", "About stretchbreak")


def check_window(nodes: list[dict[str, Any]], title: str) -> None:
    windows = [n for n in nodes if n["path"].count("/") == 1]
    assert [(w["role"], w["name"]) for w in windows] == [
        ("dialog" if title in DIALOGS else "frame", title)
    ]
    check_controls(nodes)


def check_controls(nodes: list[dict[str, Any]]) -> None:
    focusable = [n for n in nodes if n["focusable"] and n["path"].count("/") > 1]
    unnamed = [n for n in focusable if not n["name"].strip()]
    assert unnamed == [], unnamed
    wrong = [n for n in focusable if n["role"] not in FOCUSABLE_ROLES]
    assert wrong == [], wrong
    assert not [n for n in focusable if n["role"] == "filler"], "a focusable filler"


def roles(nodes: list[dict[str, Any]], role: str) -> list[str]:
    return [n["name"] for n in nodes if n["role"] == role]


def test_every_window_names_and_roles_its_controls(a11y: tuple[LineChild, dict[str, str]]) -> None:
    child, env = a11y
    title = "Dynamic Back Stretch"
    show(child, "start")
    nodes = tree(env)
    check_window(nodes, title)
    radios = roles(nodes, "radio button")
    assert sum(name.startswith("Desk-break reset") for name in radios) == 1
    assert len(radios) == 4 + 2  # four goal cards, two tempos

    show(child, "setup")
    nodes = tree(env)
    check_window(nodes, title)
    current = [n["name"] for n in nodes if n["name"].endswith("(current step)")]
    assert len(current) == 1
    assert current[0].startswith("1.")

    listener = LineChild([SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), "listen", APP], env, ROOT)
    try:
        assert listener.read_json("the listener starts") == {"ready": True}
        show(child, "rep")
        heard = [listener.read_json("an announcement")["text"] for _ in range(2)]
    finally:
        listener.close()
    assert heard == ["Set 1 of 2 · Rep 1 of 6. Sit back", "Set 1 of 2 · Rep 1 of 6. Hold"]
    first = [n for n in tree(env) if n["name"] == "Countdown"]
    assert [n["role"] for n in first] == ["progress bar"]
    show(child, "step")
    second = [n for n in tree(env) if n["name"] == "Countdown"]
    assert first[0]["value"] - second[0]["value"] == 1  # a second less, read from the value

    for view in ("rest", "tips", "done"):
        show(child, view)
        nodes = tree(env)
        check_window(nodes, title)
    feelings = roles(nodes, "radio button")
    assert feelings == ["It felt easy", "It felt just right", "It felt hard", "It felt painful"]

    show(child, "history")
    nodes = tree(env)
    check_window(nodes, "History")
    days = [n for n in nodes if n["name"].startswith("Tue 24 Nov:")]
    assert days, "the heatmap's chosen day is named"
    assert "active days;" in days[0]["description"] or "active day;" in days[0]["description"]

    show(child, "settings")
    nodes = tree(env)
    check_window(nodes, "Settings")
    hours = {n["name"]: n["description"] for n in nodes if n["name"].startswith("Working hours on")}
    assert hours["Working hours on Monday"] != "Day off"
    assert hours["Working hours on Sunday"] == "Day off"

    show(child, "status")
    nodes = tree(env)
    check_window(nodes, "stretchbreak")
    assert "Start now" in roles(nodes, "push button")

    show(child, "prompt")
    nodes = tree(env)
    check_window(nodes, "Time for a back stretch")
    # Its buttons take no keyboard (the prompt never takes focus) but are named for the mouse.
    assert {"Start the stretch now", "Skip this break"} <= set(roles(nodes, "push button"))

    show(child, "welcome")
    nodes = tree(env)
    check_window(nodes, "Welcome to stretchbreak")
    assert roles(nodes, "push button") == [
        "Change working hours in Settings",
        "Try the stretch now",
        "Got it, close the welcome",
    ]
    window = next(n for n in nodes if n["path"].count("/") == 1)
    assert "Your first break comes today at 10:50" in window["description"]

    show(child, "about")
    nodes = tree(env)
    check_window(nodes, "About stretchbreak")
    assert roles(nodes, "push button") == [
        "Open the data folder",
        "Show the welcome again",
        "Close About",
    ]
    assert any(name.startswith("Documentation: ") for name in roles(nodes, "label"))


def test_the_sound_button_is_a_push_button_named_by_its_state(
    a11y: tuple[LineChild, dict[str, str]],
) -> None:
    """Not a check box: its name is the state, its description what a press does; a change
    is announced."""
    child, env = a11y
    show(child, "start")

    def sound() -> dict[str, Any]:
        nodes = tree(env)
        check_controls(nodes)
        found = [n for n in nodes if n["path"].count("/") == 2 and "ress for" in n["description"]]
        found += [n for n in nodes if n["name"] == "No audio output"]
        assert len(found) == 1, found
        return found[0]

    button = sound()
    assert (button["role"], button["name"], button["description"], button["checked"]) == (
        "push button",
        "Voice on",
        "Press for tones only",
        False,
    )
    listener = LineChild([SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), "listen", APP], env, ROOT)
    try:
        assert listener.read_json("the listener starts") == {"ready": True}
        assert show(child, "next-sound") == {"sound": "Tones only"}
        heard = listener.read_json("the new state announced")["text"]
    finally:
        listener.close()
    assert heard == "Tones only. Press for sound off"
    button = sound()
    assert (button["role"], button["name"], button["description"]) == (
        "push button",
        "Tones only",
        "Press for sound off",
    )
    show(child, "no-sound")
    button = sound()
    assert (button["role"], button["name"]) == ("push button", "No audio output")
    assert "cannot play" in button["description"]


def press(env: dict[str, str], key: str) -> None:
    """A real key press through XTEST, to whichever window has the X keyboard focus."""
    subprocess.run(
        ["xdotool", "key", "--clearmodifiers", key], env=env, check=True, timeout=START_TIMEOUT_S
    )


def keyboard(child: LineChild) -> dict[str, Any]:
    return show(child, "keyboard")


def focus_goes(child: LineChild, env: dict[str, str], key: str, name: str) -> None:
    press(env, key)
    wait_until(lambda: keyboard(child)["focus"].startswith(name), f"{key} to {name!r}")


def answered(child: LineChild, env: dict[str, str], key: str, event: str) -> None:
    before = len(keyboard(child)["events"])
    press(env, key)
    wait_until(lambda: event in keyboard(child)["events"][before:], f"{key}: {event}")


def test_the_welcome_and_about_by_keyboard_alone(a11y: tuple[LineChild, dict[str, str]]) -> None:
    """Tab and Shift+Tab cycle every control; Enter presses the focused button (the default
    one closes), Esc closes."""
    need_programs(["xdotool"], "xdotool")
    child, env = a11y
    hours, trying, done = (
        "Change working hours in Settings",
        "Try the stretch now",
        "Got it, close the welcome",
    )
    show(child, "welcome")
    wait_until(lambda: keyboard(child)["focus"] == done, "the welcome has the keyboard")
    for name in (hours, trying, done, hours):
        focus_goes(child, env, "Tab", name)
    for name in (done, trying, hours, done):
        focus_goes(child, env, "shift+Tab", name)
    answered(child, env, "Return", "welcome closed 1")
    show(child, "welcome")
    wait_until(lambda: keyboard(child)["focus"] == done, "the welcome has the keyboard again")
    answered(child, env, "Escape", "welcome closed 0")
    show(child, "welcome")
    focus_goes(child, env, "shift+Tab", trying)
    answered(child, env, "Return", "try the stretch")
    show(child, "welcome")
    focus_goes(child, env, "Tab", hours)
    answered(child, env, "Return", "change working hours")

    folder, docs, again, close = (
        "Open the data folder",
        "Documentation: ",
        "Show the welcome again",
        "Close About",
    )
    show(child, "about")
    wait_until(lambda: keyboard(child)["focus"] == close, "About has the keyboard")
    for name in (folder, docs, again, close, folder):
        focus_goes(child, env, "Tab", name)  # the link is one stop, not two
    for name in (close, again, docs, folder, close):
        focus_goes(child, env, "shift+Tab", name)
    answered(child, env, "Return", "about closed 1")
    show(child, "about")
    wait_until(lambda: keyboard(child)["focus"] == close, "About has the keyboard again")
    answered(child, env, "Escape", "about closed 0")
    show(child, "about")
    focus_goes(child, env, "shift+Tab", again)
    answered(child, env, "Return", "show the welcome")
