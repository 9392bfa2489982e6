"""Sound cues: which sounds a session earns, silence whenever audio is missing, and real audio.

Except in the ``desktop`` test, no test here lets a sound reach a speaker: they observe the
``played`` signal, with the audio output declared absent or a fake QtMultimedia in place,
so a developer's machine stays quiet while the suite runs.
"""

from __future__ import annotations

import array
import contextlib
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from enum import IntEnum
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest
from PySide6.QtCore import QObject, QUrl, Signal
from pytestqt.qtbot import QtBot

from stretchbreak.core.session_values import Phase, PhaseChanged, SessionPlan, TempoMode
from stretchbreak.core.sound_cue import SoundCue
from stretchbreak.core.target import Target
from stretchbreak.infra.resources import resources_dir
from stretchbreak.services import effect_cache
from stretchbreak.services.effect_cache import VOLUME
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.sound_cues import SoundCues
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock, FakeTimers
from tests.pulse import accepts, stop

REPO = Path(__file__).resolve().parents[3]
LOGGER = "stretchbreak.services.sound_cues"
HOLD_REP = ["hold-start", "hold-end"]


@pytest.fixture
def sounds_dir() -> Path:
    return resources_dir() / "sounds"


@pytest.fixture
def no_audio_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The state of a CI box: cues are decided and announced, nothing is heard."""
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: False)


def recorder(cues: SoundCues) -> list[str]:
    played: list[str] = []
    cues.played.connect(played.append)
    return played


def our_log_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


# ---------------------------------------------------------------- a fake QtMultimedia
class FakeSoundEffect(QObject):
    """Records what SoundCues asks of an effect; plays nothing."""

    statusChanged = Signal()  # noqa: N815 (Qt's name, so the code under test cannot tell)

    class Status(IntEnum):
        Loading = 1
        Ready = 2
        Error = 3

    made: ClassVar[list[FakeSoundEffect]] = []
    fail_on_play: ClassVar[bool] = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.volume = 1.0
        self.url = QUrl()
        self.plays = 0
        self.state = FakeSoundEffect.Status.Loading
        FakeSoundEffect.made.append(self)

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    def setSource(self, url: QUrl) -> None:
        self.url = url

    def source(self) -> QUrl:
        return self.url

    def status(self) -> FakeSoundEffect.Status:
        return self.state

    def play(self) -> None:
        if self.fail_on_play:
            raise RuntimeError("the audio stack fell over")
        self.plays += 1

    def stop(self) -> None:
        pass


@pytest.fixture
def fake_multimedia(monkeypatch: pytest.MonkeyPatch) -> type[FakeSoundEffect]:
    FakeSoundEffect.made = []
    FakeSoundEffect.fail_on_play = False
    module = SimpleNamespace(QSoundEffect=FakeSoundEffect)
    monkeypatch.setattr(effect_cache, "_import_multimedia", lambda: module)
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    return FakeSoundEffect


# ---------------------------------------------------------------- which cues a session plays
def run_session(clock: FakeClock, cues: SoundCues, plan: SessionPlan) -> None:
    """Runs a whole session the way the event loop would: every wake-up exactly on time."""
    timers = FakeTimers()
    runner = SessionRunner(clock, timers)
    runner.phase_changed.connect(cues.on_phase_changed)
    runner.start(plan)
    runner.ready()
    while (view := runner.view()) is not None and not view.phase.finished:
        (armed,) = [timer for timer in timers.made if timer.seconds is not None]
        assert armed.seconds is not None
        clock.advance(armed.seconds)
        timers.fire_armed()


def guided_plan(target: Target, rest: float = 20.0) -> SessionPlan:
    goal = make_goal()
    return SessionPlan(
        "s-1", make_exercise(goal), goal, target, TempoMode.GUIDED, rest_seconds=rest
    )


@pytest.mark.usefixtures("no_audio_output")
def test_a_guided_session_sounds_every_hold_and_each_rest_end(
    clock: FakeClock, sounds_dir: Path
) -> None:
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    run_session(clock, cues, guided_plan(Target(sets=2, reps=6, hold_seconds=3)))
    # Six reps a set, each a hold start and end; one rest between the sets ends with a chime.
    assert played == HOLD_REP * 6 + ["rest-end"] + HOLD_REP * 6
    assert not cues.available  # no output device here, and the cues were announced all the same


@pytest.mark.usefixtures("no_audio_output")
def test_without_a_rest_there_is_no_rest_end(clock: FakeClock, sounds_dir: Path) -> None:
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    run_session(clock, cues, guided_plan(Target(sets=2, reps=6, hold_seconds=3), rest=0.0))
    assert played == HOLD_REP * 12


@pytest.mark.usefixtures("no_audio_output")
def test_a_catch_up_burst_after_a_late_wake_up_stays_quiet(
    clock: FakeClock, sounds_dir: Path
) -> None:
    """Move 2 s, hold 3 s, return 2 s: waking 7.5 s late replays HOLD and RETURN, both stale."""
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    timers = FakeTimers()
    runner = SessionRunner(clock, timers)
    runner.phase_changed.connect(cues.on_phase_changed)
    seen: list[PhaseChanged] = []
    runner.phase_changed.connect(seen.append)
    runner.start(guided_plan(Target(sets=2, reps=6, hold_seconds=3)))
    runner.ready()
    seen.clear()

    clock.advance(7.5)  # the machine slept through the timer
    timers.fire_armed()
    assert [event.phase for event in seen] == [Phase.HOLD, Phase.RETURN, Phase.MOVE]
    assert played == []

    # Back on time: the next hold sounds, and its end too, so the previous phase was kept.
    clock.advance(1.5)
    timers.fire_armed()
    clock.advance(3.0)
    timers.fire_armed()
    assert played == HOLD_REP


def changed(phase: Phase, at: datetime, set_number: int = 1, rep: int = 1) -> PhaseChanged:
    return PhaseChanged(phase, set_number, rep, at)


def feed(cues: SoundCues, clock: FakeClock, phases: list[Phase], step_s: float = 1.0) -> None:
    for phase in phases:
        cues.on_phase_changed(changed(phase, clock.now()))
        clock.advance(step_s)


@pytest.mark.usefixtures("no_audio_output")
@pytest.mark.parametrize(
    ("phases", "expected"),
    [
        ([Phase.REST, Phase.MOVE], ["rest-end"]),  # the rest ran out or was skipped
        ([Phase.REST, Phase.CANCELLED], []),
        ([Phase.MOVE, Phase.HOLD, Phase.CANCELLED], ["hold-start"]),  # no "time's up"
        ([Phase.SETUP, Phase.MOVE], []),
        ([Phase.HOLD, Phase.HOLD], ["hold-start"]),  # a repeated event is not a new hold
    ],
)
def test_phase_sequences(
    clock: FakeClock, sounds_dir: Path, phases: list[Phase], expected: list[str]
) -> None:
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    feed(cues, clock, phases)
    assert played == expected


@pytest.mark.usefixtures("no_audio_output")
def test_stale_events_are_skipped_one_by_one(clock: FakeClock, sounds_dir: Path) -> None:
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    now = clock.now()
    cues.on_phase_changed(changed(Phase.MOVE, now - timedelta(seconds=9)))
    cues.on_phase_changed(changed(Phase.HOLD, now - timedelta(seconds=7)))  # stale
    cues.on_phase_changed(changed(Phase.RETURN, now - timedelta(seconds=0.4)))  # fresh
    assert played == ["hold-end"]


# ---------------------------------------------------------------- enabled
@pytest.mark.usefixtures("no_audio_output")
def test_disabled_plays_nothing_and_loads_nothing(
    clock: FakeClock, sounds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_import() -> object:
        raise AssertionError("QtMultimedia imported while sounds are off")

    monkeypatch.setattr(effect_cache, "_import_multimedia", must_not_import)
    cues = SoundCues(sounds_dir, clock, enabled=False)
    played = recorder(cues)
    run_session(clock, cues, guided_plan(Target(sets=2, reps=6, hold_seconds=3)))
    assert played == []
    assert not cues.enabled
    assert cues.available  # nothing was tried, so nothing is known to be missing


@pytest.mark.usefixtures("no_audio_output")
def test_turning_sounds_on_mid_hold_still_knows_the_hold(
    clock: FakeClock, sounds_dir: Path
) -> None:
    cues = SoundCues(sounds_dir, clock, enabled=False)
    played = recorder(cues)
    feed(cues, clock, [Phase.MOVE, Phase.HOLD])
    cues.enabled = True
    feed(cues, clock, [Phase.RETURN])
    assert played == ["hold-end"]
    cues.enabled = False
    feed(cues, clock, [Phase.MOVE, Phase.HOLD])
    assert played == ["hold-end"]


# ---------------------------------------------------------------- one effect per cue
def test_effects_are_made_once_per_cue_and_reused(
    clock: FakeClock, sounds_dir: Path, fake_multimedia: type[FakeSoundEffect]
) -> None:
    cues = SoundCues(sounds_dir, clock)
    feed(cues, clock, [Phase.MOVE])  # the session moves: every cue is loaded ahead of time
    assert [effect.url.fileName() for effect in fake_multimedia.made] == [
        cue.file_name for cue in SoundCue
    ]
    feed(cues, clock, [Phase.HOLD, Phase.RETURN, Phase.MOVE, Phase.HOLD])
    cues.play(SoundCue.REST_END)
    by_name = {effect.url.fileName(): effect for effect in fake_multimedia.made}
    assert len(fake_multimedia.made) == 3
    assert {name: effect.plays for name, effect in by_name.items()} == {
        "hold-start.wav": 2,
        "hold-end.wav": 1,
        "rest-end.wav": 1,
    }
    assert all(effect.volume == VOLUME for effect in fake_multimedia.made)
    assert all(effect.parent() is cues for effect in fake_multimedia.made)
    assert cues.available


def test_play_works_while_disabled_for_a_preview(
    clock: FakeClock, sounds_dir: Path, fake_multimedia: type[FakeSoundEffect]
) -> None:
    cues = SoundCues(sounds_dir, clock, enabled=False)
    played = recorder(cues)
    cues.play(SoundCue.HOLD_END)
    assert played == ["hold-end"]
    assert [effect.plays for effect in fake_multimedia.made] == [1]


def test_an_effect_in_error_silences_every_cue_with_one_log_line(
    clock: FakeClock,
    sounds_dir: Path,
    fake_multimedia: type[FakeSoundEffect],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, LOGGER)
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    cues.prepare()
    broken = fake_multimedia.made[0]
    broken.state = FakeSoundEffect.Status.Ready
    broken.statusChanged.emit()  # loaded: nothing to do
    assert cues.available
    broken.state = FakeSoundEffect.Status.Error
    broken.statusChanged.emit()
    broken.statusChanged.emit()  # Qt may say it more than once
    assert not cues.available
    feed(cues, clock, [Phase.MOVE, Phase.HOLD, Phase.RETURN])
    assert played == HOLD_REP  # still announced, never heard
    assert [effect.plays for effect in fake_multimedia.made] == [0, 0, 0]
    assert len(fake_multimedia.made) == 3  # nothing made again after giving up
    (line,) = our_log_lines(caplog)
    assert line.levelno == logging.INFO
    assert "hold-start.wav cannot be played" in line.getMessage()


def test_a_failing_play_is_caught_and_logged_once(
    clock: FakeClock,
    sounds_dir: Path,
    fake_multimedia: type[FakeSoundEffect],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_multimedia.fail_on_play = True
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    feed(cues, clock, [Phase.MOVE, Phase.HOLD, Phase.RETURN])
    assert played == HOLD_REP
    assert not cues.available
    (line,) = our_log_lines(caplog)
    assert "the audio stack fell over" in line.getMessage()


def test_an_effect_that_cannot_be_made_is_caught_and_logged_once(
    clock: FakeClock,
    sounds_dir: Path,
    fake_multimedia: type[FakeSoundEffect],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refuse(*_args: object) -> None:
        raise RuntimeError("no sound effect today")

    monkeypatch.setattr(fake_multimedia, "__init__", refuse)
    cues = SoundCues(sounds_dir, clock)
    played = recorder(cues)
    feed(cues, clock, [Phase.MOVE, Phase.HOLD])
    cues.prepare()
    assert played == ["hold-start"]
    assert not cues.available
    (line,) = our_log_lines(caplog)
    assert "no sound effect today" in line.getMessage()


def test_a_bad_event_is_logged_not_raised(
    clock: FakeClock,
    sounds_dir: Path,
    fake_multimedia: type[FakeSoundEffect],
    caplog: pytest.LogCaptureFixture,
) -> None:
    cues = SoundCues(sounds_dir, clock)
    naive = datetime(2026, 11, 24, 9, 0)
    cues.on_phase_changed(changed(Phase.HOLD, naive))
    (line,) = our_log_lines(caplog)
    assert line.levelno == logging.ERROR
    assert line.exc_info is not None


# ---------------------------------------------------------------- no audio: silent
def assert_silent_with_one_line(
    cues: SoundCues, clock: FakeClock, caplog: pytest.LogCaptureFixture, expected: str
) -> list[str]:
    played = recorder(cues)
    feed(cues, clock, [Phase.MOVE, Phase.HOLD, Phase.RETURN, Phase.REST, Phase.MOVE])
    cues.play(SoundCue.HOLD_START)
    assert played == [*HOLD_REP, "rest-end", "hold-start"]
    assert not cues.available
    (line,) = our_log_lines(caplog)
    assert expected in line.getMessage()
    return played


def test_a_missing_sounds_folder_is_silent(
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def must_not_import() -> object:
        raise AssertionError("no sounds to play, so no reason to load QtMultimedia")

    monkeypatch.setattr(effect_cache, "_import_multimedia", must_not_import)
    cues = SoundCues(tmp_path / "nowhere", clock)
    assert_silent_with_one_line(cues, clock, caplog, "sounds folder")
    assert caplog.records[0].levelno == logging.WARNING


def test_a_missing_sound_file_is_silent(
    clock: FakeClock,
    tmp_path: Path,
    fake_multimedia: type[FakeSoundEffect],
    caplog: pytest.LogCaptureFixture,
) -> None:
    cues = SoundCues(tmp_path, clock)  # the folder exists, the files do not
    assert_silent_with_one_line(cues, clock, caplog, "hold-start.wav is missing")
    assert fake_multimedia.made == []


@pytest.mark.parametrize(
    "failure",
    [ImportError("libpulse.so.0: cannot open shared object file"), OSError("bad ELF")],
    ids=["ImportError", "OSError"],
)
def test_qtmultimedia_that_cannot_load_means_silence(
    clock: FakeClock,
    sounds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    failure: Exception,
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    calls: list[int] = []

    def broken_import() -> object:
        calls.append(1)
        raise failure

    monkeypatch.setattr(effect_cache, "_import_multimedia", broken_import)
    cues = SoundCues(sounds_dir, clock)
    assert_silent_with_one_line(cues, clock, caplog, "QtMultimedia cannot be loaded")
    assert calls == [1]  # tried once, not on every cue
    assert caplog.records[0].levelno == logging.INFO


def test_the_real_lazy_import_failing_means_silence(
    clock: FakeClock,
    sounds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What a machine without libpulse0 does: ``import PySide6.QtMultimedia`` raises."""
    caplog.set_level(logging.INFO, LOGGER)
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    cues = SoundCues(sounds_dir, clock)
    assert_silent_with_one_line(cues, clock, caplog, "QtMultimedia cannot be loaded")


def test_no_output_device_means_silence(
    clock: FakeClock,
    sounds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    monkeypatch.setattr(effect_cache, "_import_multimedia", lambda: SimpleNamespace())
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: False)
    cues = SoundCues(sounds_dir, clock)
    assert_silent_with_one_line(cues, clock, caplog, "no audio output device")


def test_the_real_device_probe_answers_without_raising() -> None:
    """Whatever this machine has; the answer only decides between sound and silence."""
    pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError)
    multimedia = effect_cache._import_multimedia()
    assert effect_cache._has_audio_output(multimedia) in (True, False)


def test_a_corrupt_wav_ends_in_silence_with_real_qtmultimedia(
    clock: FakeClock,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The real QSoundEffect reports an undecodable file as status Error, later, not raising."""
    pytest.importorskip("PySide6.QtMultimedia", exc_type=ImportError)
    caplog.set_level(logging.INFO, LOGGER)
    for cue in SoundCue:  # all corrupt, so not one sound can reach a real speaker
        (tmp_path / cue.file_name).write_bytes(b"RIFF\x10\x00\x00\x00WAVEnot really")
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    cues = SoundCues(tmp_path, clock)
    played = recorder(cues)
    feed(cues, clock, [Phase.MOVE, Phase.HOLD])
    qtbot.waitUntil(lambda: not cues.available, timeout=5000)
    feed(cues, clock, [Phase.RETURN])
    assert played == HOLD_REP
    (line,) = our_log_lines(caplog)
    assert "cannot be played" in line.getMessage()


# ---------------------------------------------------------------- the committed sound files
def test_the_committed_sounds_are_current_and_soft(sounds_dir: Path) -> None:
    check = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sounds.py"), "--check", "--out", sounds_dir],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    for cue in SoundCue:
        with wave.open(str(sounds_dir / cue.file_name), "rb") as sound:
            assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (
                1,
                2,
                44_100,
            )
            frames = sound.getnframes()
            samples = array.array("h", sound.readframes(frames))
        assert 0.15 <= frames / 44_100 <= 0.35
        assert samples[0] == samples[-1] == 0  # starts and ends in silence: no click
        peak_dbfs = 20 * math.log10(max(map(abs, samples)) / 32_768)
        assert -16.0 <= peak_dbfs <= -11.99  # -12 dBFS, give or take rounding


# ---------------------------------------------------------------- real audio (desktop)
#: Runs in a fresh interpreter, so QtMultimedia meets the test's PulseAudio on its first
#: connection; a connection made earlier in this process would stay "no device" for good.
PLAYER = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from stretchbreak.core.clock import SystemClock
from stretchbreak.core.session_values import Phase, PhaseChanged
from stretchbreak.services.sound_cues import SoundCues

app = QCoreApplication([])
clock = SystemClock()
cues = SoundCues(Path(sys.argv[1]), clock)
result = {"played": [], "playing": []}
cues.played.connect(result["played"].append)

def finish(reason):
    result["end"] = reason
    app.quit()

def start():
    cues.on_phase_changed(PhaseChanged(Phase.MOVE, 1, 1, clock.now()))  # loads the cues
    from PySide6.QtMultimedia import QSoundEffect
    effect = next(
        e for e in cues.findChildren(QSoundEffect) if e.source().fileName() == "hold-start.wav"
    )
    def on_playing():
        result["playing"].append(effect.isPlaying())
        if not effect.isPlaying():
            finish("played")
    effect.playingChanged.connect(on_playing)
    effect.statusChanged.connect(
        lambda: effect.status() == QSoundEffect.Status.Error and finish("error")
    )
    cues.on_phase_changed(PhaseChanged(Phase.HOLD, 1, 1, clock.now()))

QTimer.singleShot(0, start)
QTimer.singleShot(10_000, lambda: finish("timeout"))
app.exec()
result["available"] = cues.available
print(json.dumps(result))
"""

SINK = "stretchbreak_test"
RATE = 44_100


@pytest.fixture
def pulse_server(qtbot: QtBot) -> Iterator[dict[str, str]]:
    """A private PulseAudio daemon with one null sink; yields the environment that reaches it."""
    needed = {"pulseaudio": "pulseaudio", "parec": "pulseaudio-utils", "pactl": "pulseaudio-utils"}
    missing = sorted({package for tool, package in needed.items() if shutil.which(tool) is None})
    if missing:
        pytest.skip(f"real-audio test needs the Debian packages: {' '.join(missing)}")
    # A short folder: a Unix socket path must stay under ~100 bytes.
    with tempfile.TemporaryDirectory(prefix="sb-pulse-") as folder:
        runtime = Path(folder)
        runtime.chmod(0o700)
        native = runtime / "native"
        env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "HOME": str(runtime),
            "PULSE_SERVER": f"unix:{native}",
            # Qt prefers PipeWire where it runs; on a developer's desktop that would be the
            # real speakers, not this daemon.
            "QT_AUDIO_BACKEND": "pulseaudio",
        }
        for name in ("PULSE_COOKIE", "PIPEWIRE_REMOTE", "PIPEWIRE_RUNTIME_DIR"):
            env.pop(name, None)
        with (runtime / "daemon.log").open("wb") as log:
            daemon = subprocess.Popen(
                [
                    "pulseaudio",
                    "--daemonize=no",
                    "--exit-idle-time=-1",
                    "-n",  # no default.pa: only the modules below
                    "--use-pid-file=no",
                    "--disable-shm=yes",
                    "--log-target=stderr",
                    f"--load=module-null-sink sink_name={SINK} rate={RATE} channels=1",
                    f"--load=module-native-protocol-unix socket={native} auth-anonymous=1",
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            qtbot.waitUntil(lambda: daemon.poll() is not None or accepts(native), timeout=10_000)
            if daemon.poll() is not None:
                pytest.fail(f"pulseaudio exited:\n{(runtime / 'daemon.log').read_text()}")
            env["SB_TEST_RUNTIME"] = str(runtime)
            yield env
        finally:
            stop(daemon)


def listed(env: dict[str, str], kind: str) -> Callable[[], bool]:
    """True once ``pactl`` lists some stream of ``kind`` (e.g. source-outputs)."""

    def check() -> bool:
        result = subprocess.run(
            ["pactl", "list", "short", kind], env=env, capture_output=True, timeout=5, check=False
        )
        return bool(result.stdout.strip())

    return check


@contextlib.contextmanager
def recording(env: dict[str, str], qtbot: QtBot, into: Path) -> Iterator[None]:
    """Records the null sink's monitor into ``into`` as raw mono 16-bit samples."""
    with into.open("wb") as raw:
        parec = subprocess.Popen(
            [
                "parec",
                f"--device={SINK}.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=20",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=raw,
            stderr=subprocess.DEVNULL,
        )
    try:
        # An idle null sink sends nothing, so waiting for output cannot tell that parec is
        # ready; its stream showing up in the server can.
        qtbot.waitUntil(listed(env, "source-outputs"), timeout=10_000)
        yield
    finally:
        stop(parec)


def loudness(samples: array.array[int], window: int = RATE // 100) -> list[float]:
    """dBFS of the RMS of each 10 ms window."""
    levels = []
    for start in range(0, len(samples) - window + 1, window):
        chunk = samples[start : start + window]
        rms = math.sqrt(sum(value * value for value in chunk) / window)
        levels.append(20 * math.log10(max(rms, 1.0) / 32_768))
    return levels


@pytest.mark.desktop
def test_the_hold_start_cue_really_sounds(
    pulse_server: dict[str, str], qtbot: QtBot, sounds_dir: Path
) -> None:
    env = pulse_server
    capture = Path(env["SB_TEST_RUNTIME"]) / "capture.raw"
    with recording(env, qtbot, capture):
        player = subprocess.run(
            [sys.executable, "-c", PLAYER, str(sounds_dir)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # The last sample may still be on its way from the server to parec.
        qtbot.waitUntil(lambda: capture.stat().st_size > 0, timeout=5_000)
    assert player.returncode == 0, player.stderr
    result = json.loads(player.stdout.splitlines()[-1])
    assert result["available"], player.stderr
    assert result["played"] == ["hold-start"]
    assert result["end"] == "played", player.stderr
    assert result["playing"] == [True, False]

    samples = array.array("h", capture.read_bytes())
    levels = loudness(samples)
    audible = [level for level in levels if level > -45.0]
    peak_dbfs = 20 * math.log10(max(max(map(abs, samples)), 1) / 32_768)
    # The file peaks at -12 dBFS and plays at volume 0.6 (-4.4 dB): about -16.4 dBFS.
    assert -20.0 <= peak_dbfs <= -12.0, f"peak {peak_dbfs:.1f} dBFS"
    # ~300 ms of tone, fading out: clearly more than a click, clearly less than a drone.
    assert 8 <= len(audible) <= 60, f"{len(audible)} loud 10 ms windows of {len(levels)}"
