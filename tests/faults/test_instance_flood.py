"""Floods on the single-instance channel: idle connections, endless lines, no file descriptors.

The real app runs with the soft open-file limit a desktop session often has (1 024, set with
``resource.setrlimit`` in the child before it starts) and gets 1 100 connections that never
send a byte, then 200 that each send 60 KiB without ever ending their line. ``status`` must
still be answered, and the app must stay idle: its CPU time (``/proc/<pid>/stat``) is read
around a window bounded by two answered requests, with a real ``stretchbreak status`` run in
between, so the window lasts as long as a user's command does and no test sleeps.

Running out of descriptors for another reason (the limit lowered under the running server
with ``prlimit``) must not make ``accept`` spin: the server stops watching its socket for a
while, says so once, and answers again once descriptors are free.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stretchbreak.infra.instance import send_command, socket_name
from stretchbreak.infra.instance_unix import socket_file
from tests.app_process import LOG_NAME, ROOT, app_command, app_env, cli, wait_until_answering
from tests.waiting import until_file_says

pytestmark = pytest.mark.slow

TIME_LIMIT = 60.0
DESKTOP_LIMIT = 1024
IDLE_CONNECTIONS = 1100
LONG_LINES = 200
LONG_LINE = 60 * 1024
#: CPU seconds per wall second the app may spend while a flood only holds its connections.
#: Measured: 0.000 for the app that backs off; a spinning one got 25-100 % of a core here,
#: depending on how busy the two cores were.
IDLE_SHARE = 0.1

SERVER = """
import os, sys
from PySide6.QtCore import QCoreApplication
from stretchbreak.infra import instance_listener
from stretchbreak.infra.instance import InstanceServer
from stretchbreak.services.timers import QtWakeTimer
instance_listener.IDLE_S = float(sys.argv[2])
instance_listener.MAX_CONNECTIONS = int(sys.argv[3])
app = QCoreApplication([])
server = InstanceServer(timers=QtWakeTimer)
server.register("ping", lambda args: {"pid": os.getpid()})
assert server.listen(sys.argv[1])
print("listening", flush=True)
app.exec()
"""


def desktop_limit() -> None:
    """In the child before it runs: the soft limit of open files a desktop session has."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESKTOP_LIMIT, hard))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def cpu_share(pid: int, ask: Callable[[], None], between: Callable[[], object]) -> float:
    """CPU seconds per wall second of ``pid`` from one answered ``ask`` to the next."""
    ask()
    cpu, wall = cpu_seconds(pid), time.monotonic()
    between()
    ask()
    return (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)


def connect(name: str) -> socket.socket:
    """Connected, waiting (blocking, with a send timeout) while the app's queue is full."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 30, 0))
    client.connect(str(socket_file(name)))
    return client


@pytest.fixture
def app(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    data = tmp_path / "data"
    with subprocess.Popen(
        app_command(data, "--no-tray"),
        env=app_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=desktop_limit,
    ) as started:
        try:
            wait_until_answering(data, started, TIME_LIMIT)
            yield started
        finally:
            started.kill()


@pytest.fixture
def clients() -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    yield opened
    for client in opened:
        client.close()


def test_a_flood_of_idle_connections_leaves_status_answering_and_the_app_idle(
    tmp_path: Path, app: subprocess.Popen[str], clients: list[socket.socket]
) -> None:
    data = tmp_path / "data"
    name = socket_name(data)
    clients.extend(connect(name) for _ in range(IDLE_CONNECTIONS))

    def status() -> None:
        assert send_command(name, "status", timeout_s=10)["ok"] is True

    share = cpu_share(app.pid, status, lambda: cli(data, "status"))
    assert share < IDLE_SHARE, f"the app used {share:.0%} of a core with the flood connected"
    log = (data / LOG_NAME).read_text()
    assert log.count("cannot accept") <= 3, log[-2000:]
    assert len(log.encode()) < 64 * 1024


def test_memory_taken_by_endless_lines_comes_back(
    tmp_path: Path, app: subprocess.Popen[str], clients: list[socket.socket]
) -> None:
    data = tmp_path / "data"
    name = socket_name(data)
    for _ in range(3):
        send_command(name, "status", timeout_s=10)
    before = rss_kib(app.pid)
    for _ in range(LONG_LINES):
        client = connect(name)
        clients.append(client)
        with contextlib.suppress(OSError):  # hung up on: that is what should happen
            client.sendall(b"x" * LONG_LINE)  # no newline: the line never ends
    send_command(name, "status", timeout_s=10)
    held = rss_kib(app.pid)
    for client in clients:
        client.close()
    clients.clear()
    send_command(name, "status", timeout_s=10)
    after = rss_kib(app.pid)
    assert held - before < 4 * 1024, f"VmRSS KiB before, held, after: {before}, {held}, {after}"
    assert after - before < 2 * 1024, f"VmRSS KiB before, held, after: {before}, {held}, {after}"


@contextmanager
def server_process(
    name: str, errors: Path, idle_s: float, most: int
) -> Iterator[subprocess.Popen[str]]:
    """An InstanceServer alone in a child, with its idle time and connection cap as given."""
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-c", SERVER, name, str(idle_s), str(most)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=ROOT,
        ) as server,
    ):
        try:
            assert server.stdout is not None
            assert server.stdout.readline().strip() == "listening", errors.read_text()
            yield server
        finally:
            server.kill()


def hung_up_on(client: socket.socket) -> bool:
    """Whether the server closed ``client`` (waits for it up to the client's timeout)."""
    try:
        return client.recv(1) == b""
    except TimeoutError:
        return False


def test_connections_that_say_nothing_are_dropped_after_the_idle_time(
    tmp_path: Path, clients: list[socket.socket]
) -> None:
    name = socket_name(tmp_path / "data", create=True)
    with server_process(name, tmp_path / "server.err", idle_s=0.5, most=32):
        clients.extend(connect(name) for _ in range(3))
        clients[-1].sendall(b'{"version": 1, "command": "pi')  # a line that never ends
        for client in clients:
            client.settimeout(TIME_LIMIT)
            assert hung_up_on(client)
        assert send_command(name, "ping", timeout_s=10)["ok"] is True


def test_past_the_cap_the_oldest_idle_connections_are_dropped(
    tmp_path: Path, clients: list[socket.socket]
) -> None:
    name = socket_name(tmp_path / "data", create=True)
    with server_process(name, tmp_path / "server.err", idle_s=600, most=4):
        clients.extend(connect(name) for _ in range(6))
        assert send_command(name, "ping", timeout_s=10)["ok"] is True
        for client in clients[:3]:  # the ping was the 7th: three had to make room
            client.settimeout(TIME_LIMIT)
            assert hung_up_on(client)
        for client in clients[3:]:
            client.settimeout(0.001)
            assert not hung_up_on(client), "a newer connection was dropped"


def test_running_out_of_descriptors_backs_off_instead_of_spinning(
    tmp_path: Path, clients: list[socket.socket]
) -> None:
    name = socket_name(tmp_path / "data", create=True)
    errors = tmp_path / "server.err"
    with server_process(name, errors, idle_s=600, most=32) as server:
        soft, hard = resource.prlimit(server.pid, resource.RLIMIT_NOFILE)
        in_use = len(list(Path(f"/proc/{server.pid}/fd").iterdir()))
        resource.prlimit(server.pid, resource.RLIMIT_NOFILE, (in_use + 2, hard))
        clients.extend(connect(name) for _ in range(20))
        assert until_file_says(errors, lambda text: "cannot accept" in text, server, 30)

        def ping() -> None:
            assert send_command(name, "ping", timeout_s=30)["pid"] == server.pid

        def wait_out_of_descriptors() -> None:
            # The window: a process start's worth of time without descriptors, then some.
            subprocess.run([sys.executable, "-c", "import PySide6.QtCore"], check=True)
            for client in clients:
                client.close()
            resource.prlimit(server.pid, resource.RLIMIT_NOFILE, (soft, hard))

        cpu, wall = cpu_seconds(server.pid), time.monotonic()
        wait_out_of_descriptors()
        ping()
        share = (cpu_seconds(server.pid) - cpu) / (time.monotonic() - wall)
        assert share < IDLE_SHARE, f"the server used {share:.0%} of a core without fds"
        said = errors.read_text()
        assert said.count("cannot accept") <= 2, said[-2000:]
