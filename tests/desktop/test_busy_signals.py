"""The busy signals against the real thing: a PulseAudio daemon with a recording client, a
process holding a device open, a fullscreen window under a real window manager."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from stretchbreak.core.deferral import BusyReason
from stretchbreak.infra.busy import BusyProbe, BusyUnavailable, platform_makers
from stretchbreak.infra.busy_camera import ProcCamera
from stretchbreak.infra.busy_pulse import PulseMicrophone
from stretchbreak.infra.busy_x11 import X11Fullscreen
from tests.desktop.conftest import (
    line_child,
    need_programs,
    private_session_bus,
    running_openbox,
    running_xvfb,
    session_env,
    wait_until,
)
from tests.pulse import (
    MIC_SOURCE,
    SPEAKERS,
    parec,
    pulse_fixture,  # noqa: F401 - the "pulse" fixture
    running_pulse,
    stop,
)


def test_a_real_recording_client_is_a_call_and_a_monitor_recording_is_not(
    pulse: dict[str, str],
) -> None:
    microphone = PulseMicrophone(server=pulse["PULSE_SERVER"])
    try:
        assert microphone.busy() is False
        meter = parec(pulse, f"{SPEAKERS}.monitor")  # recording what the speakers play
        try:
            wait_until(lambda: stream_count(pulse) == 1, "the monitor recording listed")
            assert microphone.busy() is False
            meeting = parec(pulse, MIC_SOURCE)
            try:
                wait_until(lambda: microphone.busy() is True, "the meeting seen")
            finally:
                stop(meeting)
            wait_until(lambda: microphone.busy() is False, "the meeting's end seen")
        finally:
            stop(meter)
    finally:
        microphone.close()
    assert microphone.busy() is None  # closed: no answer, no crash


def test_our_own_recording_does_not_count(pulse: dict[str, str]) -> None:
    meeting = parec(pulse, MIC_SOURCE)
    try:
        wait_until(lambda: stream_count(pulse) == 1, "the recording listed")
        microphone = PulseMicrophone(server=pulse["PULSE_SERVER"], own_pid=meeting.pid)
        try:
            assert microphone.busy() is False
        finally:
            microphone.close()
    finally:
        stop(meeting)


def test_a_sound_server_that_goes_away_is_a_failed_read_not_a_crash(
    pulse: dict[str, str],
) -> None:
    microphone = PulseMicrophone(server=pulse["PULSE_SERVER"])
    try:
        subprocess.run(["pactl", "exit"], env=pulse, check=False, capture_output=True, timeout=10)
        wait_until(lambda: microphone.busy() is None, "the lost server noticed")
    finally:
        microphone.close()


def test_a_hung_sound_server_fails_the_look_in_bounded_time_instead_of_freezing() -> None:
    """The server stopped with SIGSTOP accepts nothing and answers nothing: a look gives up
    after its half second (generous bound for a loaded machine), and so does a new connection."""
    with running_pulse() as (env, daemon):
        microphone = PulseMicrophone(server=env["PULSE_SERVER"])
        probe = BusyProbe({BusyReason.MICROPHONE: lambda: microphone})
        assert probe.busy(frozenset(BusyReason)) == frozenset()
        daemon.send_signal(signal.SIGSTOP)
        try:
            started = time.monotonic()
            assert probe.busy(frozenset(BusyReason)) == frozenset()  # failed read: not busy
            assert time.monotonic() - started < 5
            assert microphone.busy() is None  # given up: no further waits this break
            started = time.monotonic()
            with pytest.raises(BusyUnavailable, match="sound server"):
                PulseMicrophone(server=env["PULSE_SERVER"])
            assert time.monotonic() - started < 5
        finally:
            daemon.send_signal(signal.SIGCONT)
            probe.release()
        again = PulseMicrophone(server=env["PULSE_SERVER"])  # the next break looks afresh
        assert again.busy() is False
        again.close()


def test_no_sound_server_is_unavailable_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(BusyUnavailable, match="sound server"):
        PulseMicrophone(server=f"unix:{tmp_path}/nothing-here")


def stream_count(env: dict[str, str]) -> int:
    out = subprocess.run(
        ["pactl", "list", "short", "source-outputs"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    return len(out.strip().splitlines())


# ---------------------------------------------------------------- camera


def test_a_process_holding_the_device_open_is_a_camera_in_use(tmp_path: Path) -> None:
    device = tmp_path / "video0"
    device.write_bytes(b"")
    camera = ProcCamera(device_prefix=str(tmp_path / "video"))
    assert camera.busy() is False
    script = (
        f"f = open({str(device)!r}, 'rb'); print('open', flush=True); import sys; sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdin is not None
        assert holder.stdout.readline().strip() == "open"
        assert camera.busy() is True
        own = ProcCamera(device_prefix=str(tmp_path / "video"), own_pid=holder.pid)
        assert own.busy() is False  # our own process never counts
        someone_else = ProcCamera(device_prefix=str(tmp_path / "video"), uid=os.getuid() + 1)
        assert someone_else.busy() is False  # another user's process is not this user's call
        holder.stdin.close()
        holder.wait(timeout=10)
    assert camera.busy() is False
    camera.close()


def test_no_process_table_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BusyUnavailable, match="process table"):
        ProcCamera(proc=tmp_path)


# ---------------------------------------------------------------- fullscreen

FULLSCREEN_CHILD = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
window = QLabel("slides")
window.setWindowTitle("presentation")
window.resize(300, 200)
window.show()
def on_line():
    line = sys.stdin.readline().strip()
    if line == "full":
        window.showFullScreen()
    elif line == "normal":
        window.showNormal()
    elif not line:
        app.quit()
        return
    print(line, flush=True)
from PySide6.QtCore import QSocketNotifier
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(on_line)
print("shown", flush=True)
app.exec()
"""


def test_a_real_fullscreen_window_under_openbox_is_seen(tmp_path: Path) -> None:
    need_programs(["openbox", "xprop"], "openbox x11-utils")
    with ExitStack() as session:
        display = session.enter_context(running_xvfb())
        with pytest.raises(BusyUnavailable, match="window manager"):
            X11Fullscreen(display)  # no window manager yet: nobody says which window is active
        env = session_env(display, session.enter_context(private_session_bus()))
        wm = session.enter_context(running_openbox(env))
        fullscreen = X11Fullscreen(display)
        session.callback(fullscreen.close)
        child = session.enter_context(
            line_child([sys.executable, "-c", FULLSCREEN_CHILD], env, tmp_path)
        )
        assert child.read_line("the window shown") == "shown"
        wait_until(lambda: active_window(env) != 0, "the window active", daemon=wm)
        assert fullscreen.busy() is False
        child.send("full")
        assert child.read_line("fullscreen asked") == "full"
        wait_until(lambda: fullscreen.busy() is True, "the fullscreen state seen", daemon=wm)
        child.send("normal")
        assert child.read_line("normal asked") == "normal"
        wait_until(lambda: fullscreen.busy() is False, "back to a normal window", daemon=wm)
        child.send("")
        fullscreen.close()
        assert fullscreen.busy() is None


def active_window(env: dict[str, str]) -> int:
    out = subprocess.run(
        ["xprop", "-root", "_NET_ACTIVE_WINDOW"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    try:
        return int(out.rsplit(" ", 1)[-1].strip().rstrip(","), 16)
    except ValueError:
        return 0


def test_the_probe_reports_each_signal_on_this_desktop_honestly(
    pulse: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No X display, no session bus: those two say why; the microphone and camera work."""
    env = {
        key: value
        for key, value in pulse.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    monkeypatch.setenv("PULSE_SERVER", pulse["PULSE_SERVER"])  # libpulse reads it from here
    probe = BusyProbe(platform_makers("linux", env))
    states = {state.reason: state for state in probe.states()}
    assert states[BusyReason.MICROPHONE].source == "PulseAudio"
    assert states[BusyReason.CAMERA].available
    assert states[BusyReason.FULLSCREEN].problem == "no X11 session"
    assert states[BusyReason.DO_NOT_DISTURB].problem == "no session bus"
    meeting = parec(pulse, MIC_SOURCE)
    try:
        wait_until(
            lambda: probe.busy(frozenset(BusyReason)) == {BusyReason.MICROPHONE},
            "the meeting seen through the probe",
        )
    finally:
        stop(meeting)
    probe.release()
    assert probe.busy(frozenset({BusyReason.MICROPHONE})) == frozenset()
    probe.release()
