"""Real desktop services for the ``desktop`` group, each started by the test that needs it.

Nothing here uses the machine's own display or buses: a test that needs an X server gets a
fresh ``Xvfb`` on a display number nobody else holds, and it is gone when the test ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

X11_SOCKETS = Path("/tmp/.X11-unix")
FIRST_DISPLAY = 90  # well above what a real session or an xvfb-run (99 counts down) uses
START_TIMEOUT_S = 10.0


def display_in_use(number: int) -> bool:
    """A socket or a lock file means another X server has (or had) this number."""
    return (X11_SOCKETS / f"X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists()


def free_display_numbers(first: int = FIRST_DISPLAY, count: int = 200) -> Iterator[int]:
    return (number for number in range(first, first + count) if not display_in_use(number))


@contextmanager
def running_xvfb() -> Iterator[str]:
    """An ``Xvfb`` of our own; yields its display name (":93") once it accepts clients.

    Two test runs may pick the same free number at the same moment; the loser's Xvfb exits
    at once ("server is already active"), and it simply tries the next number.
    """
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install -y xvfb)")
    for number in free_display_numbers():
        process = subprocess.Popen(
            [xvfb, f":{number}", "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if _wait_until_serving(process, number):
            break
        _stop(process)
    else:
        pytest.fail("found no display number on which Xvfb would start")
    try:
        yield f":{number}"
    finally:
        _stop(process)


def _wait_until_serving(process: subprocess.Popen[bytes], number: int) -> bool:
    """Poll with a deadline until the socket exists and the lock file names *our* server.

    The lock check tells our Xvfb from one that won a race for the same number.
    """
    socket, lock = X11_SOCKETS / f"X{number}", Path(f"/tmp/.X{number}-lock")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if socket.exists() and _lock_pid(lock) == process.pid:
            return True
        time.sleep(0.02)
    return False


def _lock_pid(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip())
    except (OSError, ValueError):
        return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """The name of a fresh X display (":93"), for ``DISPLAY`` or an ``XOpenDisplay`` call."""
    with running_xvfb() as display:
        yield display


def display_env(display: str) -> dict[str, str]:
    """The process environment with ``DISPLAY`` pointing at ``display``, for helper programs."""
    return {**os.environ, "DISPLAY": display}
