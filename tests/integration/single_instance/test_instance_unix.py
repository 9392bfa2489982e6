"""The channel's transports: a Unix socket file without QtNetwork, and Windows's QtNetwork one.

On Linux and macOS the channel is Python's ``socket`` module on the event loop, so neither the
tray nor the CLI loads QtNetwork. The Windows transport (QLocalServer) is exercised here too:
on Unix a QLocalServer is a socket file as well, so the same client can ask either.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

from stretchbreak.infra import instance, instance_qt, instance_unix
from stretchbreak.infra.instance import (
    PROTOCOL_VERSION,
    CommandRejected,
    InstanceError,
    InstanceServer,
    decode_reply,
    encode_request,
    send_command,
    socket_name,
)
from stretchbreak.services.timers import QtWakeTimer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")

ROOT = Path(__file__).resolve().parents[3]
WAIT_MS = 20_000


def from_a_thread(qtbot: QtBot, call: Callable[[], dict[str, object]]) -> dict[str, object]:
    """``call``'s answer, or the exception it raised, while this thread's event loop serves."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome.update(call())
        except InstanceError as error:
            outcome["raised"] = f"{type(error).__name__}: {error}"

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=WAIT_MS)
    return outcome


@pytest.fixture
def name(tmp_path: Path) -> Iterator[str]:
    name = socket_name(tmp_path / "data", create=True)
    yield name
    (Path(QDir.tempPath()) / name).unlink(missing_ok=True)


def test_the_channel_and_the_command_line_client_load_no_qtnetwork() -> None:
    script = """
import json, sys
import stretchbreak.infra.instance, stretchbreak.cli.control
print(json.dumps(sorted(name for name in sys.modules if "QtNetwork" in name)))
"""
    answer = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout) == []


def test_a_client_on_another_thread_of_the_serving_process_is_answered(
    qtbot: QtBot, name: str
) -> None:
    """Python's socket calls let go of the GIL while they wait, unlike QLocalSocket's."""
    server = InstanceServer(timers=QtWakeTimer)
    server.register("ping", lambda args: {"echo": args})
    assert server.listen(name)
    try:
        reply = from_a_thread(qtbot, lambda: send_command(name, "ping", {"n": 1}))
    finally:
        server.close()
    assert reply == {"version": PROTOCOL_VERSION, "ok": True, "echo": {"n": 1}}


def test_a_bare_name_lies_in_tmpdir_private_to_the_user(tmp_path: Path) -> None:
    script = """
import sys
from PySide6.QtCore import QCoreApplication
from stretchbreak.infra.instance import InstanceServer
from stretchbreak.services.timers import QtWakeTimer
app = QCoreApplication([])
server = InstanceServer(timers=QtWakeTimer)
assert server.listen("stretchbreak-tmpdir-check")
print(server.full_name)
server.close()
"""
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    listened = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert listened.returncode == 0, listened.stderr
    assert listened.stdout.strip() == str(temp / "stretchbreak-tmpdir-check")
    assert list(temp.iterdir()) == [], "closing removes the socket (and the lock)"


def test_another_users_socket_is_neither_removed_nor_asked(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(QDir.tempPath()) / name
    with socket.socket(socket.AF_UNIX) as left:
        left.bind(str(path))  # a socket file nobody accepts on
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)  # so the file is not ours
    with pytest.raises(InstanceError, match="belongs to another user") as listening:
        InstanceServer(timers=QtWakeTimer).listen(name)
    with pytest.raises(InstanceError, match="belongs to another user") as asking:
        send_command(name, "status")
    assert type(listening.value) is type(asking.value) is InstanceError
    assert stat.S_ISSOCK(path.lstat().st_mode), "left where it was"


def test_the_windows_transport_speaks_the_same_protocol(
    qtbot: QtBot, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instance, "_transport", instance_qt)
    server = InstanceServer(timers=QtWakeTimer)
    server.register("ping", lambda args: {"echo": args})
    assert server.listen(name)

    def ask(command: str) -> dict[str, object]:
        return decode_reply(instance_unix.exchange(name, encode_request(command, {"n": 2}), 10.0))

    try:
        assert InstanceServer(timers=QtWakeTimer).listen(name) is False, (
            "a live Qt server keeps its name"
        )
        answered = from_a_thread(qtbot, lambda: ask("ping"))
        unknown = from_a_thread(qtbot, lambda: ask("dance"))
    finally:
        server.close()
    assert answered == {"version": PROTOCOL_VERSION, "ok": True, "echo": {"n": 2}}
    assert unknown == {"raised": f"{CommandRejected.__name__}: unknown command 'dance'"}
    assert not (Path(QDir.tempPath()) / name).exists()
