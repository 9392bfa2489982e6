"""The real program as a child process, watched from outside as a user or a script would.

Shared by the e2e and fault tests: start ``python -m stretchbreak`` on a data folder, wait for
its log to say something (woken by each write, with a deadline; never a fixed sleep), steer
it with the command line, and make sure no child outlives its test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stretchbreak.infra.instance import InstanceError, send_command, socket_name
from tests.waiting import until_file_says

ROOT = Path(__file__).resolve().parents[1]
LOG_NAME = Path("logs") / "stretchbreak.log"
#: Every hour of every day is working time: a prompt can come whenever a test runs.
ALL_DAY = "\n".join(
    f'{day} = ["00:00-23:59"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)


def app_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def app_command(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), *args]


def wait_for(path: Path, text: str, process: subprocess.Popen[str], seconds: float = 30) -> str:
    """Wait until the app's log says ``text``: woken by each write to it, or by the app's end."""
    content = until_file_says(path, lambda content: text in content, process, seconds)
    if content is None:
        raise AssertionError(f"{text!r} never appeared in {path}; exit code {process.poll()}")
    return content


def wait_until_answering(data: Path, process: subprocess.Popen[str], seconds: float = 30) -> None:
    """Once the app listens, ask ``status``: a request made while it is still being built
    waits for its handlers (``InstanceServer.hold``), so one request is enough."""
    wait_for(data / LOG_NAME, "listening for commands", process, seconds)
    try:
        send_command(socket_name(data), "status", timeout_s=seconds)
    except InstanceError as error:
        raise AssertionError(f"the app never answered status: {error}") from error


def cli(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """One command line run to its end, without a display, as a user's script runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        app_command(data, *args),
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@contextmanager
def running_app(data: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """The app on ``data``, started with ``args``, ready and answering ``status``; killed if
    the test leaves it.

    stdout and stderr are pipes: read them with ``communicate`` once the app has quit.
    """
    with subprocess.Popen(
        app_command(data, *args),
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as app:
        try:
            wait_for(data / LOG_NAME, "ready", app)
            wait_until_answering(data, app)
            yield app
        finally:
            app.kill()


def quit_app(data: Path, app: subprocess.Popen[str]) -> tuple[str, str]:
    """``stretchbreak quit``, then the app's exit; returns its stdout and stderr."""
    asked = cli(data, "quit")
    assert asked.returncode == 0, asked.stderr
    out, err = app.communicate(timeout=30)
    assert app.returncode == 0, err
    return out, err
