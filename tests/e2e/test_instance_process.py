"""Real server processes on one name: killed, replaced, refused, raced, quit — asked from here.

The client runs in this process (no application, no event loop), exactly as the CLI does; each
server is a child Python with an ``InstanceServer`` answering ``ping`` with its process id.
"""

from __future__ import annotations

import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from stretchbreak.infra.instance import (
    InstanceNotRunning,
    send_command,
    socket_name,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 20.0
RACERS = 6

SERVER = """
import os, sys
from PySide6.QtCore import QCoreApplication, QTimer
from stretchbreak.infra.instance import InstanceServer
from stretchbreak.services.timers import QtWakeTimer
app = QCoreApplication([])
server = InstanceServer(timers=QtWakeTimer)
server.register("ping", lambda args: {"pid": os.getpid()})
server.register("quit", lambda args: QTimer.singleShot(0, app.quit))
if sys.argv[2:] == ["--on-go"]:  # all racers wait here, then start at the same moment
    print("ready", flush=True)
    sys.stdin.readline()
if not server.listen(sys.argv[1]):
    print("refused", flush=True)
    sys.exit(0)
print("listening", flush=True)
status = app.exec()
server.close()
sys.exit(status)
"""


class Server:
    """One server process and its first line of output, read with a deadline (never a sleep)."""

    def __init__(self, name: str, stderr: Path, *options: str) -> None:
        self._stderr = stderr
        with stderr.open("wb") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER, name, *options],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                cwd=ROOT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def first_line(self) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(TIME_LIMIT):
                raise AssertionError(f"no output in {TIME_LIMIT} s: {self.errors()}")
        return self.process.stdout.readline().decode().strip()

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()

    def errors(self) -> str:
        return self._stderr.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIME_LIMIT)
        for stream in (self.process.stdin, self.process.stdout):
            assert stream is not None
            stream.close()


@pytest.fixture
def name(tmp_path: Path) -> Iterator[str]:
    name = socket_name(tmp_path / "data", create=True)
    yield name
    (Path(QDir.tempPath()) / name).unlink(missing_ok=True)  # a killed server's leftover


@pytest.fixture
def servers(name: str) -> Iterator[list[Server]]:
    """The servers a test started; all stopped before the name's leftovers are cleared."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def start(servers: list[Server], name: str, tmp_path: Path, *options: str) -> Server:
    server = Server(name, tmp_path / f"server-{len(servers)}.err", *options)
    servers.append(server)
    return server


def wait_until_gone(server: Server) -> int:
    """The exit status, waited for with a deadline."""
    return server.process.wait(TIME_LIMIT)


def test_the_next_server_takes_over_from_a_killed_one(
    servers: list[Server], name: str, tmp_path: Path
) -> None:
    first = start(servers, name, tmp_path)
    assert first.first_line() == "listening", first.errors()
    assert send_command(name, "ping")["pid"] == first.pid

    second = start(servers, name, tmp_path)
    assert second.first_line() == "refused", "a live instance keeps its name"
    assert wait_until_gone(second) == 0
    assert send_command(name, "ping")["pid"] == first.pid

    first.process.kill()  # SIGKILL on POSIX: the socket file stays behind
    assert wait_until_gone(first) != 0
    with pytest.raises(InstanceNotRunning):
        send_command(name, "ping")

    third = start(servers, name, tmp_path)
    assert third.first_line() == "listening", third.errors()
    assert send_command(name, "ping")["pid"] == third.pid


def test_servers_started_together_on_a_stale_name_leave_exactly_one(
    servers: list[Server], name: str, tmp_path: Path
) -> None:
    crashed = start(servers, name, tmp_path)
    assert crashed.first_line() == "listening"
    crashed.process.kill()
    wait_until_gone(crashed)

    racers = [start(servers, name, tmp_path, "--on-go") for _ in range(RACERS)]
    assert all(racer.first_line() == "ready" for racer in racers)
    for racer in racers:
        racer.go()
    said = {racer: racer.first_line() for racer in racers}
    assert sorted(said.values()) == ["listening"] + ["refused"] * (RACERS - 1), [
        racer.errors() for racer in racers
    ]
    assert all(wait_until_gone(racer) == 0 for racer in racers if said[racer] == "refused")
    (winner,) = [racer for racer in racers if said[racer] == "listening"]
    assert send_command(name, "ping")["pid"] == winner.pid


def test_quit_is_answered_before_the_server_exits_and_removes_its_socket(
    servers: list[Server], name: str, tmp_path: Path
) -> None:
    server = start(servers, name, tmp_path)
    assert server.first_line() == "listening"
    started = time.monotonic()
    assert send_command(name, "quit")["ok"] is True
    assert wait_until_gone(server) == 0, server.errors()
    with pytest.raises(InstanceNotRunning):
        send_command(name, "ping")
    assert time.monotonic() - started < 5.0
