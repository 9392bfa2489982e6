"""One look at every busy signal (microphone, camera, fullscreen, do-not-disturb), as the
coordinator makes it every few seconds while a break waits for a call.

    .venv/bin/python -m benchmarks.busy_check [--runs 200] [--json FILE]

Real parts where this machine has them: a private PulseAudio with a null microphone and a
``parec`` recording it (the call), Xvfb with openbox and a window in front (fullscreen),
the ``/proc`` scan of this user's processes and a private PipeWire daemon with an idle
test-pattern camera node, read by ``pw-dump`` (camera; without ``pipewire`` installed the
camera is the ``/proc`` scan alone), and a private session bus on which
no desktop answers (do-not-disturb, "unavailable": the cost of finding that out is in the
first look). Reported: the first look (which opens every backend) and the median and
95th percentile of the looks after it. The floor is one ``pactl list short
source-outputs``, the way a script would ask the sound server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import start_xvfb

DISPLAY = ":57"


def wait(check: object, what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            sys.exit(f"{what}: not within {seconds} s")
        time.sleep(0.02)


def accepts(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as client:
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    for tool in ("pulseaudio", "parec", "pactl", "openbox", "dbus-daemon"):
        if shutil.which(tool) is None:
            sys.exit(
                f"{tool} is missing (apt-get install pulseaudio pulseaudio-utils openbox dbus)"
            )
    children: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="sb-busy-") as folder:
        runtime = Path(folder)
        runtime.chmod(0o700)
        native = runtime / "native"
        os.environ.update(
            XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime), PULSE_SERVER=f"unix:{native}"
        )
        try:
            children.append(start_xvfb(DISPLAY))
            children.append(
                subprocess.Popen(
                    [
                        "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                        "--use-pid-file=no", "--disable-shm=yes",
                        f"--load=module-native-protocol-unix socket={native} auth-anonymous=1",
                        "--load=module-null-source source_name=fakemic",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
            wait(lambda: accepts(native), "pulseaudio")
            if shutil.which("pipewire") and shutil.which("pw-cli"):
                children.append(start_pipewire(runtime))
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            children.append(bus)
            assert bus.stdout is not None
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
            children.append(subprocess.Popen(["openbox"], stderr=subprocess.DEVNULL))
            wait(
                lambda: (
                    "window id"
                    in subprocess.run(
                        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                        capture_output=True,
                        text=True,
                    ).stdout
                ),
                "openbox",
            )
            children.append(subprocess.Popen(["xmessage", "slides"], stderr=subprocess.DEVNULL))
            children.append(subprocess.Popen(["parec", "-d", "fakemic"], stdout=subprocess.DEVNULL))
            figures = measure(args.runs)
        finally:
            for child in reversed(children):
                child.terminate()
                child.wait(timeout=10)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures))
    return 0


def start_pipewire(runtime: Path) -> subprocess.Popen[bytes]:
    """PipeWire in the private runtime folder, with a camera node nobody streams from."""
    daemon = subprocess.Popen(["pipewire"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait(lambda: accepts(runtime / "pipewire-0"), "pipewire")
    cli = subprocess.Popen(
        ["pw-cli"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    assert cli.stdin is not None
    cli.stdin.write(
        b"create-node spa-node-factory factory.name=videotestsrc"
        b" library.name=videotestsrc/libspa-videotestsrc node.name=camera"
        b" media.class=Video/Source object.linger=true\n"
    )
    cli.stdin.flush()
    wait(
        lambda: b'"camera"' in subprocess.run(["pw-dump"], capture_output=True).stdout,
        "the camera node",
    )
    cli.stdin.write(b"quit\n")
    cli.stdin.close()
    cli.wait(timeout=10)
    return daemon


def measure(runs: int) -> dict[str, object]:
    from PySide6.QtCore import QCoreApplication

    from stretchbreak.core.deferral import BusyReason
    from stretchbreak.infra.busy import BusyProbe, platform_makers

    QCoreApplication([])  # QtDBus wants an application object
    everything = frozenset(BusyReason)
    probe = BusyProbe(platform_makers())
    wait(lambda: BusyReason.MICROPHONE in probe.busy(everything), "the call seen")
    probe.release()
    start = time.perf_counter()
    busy = probe.busy(everything)
    first_ms = (time.perf_counter() - start) * 1000
    looks = []
    for _ in range(runs):
        start = time.perf_counter()
        probe.busy(everything)
        looks.append((time.perf_counter() - start) * 1000)
    states = {s.reason.value: s.source or f"unavailable: {s.problem}" for s in probe.states()}
    probe.release()
    pw_dump = []
    if shutil.which("pw-dump"):
        for _ in range(min(runs, 50)):
            start = time.perf_counter()
            subprocess.run(["pw-dump", "--no-colors"], capture_output=True)
            pw_dump.append((time.perf_counter() - start) * 1000)
    floor = []
    for _ in range(min(runs, 20)):
        start = time.perf_counter()
        subprocess.run(["pactl", "list", "short", "source-outputs"], capture_output=True)
        floor.append((time.perf_counter() - start) * 1000)
    looks.sort()
    return {
        "busy": sorted(reason.value for reason in busy),
        "backends": states,
        "first_check_ms": first_ms,
        "check_ms": statistics.median(looks),
        "check_p95_ms": looks[int(len(looks) * 0.95) - 1],
        "floor_pactl_ms": statistics.median(floor),
        "pw_dump_ms": statistics.median(pw_dump) if pw_dump else None,
        "runs": runs,
    }


if __name__ == "__main__":
    raise SystemExit(main())
