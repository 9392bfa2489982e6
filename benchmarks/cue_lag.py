"""Spoken-cue lag: plays a guided session into a PulseAudio null sink and times each cue.

    .venv/bin/python -m benchmarks.cue_lag [--json OUT] [--keep DIR]

A private PulseAudio daemon with one null sink; a silent stream keeps the sink running so
its monitor streams continuously; ``parec`` records the monitor while this process notes
when each chunk arrives (the earliest arrival fixes the recording's clock, so any delay of
the capture path counts against the app). A second process runs the real guided session
(desk-reset, 2 sets × 6 reps, 3 s hold, 15 s rest) with the real clock, timers, QSoundEffect
and the shipped English voice, and prints when each cue was due. Lag = the cue's onset in
the recording (first 5 ms window above -45 dBFS after silence) − its due time. ``sox stat``
then measures the first cue as heard.

The session starts as a user meets it, in a process that has played nothing yet: the guided
window opens (which loads the clips and opens the audio stream, as the app does) and Start is
pressed ``--start-after`` seconds later (default 1 s; 0 = at the same instant); the first cue
("Kneel down") is the first sound the process makes. The player is
started only once the recording has run for a few seconds: in the first ~2 s of a fresh
monitor recording a sound is dated up to 0.8 s late (measured: the same first cue lagged
650–800 ms 1.2 s after ``parec`` started, 40–48 ms from 4 s on), which is the harness, not
the app.
"""

from __future__ import annotations

import argparse
import array
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SINK = "stretchbreak_bench"
RATE = 44_100
WINDOW = RATE // 200  # 5 ms
#: How much the recording must have captured before the app starts (see the docstring).
SETTLE_SECONDS = 4.0

PLAYER = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from stretchbreak.core.clock import SystemClock
from stretchbreak.core.session_values import SessionPlan, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.resources import load_bundled_exercise, resources_dir
from stretchbreak.infra.voice_files import load_voice
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import qt_wake_timer
from stretchbreak.services import voice

app = QCoreApplication([])
clock = SystemClock()
exercise = load_bundled_exercise()
runner = SessionRunner(clock, qt_wake_timer)
titles = tuple(c.title for c in exercise.setup)
coach = voice.VoiceCoach(load_voice(resources_dir() / "voice", "en"), clock, qt_wake_timer, titles)
runner.session_started.connect(coach.on_session_started)
runner.view_changed.connect(coach.on_view_changed)
cues = []
original = voice.VoiceCoach._play
def play(self, cue):
    cues.append({"text": cue.text, "due": cue.due, "played": clock.monotonic()})
    original(self, cue)
voice.VoiceCoach._play = play

def window_opens():
    coach.prepare()  # what the guided window's opening does (app/cues.py BreakCues.warm)
    QTimer.singleShot(round(float(sys.argv[1]) * 1000), begin)  # the user presses Start

def begin():
    goal = exercise.goal("desk-reset")
    plan = SessionPlan("bench", exercise, goal, Target(2, 6, 3), TempoMode.GUIDED,
                       rest_seconds=15)
    runner.start(plan)
    QTimer.singleShot(7000, runner.ready)  # after the first setup cue, as a user would

runner.session_ended.connect(lambda _s: QTimer.singleShot(2000, app.quit))
QTimer.singleShot(1500, window_opens)
QTimer.singleShot(300_000, app.quit)
app.exec()
print(json.dumps({"cues": cues, "available": coach.available}))
"""


def start_pulse(runtime: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    native = runtime / "native"
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(runtime),
        "PULSE_SERVER": f"unix:{native}",
        "QT_AUDIO_BACKEND": "pulseaudio",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    daemon = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no",
         "--disable-shm=yes", f"--load=module-null-sink sink_name={SINK} rate={RATE} channels=1",
         f"--load=module-native-protocol-unix socket={native} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline or daemon.poll() is not None:
            sys.exit("pulseaudio did not start")
        time.sleep(0.05)
    return daemon, env


class Recorder:
    """Reads parec's raw samples in a thread, noting when each chunk arrived.

    A sample's time is bounded above by every later chunk's arrival minus the samples in
    between; the tightest bound over the next two seconds dates it (a window, not the whole
    run, because the sink's sample clock drifts from the system's by a few hundred ppm).
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            ["parec", f"--device={SINK}.monitor", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--raw", "--latency-msec=5"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.data = bytearray()
        self.arrivals: list[tuple[int, float]] = []  # (samples so far, monotonic arrival)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while chunk := stream.read1(4096):  # type: ignore[attr-defined]
            arrived = time.monotonic()
            self.data += chunk
            self.arrivals.append((len(self.data) // 2, arrived))

    def wait_for(self, seconds: float) -> None:
        """Returns once ``seconds`` of audio were recorded (the capture path has settled)."""
        deadline = time.monotonic() + seconds + 15
        while len(self.data) // 2 < seconds * RATE:
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("parec recorded nothing")
            time.sleep(0.05)

    def time_of(self, index: int) -> float:
        """Monotonic time at which sample ``index`` was recorded (at the latest)."""
        bounds = [
            arrived - (count - index) / RATE
            for count, arrived in self.arrivals
            if index <= count <= index + 2 * RATE
        ]
        return min(bounds) if bounds else math.inf

    def stop(self) -> array.array[int]:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.thread.join(timeout=10)
        return array.array("h", bytes(self.data[: len(self.data) // 2 * 2]))


def onsets(samples: array.array[int], threshold: float = -45.0) -> list[int]:
    """Sample index of each sound that follows at least 100 ms of silence."""
    found: list[int] = []
    quiet = 20
    for start in range(0, len(samples) - WINDOW, WINDOW):
        chunk = samples[start : start + WINDOW]
        rms = math.sqrt(sum(v * v for v in chunk) / WINDOW)
        loud = 20 * math.log10(max(rms, 1.0) / 32_768) > threshold
        if loud and quiet >= 20:
            found.append(start)
        quiet = 0 if loud else quiet + 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--start-after",
        type=float,
        default=1.0,
        help="seconds from the window opening to Start being pressed (default 1.0)",
    )
    parser.add_argument("--keep", type=Path, help="save the recording as WAV in this folder")
    args = parser.parse_args()
    for tool in ("pulseaudio", "parec", "pacat", "pactl", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing (apt-get install pulseaudio pulseaudio-utils sox)")
    with tempfile.TemporaryDirectory(prefix="sb-lag-") as folder:
        runtime = Path(folder)
        runtime.chmod(0o700)
        daemon, env = start_pulse(runtime)
        keeper = subprocess.Popen(
            ["pacat", "--playback", f"--device={SINK}", "--raw", "--format=s16le",
             f"--rate={RATE}", "--channels=1", "/dev/zero"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        recorder = Recorder(env)
        try:
            recorder.wait_for(SETTLE_SECONDS)
            player = subprocess.run(
                [sys.executable, "-c", PLAYER, str(args.start_after)], env=env, cwd=ROOT,
                capture_output=True, text=True, timeout=300, check=True,
            )  # fmt: skip
            time.sleep(0.5)  # the last cue's tail on its way through the server
        finally:
            samples = recorder.stop()
            keeper.terminate()
            keeper.wait()
            daemon.terminate()
            daemon.wait()
        result = json.loads(player.stdout.splitlines()[-1])
        if not result["available"]:
            sys.exit("the coach found no audio output:\n" + player.stderr)
        heard = [recorder.time_of(index) for index in onsets(samples)]
        lags: list[float] = []
        rows = []
        for cue in result["cues"]:
            onset = next((t for t in heard if t >= cue["due"] - 0.02), None)
            if onset is None:
                continue
            heard.remove(onset)
            lag = (onset - cue["due"]) * 1000
            lags.append(lag)
            rows.append((cue["text"], lag))
        wav = runtime / "capture.wav"
        raw = runtime / "capture.raw"
        raw.write_bytes(samples.tobytes())
        subprocess.run(["sox", "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c",
                        "1", str(raw), str(wav)], check=True)  # fmt: skip
        start = recorder.time_of(0)
        sit_back = next(c["due"] for c in result["cues"] if c["text"] == "Sit back")
        first = sit_back - start
        stat = subprocess.run(
            ["sox", str(wav), "-n", "trim", f"{max(0.0, first - 0.05):.3f}", "0.6", "stat"],
            capture_output=True, text=True, check=True,
        ).stderr  # fmt: skip
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(wav, args.keep / "cue-lag-capture.wav")
    for text, lag in rows:
        print(f"{lag:7.1f} ms  {text}")
    figures = {
        "cues": len(result["cues"]),
        "matched": len(lags),
        "median_ms": statistics.median(lags),
        "max_ms": max(lags),
        "min_ms": min(lags),
        "first_text": rows[0][0],
        "first_ms": rows[0][1],
        "later_max_ms": max(lags[1:]),
    }
    print(
        f"{figures['matched']} of {figures['cues']} cues found; lag median "
        f"{figures['median_ms']:.1f} ms, max {figures['max_ms']:.1f} ms; first cue "
        f"({figures['first_text']}) {figures['first_ms']:.1f} ms, later cues at most "
        f"{figures['later_max_ms']:.1f} ms"
    )
    print('"Sit back" as heard (sox stat):')
    wanted = ("Length (seconds)", "Maximum amplitude", "RMS     amplitude")
    print("\n".join(line for line in stat.splitlines() if line.split(":")[0].strip() in wanted))
    if args.json:
        args.json.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
