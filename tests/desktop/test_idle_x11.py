"""The X11 idle backend against a real X server (Xvfb), with real input from ``xdotool``."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stretchbreak.infra.idle import IdleAvailability, X11Idle, detect_idle_backend
from tests.desktop.conftest import display_env, running_xvfb

pytestmark = pytest.mark.desktop

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 5.0


def _have_libxss() -> bool:
    try:
        ctypes.CDLL("libXss.so.1")
    except OSError:
        return False
    return True


needs_libxss = pytest.mark.skipif(
    not _have_libxss(), reason="libXss is missing: apt-get install -y libxss1"
)
needs_xdotool = pytest.mark.skipif(
    shutil.which("xdotool") is None, reason="xdotool is missing: apt-get install -y xdotool"
)


@pytest.fixture
def x11_idle(xvfb_display: str) -> Iterator[X11Idle]:
    backend = X11Idle(xvfb_display)
    yield backend
    backend.close()


def read(backend: X11Idle) -> float:
    seconds = backend.idle_seconds()
    assert seconds is not None, "the X server did not answer"
    return seconds


def poll_until(
    backend: X11Idle, accept: Callable[[float], bool], what: str, timeout_s: float = WAIT_S
) -> float:
    """Read until a reading is accepted; fail with the last reading after the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        seconds = read(backend)
        if accept(seconds):
            return seconds
        if time.monotonic() > deadline:
            pytest.fail(f"idle time never {what} within {timeout_s} s (last {seconds:.3f} s)")
        time.sleep(0.05)


def xdotool(display: str, *args: str) -> None:
    subprocess.run(
        ["xdotool", *args], env=display_env(display), check=True, capture_output=True, timeout=10
    )


@needs_libxss
@needs_xdotool
@pytest.mark.parametrize(
    "action", [("mousemove", "10", "10"), ("key", "shift")], ids=["mouse", "key"]
)
def test_idle_time_grows_and_real_input_resets_it(
    x11_idle: X11Idle, xvfb_display: str, action: tuple[str, ...]
) -> None:
    first = read(x11_idle)
    before = poll_until(x11_idle, lambda seconds: seconds >= first + 1.0, "grew by 1 s")
    xdotool(xvfb_display, *action)
    after = poll_until(x11_idle, lambda seconds: seconds < 1.0, "dropped below 1 s")
    assert after < before


@needs_libxss
def test_detection_picks_the_x_server_on_an_x11_session(xvfb_display: str) -> None:
    env = {"DISPLAY": xvfb_display, "XDG_SESSION_TYPE": "x11"}
    backend = detect_idle_backend(platform="linux", env=env, session_bus=None)
    assert isinstance(backend, X11Idle)
    try:
        assert IdleAvailability.of(backend).text == (
            "Away detection works on this desktop (X11 screen saver extension)."
        )
    finally:
        backend.close()


@needs_libxss
def test_detection_ignores_xwayland_on_a_wayland_session(xvfb_display: str) -> None:
    """The X server answers, but on Wayland it would only see input meant for X clients."""
    env = {"DISPLAY": xvfb_display, "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wl-0"}
    assert detect_idle_backend(platform="linux", env=env, session_bus=None) is None


@needs_libxss
def test_a_closed_backend_reads_nothing_and_closes_once(x11_idle: X11Idle) -> None:
    assert read(x11_idle) >= 0
    x11_idle.close()
    assert x11_idle.idle_seconds() is None
    x11_idle.close()


LOSE_THE_SERVER = """
import sys
from stretchbreak.infra.idle import X11Idle

backend = X11Idle(sys.argv[1])
print("reading", backend.idle_seconds() is not None, flush=True)
sys.stdin.readline()  # the test stops the X server now
print("reading", backend.idle_seconds(), flush=True)
print("reading", backend.idle_seconds(), flush=True)
backend.close()
print("alive", flush=True)
"""


def lose_the_server_under(script: str, first_line: str) -> tuple[str, str, int]:
    """Run ``script`` in a child on a fresh Xvfb, stop the server, and let the child go on."""
    with running_xvfb() as display:
        child = subprocess.Popen(
            [sys.executable, "-c", script, display],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == first_line
    try:
        out, err = child.communicate("go\n", timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return out, err, child.returncode


@needs_libxss
def test_losing_the_x_server_gives_none_instead_of_ending_the_process() -> None:
    """Xlib's default is exit(1) on a lost connection; run in a child so a failure is local."""
    out, err, code = lose_the_server_under(LOSE_THE_SERVER, "reading True\n")
    assert out.splitlines() == ["reading None", "reading None", "alive"], err
    assert code == 0, err


OTHER_DISPLAY_LOST = """
import ctypes, sys
from stretchbreak.infra.idle import X11Idle

backend = X11Idle(sys.argv[1])
x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = (ctypes.c_char_p,)
x11.XSync.argtypes = (ctypes.c_void_p, ctypes.c_int)
other = x11.XOpenDisplay(sys.argv[1].encode())  # as Qt's own connection would be
print("open", bool(other), flush=True)
sys.stdin.readline()
print("reading", backend.idle_seconds(), flush=True)
x11.XSync(other, 0)
print("survived", flush=True)
"""


@needs_libxss
def test_other_connections_keep_xlibs_reaction_to_a_lost_server() -> None:
    """Only our display is spared: the handler chain passes any other on to the old handler."""
    out, err, code = lose_the_server_under(OTHER_DISPLAY_LOST, "open True\n")
    assert out.splitlines() == ["reading None"], err
    assert code == 1
    assert "fatal IO error" in err
