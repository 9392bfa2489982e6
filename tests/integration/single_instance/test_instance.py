"""The single-instance channel: names, the line protocol, stale sockets, refusals and timeouts.

The server runs in the test's process on the test's event loop. Every client that needs an
answer runs in a child process, as the CLI does: without an application, and without a
chance to answer for the server (its blocking wait would keep this event loop from running,
as ``test_a_server_that_does_not_answer_times_out`` relies on). Raw clients and a server that
hangs up poke at the Unix socket file directly; Windows has none, and skips them.
"""

from __future__ import annotations

import json
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QLockFile, QProcess
from pytestqt.qtbot import QtBot

from stretchbreak.infra import instance
from stretchbreak.infra.instance import (
    PROTOCOL_VERSION,
    CommandRejected,
    InstanceError,
    InstanceNotRunning,
    InstanceServer,
    InstanceTimeout,
    decode_reply,
    decode_request,
    encode_request,
    send_command,
    socket_name,
)
from stretchbreak.services.timers import QtWakeTimer

ROOT = Path(__file__).resolve().parents[3]
WAIT_MS = 20_000
NOT_RUNNING = QProcess.ProcessState.NotRunning

#: Sends one command with send_command and prints the answer, or the exception it raised.
CLIENT = """
import json, sys
from PySide6.QtCore import QCoreApplication
from stretchbreak.infra.instance import InstanceError, send_command
name, command, args, timeout = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
try:
    result = send_command(name, command, args, timeout_s=float(timeout))
except InstanceError as error:
    result = {"raised": type(error).__name__, "message": str(error)}
assert QCoreApplication.instance() is None, "the client must not need an application"
print(json.dumps(result))
"""

#: Sends each argument as raw bytes on its own connection to the socket file, prints each answer.
RAW_CLIENT = """
import socket, sys
for raw in sys.argv[2:]:
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(5)
        client.connect(sys.argv[1])
        client.sendall(raw.encode("utf-8", "surrogateescape").replace(b"<NL>", b"\\n"))
        answer = b""
        while not answer.endswith(b"\\n"):
            chunk = client.recv(65536)
            assert chunk, "hung up without answering"
            answer += chunk
    sys.stdout.write(answer.decode())
"""

#: A server in its own process, to be killed.
SERVER = """
import os, sys
from PySide6.QtCore import QCoreApplication
from stretchbreak.infra.instance import InstanceServer
from stretchbreak.services.timers import QtWakeTimer
app = QCoreApplication([])
server = InstanceServer(timers=QtWakeTimer)
server.register("ping", lambda args: {"pid": os.getpid()})
print("listening" if server.listen(sys.argv[1]) else "refused", flush=True)
app.exec()
"""

#: Reads a request and hangs up without answering, as an instance that crashes while asked.
HANG_UP = """
import socket, sys
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen()
print("listening", flush=True)
server.settimeout(20)
client, _ = server.accept()
client.settimeout(20)
request = b""
while not request.endswith(b"\\n"):
    chunk = client.recv(65536)
    assert chunk, "the client hung up first"
    request += chunk
client.close()
"""

#: The tests that talk to the socket file itself.
unix_socket_file = pytest.mark.skipif(
    sys.platform == "win32", reason="a named pipe has no socket file to poke at"
)


def python(qtbot: QtBot, script: str, *args: str) -> str:
    """Run ``script`` in a child Python while this process's event loop keeps serving."""
    process = QProcess()
    process.setWorkingDirectory(str(ROOT))
    with qtbot.waitSignal(process.finished, timeout=WAIT_MS):
        process.start(sys.executable, ["-c", script, *args])
    error = bytes(process.readAllStandardError().data()).decode()
    assert process.exitStatus() == QProcess.ExitStatus.NormalExit, error
    assert process.exitCode() == 0, error
    return bytes(process.readAllStandardOutput().data()).decode()


def first_line(process: QProcess) -> str:
    """The child's first line of output, waited for with a deadline."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not process.canReadLine():
        left = int((deadline - time.monotonic()) * 1000)
        assert left > 0, bytes(process.readAllStandardError().data())
        if not process.waitForReadyRead(left) and process.state() == NOT_RUNNING:
            raise AssertionError(bytes(process.readAllStandardError().data()))
    return bytes(process.readLine().data()).decode().strip()


def ask(
    qtbot: QtBot, name: str, command: str, args: object = None, timeout: float = 5.0
) -> dict[str, object]:
    reply: dict[str, object] = json.loads(
        python(qtbot, CLIENT, name, command, json.dumps(args), str(timeout))
    )
    return reply


@pytest.fixture
def name(tmp_path: Path) -> str:
    return socket_name(tmp_path / "data", create=True)


@pytest.fixture
def server(qtbot: QtBot, name: str) -> Iterator[InstanceServer]:
    server = InstanceServer(timers=QtWakeTimer)
    server.register("ping", lambda args: {"echo": args})
    assert server.listen(name)
    yield server
    server.close()


# ---------------------------------------------------------------- names


def test_each_data_folder_and_each_user_gets_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    a = socket_name(tmp_path / "a", user="1000")
    assert socket_name(tmp_path / "b", user="1000") != a
    assert socket_name(tmp_path / "a", user="1001") != a
    assert socket_name(tmp_path / "x" / ".." / "a", user="1000") == a
    assert socket_name(tmp_path / "link", user="1000") == a, "one folder, however it is spelled"
    assert socket_name(tmp_path / "a") == socket_name(tmp_path / "a"), "stable for this user"


def test_the_name_fits_a_unix_socket_path_whatever_the_data_folder(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 12)
    name = socket_name(deep)
    assert Path(name).name.startswith("stretchbreak-")
    assert len(name) == len(socket_name(tmp_path))
    # sockaddr_un holds 108 bytes on Linux and 104 on macOS, terminating NUL included.
    assert len(name.encode()) < 104


# ---------------------------------------------------------------- answering


def test_a_client_gets_the_handlers_answer(qtbot: QtBot, server: InstanceServer, name: str) -> None:
    with qtbot.waitSignal(server.request_answered, timeout=WAIT_MS) as answered:
        reply = ask(qtbot, name, "ping", {"goal": "warmup"})
    assert reply == {"version": PROTOCOL_VERSION, "ok": True, "echo": {"goal": "warmup"}}
    assert answered.args == ["ping", reply]


def test_a_held_server_answers_waiting_requests_once_released(
    qtbot: QtBot, server: InstanceServer, name: str
) -> None:
    """A start listens before its handlers exist; what comes in meanwhile waits for them."""
    server.hold()
    answered: list[str] = []
    server.request_answered.connect(lambda command, _reply: answered.append(command))
    client = QProcess()
    client.setWorkingDirectory(str(ROOT))
    client.start(sys.executable, ["-c", CLIENT, name, "ping", json.dumps({"n": 1}), "20"])
    qtbot.waitUntil(lambda: server.waiting == 1, timeout=WAIT_MS)
    assert answered == [], "nothing is answered while held"
    server.release()
    assert answered == ["ping"]
    with qtbot.waitSignal(client.finished, timeout=WAIT_MS):
        pass
    reply = json.loads(bytes(client.readAllStandardOutput().data()).decode())
    assert reply == {"version": PROTOCOL_VERSION, "ok": True, "echo": {"n": 1}}


def test_refusals_reach_the_client_as_command_rejected(
    qtbot: QtBot, server: InstanceServer, name: str
) -> None:
    def pause(args: dict[str, object]) -> None:
        raise CommandRejected(f"cannot pause for {args['minutes']} minutes")

    server.register("pause", pause)
    assert ask(qtbot, name, "pause", {"minutes": -5}) == {
        "raised": "CommandRejected",
        "message": "cannot pause for -5 minutes",
    }
    assert ask(qtbot, name, "dance") == {
        "raised": "CommandRejected",
        "message": "unknown command 'dance'",
    }


@unix_socket_file
def test_bad_requests_get_an_error_answer_and_the_server_keeps_serving(
    qtbot: QtBot, server: InstanceServer, name: str
) -> None:
    def broken(args: dict[str, object]) -> dict[str, object]:
        raise RuntimeError("a bug")

    server.register("broken", broken)
    lines = [
        "not json<NL>",
        "[1, 2]<NL>",
        '{"command": "ping"}<NL>',
        '{"version": 99, "command": "ping"}<NL>',
        '{"version": 1, "command": "ping", "args": [1]}<NL>',
        '{"version": 1, "command": ""}<NL>',
        '{"version": 1, "command": "broken"}<NL>',
        "x" * (instance.MAX_REQUEST_BYTES + 10),
        '{"version": 1, "command": "ping"}<NL>',
    ]
    answers = python(qtbot, RAW_CLIENT, server.full_name, *lines)
    replies = [json.loads(line) for line in answers.splitlines()]
    errors = [reply.get("error", "") for reply in replies]
    assert [reply["ok"] for reply in replies] == [False] * 8 + [True]
    assert errors[0].startswith("malformed request:")
    assert errors[1:3] == [
        "malformed request: not a JSON object",
        "malformed request: no protocol version",
    ]
    assert "newer than this instance understands" in errors[3]
    assert errors[4:6] == [
        "malformed request: args must be an object",
        "malformed request: no command",
    ]
    assert errors[6] == "internal error: RuntimeError: a bug"
    assert errors[7] == "request too long"
    assert replies[8] == {"version": PROTOCOL_VERSION, "ok": True, "echo": {}}


def test_the_socket_is_private_to_the_user(server: InstanceServer) -> None:
    if sys.platform == "win32":
        pytest.skip("a named pipe has an access list, not a file mode")
    mode = Path(server.full_name).stat().st_mode
    assert stat.S_ISSOCK(mode)
    assert mode & 0o077 == 0


# ---------------------------------------------------------------- owning the name


def test_a_second_server_on_a_live_name_refuses_and_the_first_keeps_it(
    qtbot: QtBot, server: InstanceServer, name: str
) -> None:
    second = InstanceServer(timers=QtWakeTimer)
    second.register("ping", lambda args: {"second": True})
    assert second.listen(name) is False
    assert ask(qtbot, name, "ping") == {"version": PROTOCOL_VERSION, "ok": True, "echo": {}}


def test_a_killed_servers_socket_is_taken_over(qtbot: QtBot, name: str) -> None:
    killed = QProcess()
    killed.setWorkingDirectory(str(ROOT))
    killed.start(sys.executable, ["-c", SERVER, name])
    try:
        assert first_line(killed) == "listening"
    finally:
        killed.kill()  # SIGKILL: nothing runs to remove the socket
        assert killed.waitForFinished(WAIT_MS)
    if sys.platform != "win32":
        assert (Path(QDir.tempPath()) / name).exists(), "the killed server left its socket"
    with pytest.raises(InstanceNotRunning):
        send_command(name, "ping", timeout_s=2.0)

    server = InstanceServer(timers=QtWakeTimer)
    server.register("ping", lambda args: {"new": True})
    try:
        assert server.listen(name)
        assert ask(qtbot, name, "ping") == {"version": PROTOCOL_VERSION, "ok": True, "new": True}
    finally:
        server.close()


def test_close_removes_the_socket(server: InstanceServer, name: str) -> None:
    server.close()
    with pytest.raises(InstanceNotRunning):
        send_command(name, "ping", timeout_s=2.0)
    assert not (Path(QDir.tempPath()) / name).exists()


def test_a_starting_instance_holding_the_lock_is_waited_for_then_reported(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instance, "_LOCK_WAIT_S", 0.05)
    held = QLockFile(str(Path(QDir.tempPath()) / f"{name}.lock"))
    assert held.tryLock(0)
    try:
        with pytest.raises(InstanceError, match="still starting"):
            InstanceServer(timers=QtWakeTimer).listen(name)
    finally:
        held.unlock()


def test_listening_before_the_application_exists_is_refused(qtbot: QtBot, name: str) -> None:
    # Such a server would accept connections and drop them: no event dispatcher watches it.
    script = """
import sys
from stretchbreak.infra.instance import InstanceServer
from stretchbreak.services.timers import QtWakeTimer
try:
    InstanceServer(timers=QtWakeTimer).listen(sys.argv[1])
except RuntimeError as error:
    print(error)
"""
    assert python(qtbot, script, name).strip() == "create the QApplication before listening"


def test_a_name_that_cannot_be_listened_on_is_an_error(tmp_path: Path) -> None:
    blocked = tmp_path / "socket"
    (blocked / "inside").mkdir(parents=True)  # a folder where the socket would go
    with pytest.raises(InstanceError, match="cannot listen"):
        InstanceServer(timers=QtWakeTimer).listen(str(blocked))
    with pytest.raises(InstanceError, match="cannot create the lock file"):
        InstanceServer(timers=QtWakeTimer).listen(str(tmp_path / "missing" / "socket"))


# ---------------------------------------------------------------- the client's failures


def test_nothing_listening_is_not_running_at_once(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(InstanceNotRunning, match="no stretchbreak is running"):
        send_command(name, "status")
    assert time.monotonic() - started < 2.0, "refused at once, not after the timeout"


def test_a_server_that_does_not_answer_times_out(server: InstanceServer, name: str) -> None:
    # The server's event loop does not run while this thread waits: it accepts, never answers.
    started = time.monotonic()
    with pytest.raises(InstanceTimeout, match=r"did not answer within 0\.3 s"):
        send_command(name, "ping", timeout_s=0.3)
    assert 0.25 <= time.monotonic() - started < 3.0


@unix_socket_file
def test_a_server_that_hangs_up_without_answering_is_an_error(name: str) -> None:
    path = Path(QDir.tempPath()) / name
    hanging = QProcess()
    hanging.setWorkingDirectory(str(ROOT))
    hanging.start(sys.executable, ["-c", HANG_UP, str(path)])
    try:
        assert first_line(hanging) == "listening"
        with pytest.raises(InstanceError, match="closed the connection without answering"):
            send_command(name, "ping", timeout_s=WAIT_MS / 1000)
    finally:
        hanging.kill()
        assert hanging.waitForFinished(WAIT_MS)
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- the protocol as values


def test_a_request_is_one_line_that_decodes_to_what_was_sent() -> None:
    line = encode_request("break", {"goal": "desk-reset", "note": "a\nb"})
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    assert json.loads(line)["version"] == PROTOCOL_VERSION
    assert decode_request(line) == ("break", {"goal": "desk-reset", "note": "a\nb"})
    assert decode_request(b'{"version": 1, "command": "status"}') == ("status", {})


@pytest.mark.parametrize(
    "line", [b"\xff\xfe", b'{"version": true, "command": "x"}', b'{"version": "1"}']
)
def test_requests_without_a_usable_version_or_text_are_rejected(line: bytes) -> None:
    with pytest.raises(CommandRejected, match="malformed request"):
        decode_request(line)


@pytest.mark.parametrize("line", [b"", b"nonsense", b"[]", b'{"ok": "yes"}'])
def test_a_garbled_answer_is_an_instance_error(line: bytes) -> None:
    with pytest.raises(InstanceError, match="garbled answer") as raised:
        decode_reply(line)
    assert not isinstance(raised.value, CommandRejected)


def test_a_refusal_without_a_reason_still_says_something() -> None:
    with pytest.raises(CommandRejected, match="refused"):
        decode_reply(b'{"ok": false}')
