"""The single-instance channel under attack and accident, through the real program.

Another local user (a second uid through ``setpriv``) plants what the old channel trusted: a
socket and a lock at the name computable for a data folder in the shared temporary folder,
or a runtime folder that is not the user's own. The same user, with no attacker, stops the
first app (SIGSTOP), deletes its socket, or puts a regular file where the socket was. In
every case exactly one app runs on the data folder, and a launch that cannot talk to it says
so in one line and exits 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stretchbreak.infra.instance import InstanceError, send_command
from tests.app_process import LOG_NAME, app_command, app_env, wait_for
from tests.waiting import first_to_end, until_file_says

pytestmark = pytest.mark.slow

TIME_LIMIT = 60.0
NOBODY = 65534
AS_NOBODY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
#: Planted by another user: a socket that answers every request as a hijacker would.
PLANTER = """
import os, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX)
server.bind(path)
os.chmod(path, 0o777)
server.listen(16)
open(path + ".lock", "w").write("1\\nplanted\\n")
os.chmod(path + ".lock", 0o644)
print("planted", flush=True)
server.settimeout(120)
while True:
    client, _ = server.accept()
    client.recv(65536)
    client.sendall(b'{"version": 1, "ok": true, "state": "hijacked"}\\n')
    client.close()
"""


def start(data: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        app_command(data, "--no-tray", *args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def apps() -> Iterator[list[subprocess.Popen[str]]]:
    """Every app a test started: woken from SIGSTOP and killed when the test ends."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for app in started:
        if app.poll() is None:
            os.kill(app.pid, signal.SIGCONT)
            app.kill()
        app.communicate(timeout=TIME_LIMIT)


def listening_on(data: Path, app: subprocess.Popen[str], after: int = 0) -> Path:
    """The socket the app says it listens on (its ``after``-th such line and later)."""

    def said(log: str) -> list[str]:
        return re.findall(r"listening (?:for commands|again) on (\S+)", log)

    log = until_file_says(data / LOG_NAME, lambda log: len(said(log)) > after, app, TIME_LIMIT)
    assert log is not None, f"the app never said it listens (again); exit code {app.poll()}"
    return Path(said(log)[-1])


def running(
    data: Path, env: dict[str, str], apps: list[subprocess.Popen[str]], after: int = 0
) -> Path:
    """A new app on ``data``, answering on the socket it names (after ``after`` earlier ones)."""
    app = start(data, env)
    apps.append(app)
    socket = listening_on(data, app, after)
    assert send_command(str(socket), "status", timeout_s=TIME_LIMIT)["ok"] is True
    return socket


def second_launch(data: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """A second launch run to its end: it must not keep running as another app."""
    launch = start(data, env, *args)
    if first_to_end([launch], TIME_LIMIT) is None:
        launch.kill()
        launch.communicate()
        raise AssertionError("the second launch kept running: a second app on one data folder")
    _, err = launch.communicate()
    return subprocess.CompletedProcess(launch.args, launch.returncode, "", err)


@contextmanager
def connected(path: Path) -> Iterator[socket.socket]:
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(TIME_LIMIT)
        client.connect(str(path))
        yield client


def readies(data: Path) -> int:
    return (data / LOG_NAME).read_text().count(": ready")


def status(data: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        app_command(data, "status", "--json"),
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )


def private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700)
    path.chmod(0o700)
    return path


# ---------------------------------------------------------------- where the socket lies


def test_the_socket_lies_in_the_users_runtime_folder(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    runtime = private_folder(tmp_path / "runtime")
    env = {**app_env(), "XDG_RUNTIME_DIR": str(runtime)}
    socket = running(tmp_path / "data", env, apps)
    assert socket.parent == runtime
    answered = status(tmp_path / "data", env)
    assert answered.returncode == 0, answered.stderr


@pytest.mark.parametrize("flaw", ["another user's", "group-readable", "a symbolic link"])
def test_a_runtime_folder_that_is_not_private_is_not_used(
    flaw: str, tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    runtime = private_folder(tmp_path / "runtime")
    if flaw == "another user's":
        os.chown(runtime, NOBODY, NOBODY)
    elif flaw == "group-readable":
        runtime.chmod(0o755)
    else:
        (tmp_path / "link").symlink_to(runtime)
        runtime = tmp_path / "link"
    env = {**app_env(), "XDG_RUNTIME_DIR": str(runtime)}
    socket = running(tmp_path / "data", env, apps)
    assert runtime.resolve() not in socket.resolve().parents, f"{flaw} folder was used"
    folder = socket.parent.lstat()
    assert (folder.st_uid, folder.st_mode & 0o777) == (os.getuid(), 0o700)
    assert not socket.parent.is_symlink()
    answered = status(tmp_path / "data", env)
    assert answered.returncode == 0, answered.stderr


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder every user may write to, as /tmp is (sticky, 1777)."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to act as a second user")
    if os.getuid() != 0:
        pytest.skip("acting as a second user through setpriv needs root")
    folder = Path(tempfile.mkdtemp(prefix="sb-shared-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def old_socket_name(data: Path) -> str:
    """The name the channel used to compute in the shared temporary folder."""
    folder = os.path.normcase(data.expanduser().resolve())
    return "stretchbreak-" + hashlib.sha256(f"{os.getuid()}\0{folder}".encode()).hexdigest()[:20]


def test_another_users_planted_socket_and_lock_neither_block_nor_hijack(
    tmp_path: Path, shared_tmp: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    planted = shared_tmp / old_socket_name(data)
    with subprocess.Popen(
        [*AS_NOBODY, "/usr/bin/python3", "-c", PLANTER, str(planted)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as planter:
        try:
            assert planter.stdout is not None
            assert planter.stdout.readline().strip() == "planted", planter.stderr
            assert planted.lstat().st_uid == NOBODY
            env = {**app_env(), "TMPDIR": str(shared_tmp)}
            env.pop("XDG_RUNTIME_DIR", None)
            socket = running(data, env, apps)
            assert shared_tmp not in socket.parents
            answered = status(data, env)
            assert answered.returncode == 0, answered.stderr
            assert json.loads(answered.stdout)["state"] != "hijacked"
            handed = second_launch(data, env, "break")
            assert handed.returncode == 0, handed.stderr
            assert readies(data) == 1
        finally:
            planter.kill()


def test_with_no_trustworthy_folder_the_app_runs_alone_without_commands(
    shared_tmp: Path, tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    """Another user's folder where the socket would go: never used, and never a second app."""
    run = shared_tmp / "state" / "stretchbreak" / "run"
    run.mkdir(parents=True, mode=0o700)
    os.chown(run, NOBODY, NOBODY)
    env = {**app_env(), "XDG_STATE_HOME": str(shared_tmp / "state")}
    env.pop("XDG_RUNTIME_DIR", None)
    data = tmp_path / "data"
    app = start(data, env)
    apps.append(app)
    log = wait_for(data / LOG_NAME, "started", app, TIME_LIMIT)
    assert f"will not put the command socket in {run}: it belongs to another user" in log
    assert list(run.iterdir()) == []
    second = second_launch(data, env, "break")
    assert second.returncode == 1
    assert second.stderr.count("\n") == 1, second.stderr
    assert "already runs" in second.stderr
    assert "belongs to another user" in second.stderr
    assert readies(data) == 1


# ---------------------------------------------------------------- the same user, by accident


def test_a_stopped_app_is_not_joined_by_a_second_one(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data, env = tmp_path / "data", app_env()
    running(data, env, apps)
    os.kill(apps[0].pid, signal.SIGSTOP)
    second = second_launch(data, env)
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert "already runs" in lines[0], lines
    assert "did not answer" in lines[0], lines
    assert readies(data) == 1
    os.kill(apps[0].pid, signal.SIGCONT)
    assert status(data, env).returncode == 0


@pytest.mark.parametrize("removed", ["the socket", "its folder"])
def test_a_deleted_socket_is_listened_on_again(
    removed: str, tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data, env = tmp_path / "data", app_env()
    socket = running(data, env, apps)
    if removed == "the socket":
        socket.unlink()  # a temporary-file cleaner
    else:
        shutil.rmtree(socket.parent)
    assert listening_on(data, apps[0], after=1) == socket
    answered = status(data, env)
    assert answered.returncode == 0, answered.stderr
    handed = second_launch(data, env, "break")
    assert handed.returncode == 0, handed.stderr
    assert readies(data) == 1


def test_a_regular_file_over_the_socket_is_replaced(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data, env = tmp_path / "data", app_env()
    socket = running(data, env, apps)
    stand_in = socket.with_name("stand-in")
    stand_in.write_text("not a socket")
    stand_in.replace(socket)
    assert listening_on(data, apps[0], after=1) == socket
    answered = status(data, env)
    assert answered.returncode == 0, answered.stderr
    assert readies(data) == 1


def test_a_regular_file_left_at_the_socket_path_does_not_stop_a_start(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data, env = tmp_path / "data", app_env()
    socket = running(data, env, apps)
    apps[0].kill()
    apps[0].wait(TIME_LIMIT)
    socket.unlink(missing_ok=True)
    socket.write_text("left by something else")
    assert running(data, env, apps, after=1) == socket
    handed = second_launch(data, env, "break")
    assert handed.returncode == 0, handed.stderr
    assert readies(data) == 2  # the killed app's start and this one


def test_a_regular_file_at_the_socket_path_of_a_running_app_gets_no_second_app(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    """Even where the socket cannot come back, a second launch says so and leaves."""
    data, env = tmp_path / "data", app_env()
    socket = running(data, env, apps)
    os.kill(apps[0].pid, signal.SIGSTOP)  # cannot notice and listen again
    socket.unlink()
    socket.write_text("not a socket")
    second = second_launch(data, env)
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert "already runs" in lines[0], second.stderr
    assert readies(data) == 1
    with pytest.raises(InstanceError):
        send_command(str(socket), "status", timeout_s=1)
    asked = status(data, env)
    assert asked.returncode == 1, "not 3: it does run"
    assert asked.stderr.count("\n") == 1, asked.stderr
    assert "already runs" in asked.stderr
    assert f"(process {apps[0].pid})" in asked.stderr


# ---------------------------------------------------------------- nonsense on the wire

NONSENSE = {
    '{"version": -5, "command": "status"}': "version must be a whole number from 1",
    '{"version": 1, "command": "pause", "args": {"until_tomorrow": "yes"}}': (
        "until_tomorrow must be true or false"
    ),
    '{"version": 1, "command": "pause", "args": {"minutes": 30, "until_tomorrow": true}}': (
        "either minutes or until_tomorrow, not both"
    ),
    '{"version": 1, "command": "pause", "args": {"minutes": 1e9}}': "minutes must be",
    '{"version": 1, "command": "break", "args": {"goal": ["warmup"]}}': "unknown goal",
    '{"version": 1, "command": "status", "args": {"verbose": true}}': "status takes no 'verbose'",
    '{"version": 1, "command": "status", "args": {}, "sudo": true}': "unknown field 'sudo'",
}


def test_nonsense_requests_are_refused_and_change_nothing(
    tmp_path: Path, apps: list[subprocess.Popen[str]]
) -> None:
    data, env = tmp_path / "data", app_env()
    socket = running(data, env, apps)
    before = json.loads(status(data, env).stdout)
    for line, message in NONSENSE.items():
        with connected(socket) as client:
            client.sendall(line.encode() + b"\n")
            reply = json.loads(client.makefile("rb").readline())
        assert reply["ok"] is False, line
        assert message in reply["error"], (line, reply)
    assert json.loads(status(data, env).stdout) == before
    assert apps[0].poll() is None
