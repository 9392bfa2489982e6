"""Real desktop services for the ``desktop`` group, each started by the test that needs it.

Nothing here uses the machine's own display or buses: a test that needs an X server gets a
fresh ``Xvfb`` on a display number nobody else holds, a test that needs a session bus gets a
``dbus-daemon`` of its own, and both are gone when the test ends.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

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
        ready, told = os.pipe()
        process = subprocess.Popen(
            # -noreset: by default the server resets when its last client leaves, and drops
            # any client still in its connection set-up (a window manager starting while a
            # short-lived xprop polls for it: "Failed to open the display").
            # -displayfd: the server writes its number there once it accepts clients.
            [xvfb, f":{number}", "-nolisten", "tcp", "-noreset", "-displayfd", str(told),
             "-screen", "0", "1024x768x24"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(told,),
        )  # fmt: skip
        os.close(told)
        try:
            serving = _wait_until_serving(process, number, ready)
        finally:
            os.close(ready)
        if serving:
            break
        _stop(process)
    else:
        pytest.fail("found no display number on which Xvfb would start")
    try:
        yield f":{number}"
    finally:
        _stop(process)


def _wait_until_serving(process: subprocess.Popen[bytes], number: int, ready: int) -> bool:
    """Wait, with a deadline, for the server to write its number to ``ready``: it does so
    once it accepts clients, and only then. A server that lost the number to another test
    run exits, closing the pipe; so our number on the pipe means our server."""
    told = b""
    deadline = time.monotonic() + START_TIMEOUT_S
    while not told.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([ready], [], [], left)[0]:
            return False
        chunk = os.read(ready, 16)
        if not chunk:
            return False  # the server ended without serving
        told += chunk
    return told.strip() == str(number).encode() and process.poll() is None


def _stop(process: subprocess.Popen[Any]) -> None:
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


def need_programs(programs: Sequence[str], packages: str) -> None:
    """Skip the test, naming the Debian packages to install, when a program is missing."""
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} missing: apt-get install -y {packages}")


#: Variables through which the surrounding desktop would choose Qt's theme (and with it the
#: tray implementation) or a Wayland connection; a child on our Xvfb must not see them.
DESKTOP_VARIABLES = (
    "WAYLAND_DISPLAY",
    "XDG_CURRENT_DESKTOP",
    "XDG_SESSION_DESKTOP",
    "XDG_SESSION_TYPE",
    "DESKTOP_SESSION",
    "KDE_FULL_SESSION",
    "GNOME_DESKTOP_SESSION_ID",
    "QT_QPA_PLATFORMTHEME",
    "QT_STYLE_OVERRIDE",
)


def session_env(display: str, bus_address: str) -> dict[str, str]:
    """The environment of a program in our little session: our X display, our session bus,
    and for Qt the xcb platform (this test process itself runs ``offscreen``)."""
    env = {key: value for key, value in os.environ.items() if key not in DESKTOP_VARIABLES}
    env.update(DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus_address, QT_QPA_PLATFORM="xcb")
    return env


SESSION_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def private_session_bus() -> Iterator[str]:
    """A session ``dbus-daemon`` of our own; yields its address.

    Its configuration names no service folders, so nothing is ever started by D-Bus
    activation (the stock session.conf would start the installed dunst, for one): a name is
    owned only by what the test started itself.
    """
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon missing: apt-get install -y dbus")
    with tempfile.TemporaryDirectory(prefix="sb-bus-") as folder:
        config = Path(folder) / "bus.conf"
        config.write_text(SESSION_BUS_CONFIG.format(folder=folder))
        process = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        try:
            address = process.stdout.readline().strip()  # printed once it listens, or EOF
            if not address.startswith("unix:"):
                pytest.fail(f"dbus-daemon printed no address (exit status {process.poll()})")
            yield address
        finally:
            _stop(process)
            process.stdout.close()


class Daemon:
    """A program running in the background (tray host, notification server, window manager),
    its output kept in a file for the message of a failing test."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                list(args), env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def ended(self) -> str | None:
        """None while it runs; once it has ended, its status and output."""
        if self.process.poll() is None:
            return None
        return (
            f"{self.process.args!r} ended with status {self.process.returncode}:\n{self.output()}"
        )


@contextmanager
def background(args: Sequence[str], env: dict[str, str]) -> Iterator[Daemon]:
    """A daemon for the length of a block."""
    with tempfile.TemporaryDirectory(prefix="sb-daemon-") as folder:
        daemon = Daemon(args, env, Path(folder) / "output.log")
        try:
            yield daemon
        finally:
            _stop(daemon.process)


@contextmanager
def running_openbox(env: dict[str, str], config: Path | None = None) -> Iterator[Daemon]:
    """openbox on the display in ``env``, once it manages it (it has set the root window's
    ``_NET_SUPPORTING_WM_CHECK``); ``config`` is an rc.xml of the test's own."""
    args = ["openbox", *(["--config-file", str(config)] if config is not None else [])]
    with background(args, env) as wm:

        def managing() -> bool:
            out = subprocess.run(
                ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                env=env,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout
            return "window id" in out

        wait_until(managing, "openbox managing the display", daemon=wm)
        yield wm


def wait_until(
    check: Callable[[], bool],
    what: str,
    timeout_s: float = START_TIMEOUT_S,
    daemon: Daemon | None = None,
) -> None:
    """Poll ``check`` until it holds; fail after the deadline or as soon as ``daemon`` ends."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if daemon is not None and (ended := daemon.ended()) is not None:
            pytest.fail(f"{what}: {ended}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout_s} s")
        time.sleep(0.02)


class LineChild:
    """A child process spoken to in lines.

    ``read_line`` waits for the next line of its stdout with a deadline (a reader thread
    feeds a queue, so a silent child cannot hang the test); closing its stdin asks it to end.
    """

    def __init__(self, args: Sequence[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            list(args),
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._errors: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self._errors.extend(self.process.stderr)

    @property
    def stderr(self) -> str:
        return "".join(self._errors[-40:])

    def read_line(self, what: str, timeout_s: float = START_TIMEOUT_S) -> str:
        try:
            line = self._lines.get(timeout=timeout_s)
        except queue.Empty:
            pytest.fail(f"{what}: no answer within {timeout_s} s; stderr:\n{self.stderr}")
        if line is None:
            self._lines.put(None)  # stays at the end for any later read
            self.process.wait(timeout=START_TIMEOUT_S)
            pytest.fail(
                f"{what}: the child ended (status {self.process.returncode}); "
                f"stderr:\n{self.stderr}"
            )
        return line

    def read_json(self, what: str, timeout_s: float = START_TIMEOUT_S) -> dict[str, Any]:
        line = self.read_line(what, timeout_s)
        try:
            answer = json.loads(line)
        except ValueError:
            pytest.fail(f"{what}: not JSON: {line!r}; stderr:\n{self.stderr}")
        assert isinstance(answer, dict), line
        return answer

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> int:
        """Close its stdin (its cue to end) and wait for it, killing it after the deadline."""
        assert self.process.stdin is not None
        with suppress(BrokenPipeError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=START_TIMEOUT_S)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode


@contextmanager
def line_child(args: Sequence[str], env: dict[str, str], cwd: Path) -> Iterator[LineChild]:
    child = LineChild(args, env, cwd)
    try:
        yield child
    finally:
        child.close()


# ---------------------------------------------------------------- the accessibility bus
#: Debian's pyatspi lives in the system interpreter, not in the project's virtualenv.
SYSTEM_PYTHON = "/usr/bin/python3"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def pyatspi_available() -> bool:
    """at-spi2's bus launcher and Debian's pyatspi (at-spi2-core, python3-pyatspi)."""
    if not Path(SYSTEM_PYTHON).exists() or not Path(LAUNCHER).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    return probe.returncode == 0


def a11y_bus_up(env: dict[str, str]) -> bool:
    """The launcher answers on the session bus with the accessibility bus's address."""
    probe = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.a11y.Bus.GetAddress",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    return probe.returncode == 0 and "unix:" in probe.stdout
