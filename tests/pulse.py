"""A private PulseAudio daemon for tests: a null microphone, null speakers, and ``parec`` as
the recording client a call application would be. Started in a private runtime folder, so
nothing on the machine (or a developer's desktop) is touched."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.desktop.conftest import need_programs, wait_until

__all__ = ["MIC_SOURCE", "SPEAKERS", "parec", "pulse_fixture", "running_pulse", "stop"]

MIC_SOURCE = "fakemic"
SPEAKERS = "speakers"


def accepts(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as client:
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(name="pulse")
def pulse_fixture() -> Iterator[dict[str, str]]:
    """A private PulseAudio with a null microphone and null speakers; yields its environment."""
    with running_pulse() as (env, _daemon):
        yield env


@contextmanager
def running_pulse() -> Iterator[tuple[dict[str, str], subprocess.Popen[bytes]]]:
    """The daemon of ``pulse`` with its process, for a test that suspends or ends it."""
    need_programs(["pulseaudio", "parec"], "pulseaudio pulseaudio-utils")
    with tempfile.TemporaryDirectory(prefix="sb-mic-") as folder:
        runtime = Path(folder)
        runtime.chmod(0o700)
        native = runtime / "native"
        env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "HOME": str(runtime),
            "PULSE_SERVER": f"unix:{native}",
        }
        for name in ("PULSE_COOKIE", "PIPEWIRE_REMOTE", "PIPEWIRE_RUNTIME_DIR"):
            env.pop(name, None)
        with (runtime / "daemon.log").open("wb") as log:
            daemon = subprocess.Popen(
                [
                    "pulseaudio",
                    "-n",
                    "--daemonize=no",
                    "--exit-idle-time=-1",
                    "--use-pid-file=no",
                    "--disable-shm=yes",
                    "--log-target=stderr",
                    f"--load=module-native-protocol-unix socket={native} auth-anonymous=1",
                    f"--load=module-null-source source_name={MIC_SOURCE}",
                    f"--load=module-null-sink sink_name={SPEAKERS}",
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            wait_until(lambda: daemon.poll() is not None or accepts(native), "pulseaudio listening")
            if daemon.poll() is not None:
                pytest.fail(f"pulseaudio exited:\n{(runtime / 'daemon.log').read_text()}")
            yield env, daemon
        finally:
            stop(daemon)


def parec(env: dict[str, str], device: str) -> subprocess.Popen[bytes]:
    """A recording client, as a call application is: it records until stopped."""
    return subprocess.Popen(
        ["parec", f"--device={device}", "--raw", "--latency-msec=50"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
