"""The listening socket's bounds, on this test's own event loop.

Raw clients connect from this process (the kernel queues them; the server accepts when the
loop runs), and the test waits with ``qtbot.waitUntil`` for what a client would notice: being
hung up on, an answer, the socket file back in place. The fault suites do the same through
the real program; here every branch runs where coverage sees it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.infra import instance_listener
from stretchbreak.infra.instance import InstanceServer, socket_name
from stretchbreak.services.timers import QtWakeTimer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")

WAIT_MS = 20_000


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstanceServer]:
    monkeypatch.setattr(instance_listener, "MAX_CONNECTIONS", 3)
    monkeypatch.setattr(instance_listener, "IDLE_S", 0.3)
    server = InstanceServer(timers=QtWakeTimer)
    server.register("ping", lambda args: {"pong": True})
    assert server.listen(socket_name(tmp_path / "data", create=True))
    yield server
    server.close()


@pytest.fixture
def clients() -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    yield opened
    for client in opened:
        client.close()


def connect(server: InstanceServer, clients: list[socket.socket]) -> socket.socket:
    client = socket.socket(socket.AF_UNIX)
    client.connect(server.full_name)
    client.setblocking(False)
    clients.append(client)
    return client


def hung_up(client: socket.socket) -> bool:
    try:
        return client.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def answer(client: socket.socket) -> bytes:
    try:
        return client.recv(4096)
    except BlockingIOError:
        return b""


def wait_for_pong(qtbot: QtBot, client: socket.socket) -> None:
    qtbot.waitUntil(lambda: b'"pong":true' in answer(client), timeout=WAIT_MS)


def test_idle_connections_are_dropped_and_a_request_is_not(
    qtbot: QtBot, server: InstanceServer, clients: list[socket.socket]
) -> None:
    server.hold()
    idle = connect(server, clients)
    asked = connect(server, clients)
    asked.sendall(b'{"version": 1, "command": "ping"}\n')
    qtbot.waitUntil(lambda: hung_up(idle), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: server.waiting == 1, timeout=WAIT_MS)
    server.release()
    qtbot.waitUntil(lambda: b'"pong":true' in answer(asked), timeout=WAIT_MS)


def test_past_the_cap_the_oldest_idle_one_goes(
    qtbot: QtBot,
    server: InstanceServer,
    clients: list[socket.socket],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.hold()
    asked = [connect(server, clients) for _ in range(3)]
    for client in asked:
        client.sendall(b'{"version": 1, "command": "ping"}\n')
    qtbot.waitUntil(lambda: server.waiting == 3, timeout=WAIT_MS)
    # Full of requests awaiting answers: a fourth waits in the kernel's queue, not dropped.
    late = connect(server, clients)
    late.sendall(b'{"version": 1, "command": "ping"}\n')
    server.release()
    for client in [*asked, late]:
        wait_for_pong(qtbot, client)

    idle = [connect(server, clients) for _ in range(5)]
    qtbot.waitUntil(lambda: hung_up(idle[0]) and hung_up(idle[1]), timeout=WAIT_MS)
    assert "command connections; hung up on the oldest" in caplog.text


def test_a_removed_socket_comes_back(qtbot: QtBot, server: InstanceServer) -> None:
    path = Path(server.full_name)
    path.unlink()
    qtbot.waitUntil(lambda: path.exists() and stat.S_ISSOCK(path.lstat().st_mode), timeout=WAIT_MS)
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(5)
        client.connect(str(path))
        client.sendall(b'{"version": 1, "command": "ping"}\n')
        client.setblocking(False)
        qtbot.waitUntil(lambda: b'"pong":true' in answer(client), timeout=WAIT_MS)


def test_a_socket_that_cannot_come_back_is_reported_once(
    qtbot: QtBot, server: InstanceServer, caplog: pytest.LogCaptureFixture
) -> None:
    path = Path(server.full_name)
    path.unlink()
    path.mkdir()  # a folder in the way is never removed
    qtbot.waitUntil(lambda: "the command socket is gone" in caplog.text, timeout=WAIT_MS)
    path.rmdir()


def test_out_of_descriptors_the_server_backs_off_then_accepts(
    qtbot: QtBot,
    server: InstanceServer,
    clients: list[socket.socket],
    caplog: pytest.LogCaptureFixture,
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    client = connect(server, clients)
    client.sendall(b'{"version": 1, "command": "ping"}\n')
    highest = max(int(fd.name) for fd in Path("/proc/self/fd").iterdir())
    resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, hard))
    filling: list[int] = []
    try:
        with contextlib.suppress(OSError):  # every free number below the limit taken
            while True:
                filling.append(os.open(os.devnull, os.O_RDONLY))
        with caplog.at_level(logging.WARNING):
            qtbot.waitUntil(lambda: "cannot accept" in caplog.text, timeout=WAIT_MS)
    finally:
        for fd in filling:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert caplog.text.count("cannot accept") == 1
    qtbot.waitUntil(lambda: b'"pong":true' in answer(client), timeout=WAIT_MS)
