"""The camera as PipeWire sees it: ``pw-dump`` stand-ins that print a recorded listing (an
idle and a streaming camera node) or hang, and a real PipeWire daemon started in a private
runtime folder with a test-pattern camera node (``videotestsrc``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchbreak.infra.busy import BusyUnavailable
from stretchbreak.infra.busy_camera import AnyCamera, ProcCamera, camera_backend
from stretchbreak.infra.busy_pipewire import BACKOFF_S, PipeWireCamera
from tests.desktop.conftest import need_programs, wait_until
from tests.pulse import stop

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pipewire"
IDLE = FIXTURES / "pw-dump-idle-camera.json"
RUNNING = FIXTURES / "pw-dump-running-camera.json"


class FakePwDump:
    """A ``pw-dump`` on a private PATH printing whatever listing the test put in place."""

    def __init__(self, folder: Path) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.listing = folder / "listing.json"
        self.env = {"PATH": str(self.bin)}
        self.answer(IDLE)

    def answer(self, listing: Path) -> None:
        shutil.copyfile(listing, self.listing)
        self._script(f'exec {shutil.which("cat")} "{self.listing}"')

    def hang(self) -> None:
        self._script(f"exec {shutil.which('sleep')} 600")  # a daemon that never answers

    def fail(self) -> None:
        self._script('echo "can\'t connect: Host is down" >&2; exit 255')  # pw-dump's own words

    def _script(self, body: str) -> None:
        script = self.bin / "pw-dump"
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_streaming_camera_node_is_busy_and_an_idle_one_is_not(tmp_path: Path) -> None:
    fake = FakePwDump(tmp_path)
    camera = PipeWireCamera(fake.env)
    assert camera.busy() is False  # the camera node exists but is suspended
    fake.answer(RUNNING)
    assert camera.busy() is True
    fake.answer(IDLE)
    assert camera.busy() is False
    camera.close()
    assert camera.busy() is None


def test_a_hung_pipewire_times_out_and_is_left_alone_for_a_while(tmp_path: Path) -> None:
    fake = FakePwDump(tmp_path)
    clock = Clock()
    camera = PipeWireCamera(fake.env, timeout=0.3, clock=clock)
    assert camera.busy() is False  # the look that opened it
    fake.hang()
    started = time.monotonic()
    assert camera.busy() is None
    assert time.monotonic() - started < 5  # the 0.3 s timeout, generous for a loaded machine
    fake.answer(RUNNING)
    clock.now += BACKOFF_S - 1
    assert camera.busy() is None  # not asked again yet
    clock.now += 2
    assert camera.busy() is True


def test_where_pipewire_cannot_answer_it_is_unavailable_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(BusyUnavailable, match="pw-dump is not installed"):
        PipeWireCamera({"PATH": str(tmp_path)})
    fake = FakePwDump(tmp_path)
    fake.fail()
    with pytest.raises(BusyUnavailable, match=r"^no PipeWire$"):
        PipeWireCamera(fake.env)
    fake.hang()
    started = time.monotonic()
    with pytest.raises(BusyUnavailable, match="PipeWire did not answer"):
        PipeWireCamera(fake.env, timeout=0.3)
    assert time.monotonic() - started < 5


def test_the_camera_is_busy_when_either_the_proc_scan_or_pipewire_says_so(
    tmp_path: Path,
) -> None:
    fake = FakePwDump(tmp_path)

    class Scan:
        name = "open video devices (/proc)"
        answer: bool | None = False

        def busy(self) -> bool | None:
            return self.answer

        def close(self) -> None:
            pass

    scan = Scan()
    camera = camera_backend({"/proc": lambda: scan, "PipeWire": lambda: PipeWireCamera(fake.env)})
    assert isinstance(camera, AnyCamera)
    assert camera.name == "open video devices (/proc) and PipeWire"
    assert camera.busy() is False
    fake.answer(RUNNING)
    assert camera.busy() is True
    fake.answer(IDLE)
    scan.answer = True
    assert camera.busy() is True
    scan.answer = None  # one failed read: the other still answers
    assert camera.busy() is False
    fake.hang()
    assert camera.busy() is None  # both failed


def test_the_settings_name_says_why_pipewire_does_not_watch(tmp_path: Path) -> None:
    def no_pipewire() -> PipeWireCamera:
        return PipeWireCamera({"PATH": str(tmp_path)})

    camera = camera_backend({"/proc": ProcCamera, "PipeWire": no_pipewire})
    assert camera.name.startswith("open video devices (/proc)")
    assert "PipeWire unavailable: pw-dump is not installed" in camera.name
    with pytest.raises(BusyUnavailable, match=r"/proc unavailable: .*PipeWire unavailable"):
        camera_backend({"/proc": lambda: ProcCamera(proc=tmp_path), "PipeWire": no_pipewire})


# ---------------------------------------------------------------- a real PipeWire daemon


@pytest.fixture(name="pipewire")
def pipewire_fixture() -> Iterator[tuple[dict[str, str], subprocess.Popen[bytes]]]:
    """A PipeWire daemon of its own: private runtime folder, no session bus, no session
    manager, so nothing links or starts a node unless the test does."""
    need_programs(["pipewire", "pw-dump", "pw-cli"], "pipewire pipewire-bin")
    with tempfile.TemporaryDirectory(prefix="sb-pw-") as folder:
        runtime = Path(folder)
        runtime.chmod(0o700)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PIPEWIRE_", "DBUS_", "PULSE_"))
        }
        env.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime))
        with (runtime / "daemon.log").open("wb") as log:
            daemon = subprocess.Popen(
                ["pipewire"], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        try:
            wait_until(
                lambda: daemon.poll() is not None or (runtime / "pipewire-0").exists(),
                "pipewire listening",
            )
            if daemon.poll() is not None:
                pytest.fail(f"pipewire exited:\n{(runtime / 'daemon.log').read_text()}")
            yield env, daemon
        finally:
            stop(daemon)


def test_a_real_pipewire_with_an_idle_camera_node_is_not_busy_and_its_end_is_noticed(
    pipewire: tuple[dict[str, str], subprocess.Popen[bytes]],
) -> None:
    env, daemon = pipewire
    camera = PipeWireCamera(env)
    assert camera.busy() is False  # no camera at all
    with subprocess.Popen(
        ["pw-cli"], env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    ) as cli:
        assert cli.stdin is not None
        cli.stdin.write(
            b"create-node spa-node-factory factory.name=videotestsrc"
            b" library.name=videotestsrc/libspa-videotestsrc node.name=test-camera"
            b" media.class=Video/Source object.linger=true\n"
        )
        cli.stdin.flush()
        wait_until(lambda: b"test-camera" in dump(env), "the camera node listed")
        cli.stdin.write(b"quit\n")  # the node lingers after its maker ends
        cli.stdin.close()
        cli.wait(timeout=10)
    assert b"test-camera" in dump(env)
    assert camera.busy() is False  # there, but nothing streams from it: suspended
    stop(daemon)
    assert camera.busy() is None  # the daemon is gone: a failed read
    with pytest.raises(BusyUnavailable, match=r"^no PipeWire$"):
        PipeWireCamera(env)


def dump(env: dict[str, str]) -> bytes:
    return subprocess.run(["pw-dump"], env=env, capture_output=True, timeout=10).stdout
