"""The spoken coach: the shipped clips, cues at their moments, silence when paused, tones for a
language without a voice, and a cue really heard on a PulseAudio null sink."""

from __future__ import annotations

import array
import json
import math
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.core.cue_schedule import all_texts
from stretchbreak.core.session_values import SessionPlan, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.resources import load_bundled_exercise, resources_dir
from stretchbreak.infra.voice_files import load_voice
from stretchbreak.services import effect_cache
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.voice import VoiceCoach
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock
from tests.integration.sound.test_sound_cues import RATE, loudness, pulse_server, recording

__all__ = ["pulse_server"]  # a fixture, used by name below

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def voice_dir() -> Path:
    return resources_dir() / "voice"


def test_every_cue_the_coach_can_ask_for_has_a_small_clip(voice_dir: Path) -> None:
    library = load_voice(voice_dir, "en_US.UTF-8")
    assert library is not None
    assert library.language == "en"
    exercise = load_bundled_exercise()
    wanted = all_texts(cue.title for cue in exercise.setup)
    assert sorted(set(wanted) - set(library.clips)) == []
    total = 0
    for key, clip in library.clips.items():
        with wave.open(str(clip.path), "rb") as sound:
            assert sound.getnchannels() == 1, key
            assert sound.getframerate() <= 22_050, key
            length = sound.getnframes() / sound.getframerate()
            samples = array.array("h", sound.readframes(sound.getnframes()))
        assert length == pytest.approx(clip.seconds, abs=0.002), key
        assert 0.15 < length < 2.5, key  # trimmed: short words, short sentences
        peak = 20 * math.log10(max(map(abs, samples)) / 32_768)
        assert -4.0 <= peak <= -2.5, key  # every clip equally loud
        total += clip.path.stat().st_size
    # Every rest length the settings allow is spoken: 92 clips, still under 3 MB.
    assert total < 3_000_000
    licence = (voice_dir / "en" / "LICENCE.md").read_text(encoding="utf-8")
    assert "Piper" in licence
    assert "CC0" in licence


def test_a_language_without_voice_files_has_none(voice_dir: Path, tmp_path: Path) -> None:
    assert load_voice(voice_dir, "de_DE.UTF-8") is None
    assert load_voice(voice_dir, "C").language == "en"  # type: ignore[union-attr]
    broken = tmp_path / "xx"
    broken.mkdir()
    (broken / "manifest.toml").write_text('[[cues]]\nkey = "Hold"\nfile = "../x.wav"\n')
    assert load_voice(tmp_path, "xx") is None
    (broken / "manifest.toml").write_text("not toml ==")
    assert load_voice(tmp_path, "xx") is None
    (broken / "hold.wav").write_bytes(b"")
    (broken / "manifest.toml").write_text(
        '[[cues]]\nkey = "Hold"\nfile = "hold.wav"\nseconds = 99\n'
    )
    assert load_voice(tmp_path, "xx") is None


class ClockTimer:
    """A wake timer that knows the instant it is due on the fake clock."""

    def __init__(self, clock: FakeClock, callback: Callable[[], None]) -> None:
        self.clock, self.callback = clock, callback
        self.due: float | None = None

    def arm(self, seconds: float) -> None:
        self.due = self.clock.monotonic() + max(0.0, seconds)

    def disarm(self) -> None:
        self.due = None

    @property
    def armed(self) -> bool:
        return self.due is not None


class Session:
    def __init__(self, qtbot: QtBot, voice_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: False)
        self.clock = FakeClock()
        self.made: list[ClockTimer] = []
        self.runner = SessionRunner(self.clock, self.timer)
        titles = tuple(c.title for c in load_bundled_exercise().setup)
        self.coach = VoiceCoach(lambda: load_voice(voice_dir, "en"), self.clock, self.timer, titles)
        self.runner.session_started.connect(self.coach.on_session_started)
        self.runner.view_changed.connect(self.coach.on_view_changed)
        self.heard: list[tuple[float, str]] = []
        self.coach.spoken.connect(
            lambda text: self.heard.append((round(self.clock.monotonic() - 1000.0, 3), text))
        )

    def timer(self, callback: Callable[[], None]) -> ClockTimer:
        made = ClockTimer(self.clock, callback)
        self.made.append(made)
        return made

    def start(self) -> None:
        plan = SessionPlan(
            "s", make_exercise(setup_cues=1), make_goal(reps=(1, 10)), Target(2, 2, 3),
            TempoMode.GUIDED, rest_seconds=30,
        )  # fmt: skip
        self.runner.start(plan)
        self.heard.clear()  # the setup cue: only the reps count here
        self.runner.ready()

    def run(self, seconds: float) -> None:
        """Fire whichever wake-up is due, in time order, as the event loop would."""
        end = self.clock.monotonic() + seconds
        while True:
            armed = [t for t in self.made if t.due is not None and t.due <= end]
            if not armed:
                break
            first = min(armed, key=lambda t: t.due or 0.0)
            assert first.due is not None
            self.clock.advance(max(0.0, first.due - self.clock.monotonic()))
            first.due = None
            first.callback()
        self.clock.advance(max(0.0, end - self.clock.monotonic()))


def test_the_coach_speaks_each_cue_at_its_moment(
    qtbot: QtBot, voice_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(qtbot, voice_dir, monkeypatch)
    session.start()
    session.run(7.0 + 7.0 + 0.5)
    assert session.heard[:5] == [
        (0.0, "Sit back"), (2.0, "Hold"), (3.0, "two"), (4.0, "one"), (5.0, "Return"),
    ]  # fmt: skip
    texts = [text for _, text in session.heard]
    assert texts[5:7] == ["Last rep", "Sit back"]
    assert "Set one of two done." in texts
    assert not session.coach.available  # no device here: decided, announced, not heard


def test_pause_silences_the_coach_and_resume_keeps_time(
    qtbot: QtBot, voice_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(qtbot, voice_dir, monkeypatch)
    session.start()
    session.run(2.5)  # inside the hold
    session.runner.pause()
    session.run(30.0)
    assert [text for _, text in session.heard] == ["Sit back", "Hold"]
    session.runner.resume()
    session.heard.clear()
    session.run(3.0)
    assert session.heard == [(33.0, "two"), (34.0, "one"), (35.0, "Return")]


def test_a_disabled_coach_says_nothing(
    qtbot: QtBot, voice_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(qtbot, voice_dir, monkeypatch)
    session.coach.enabled = False
    session.start()
    session.run(10.0)
    assert session.heard == []
    assert session.coach.has_voice


# ---------------------------------------------------------------- real audio (desktop)
#: A fresh interpreter, so QtMultimedia meets the test's PulseAudio on its first connection.
PLAYER = """
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from stretchbreak.core.clock import SystemClock
from stretchbreak.core.session_values import SessionPlan, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.voice_files import load_voice
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import qt_wake_timer
from stretchbreak.services.voice import VoiceCoach
from tests.builders import make_exercise, make_goal

app = QCoreApplication([])
clock = SystemClock()
runner = SessionRunner(clock, qt_wake_timer)
coach = VoiceCoach(load_voice(Path(sys.argv[1]), "en"), clock, qt_wake_timer)
runner.session_started.connect(coach.on_session_started)
runner.view_changed.connect(coach.on_view_changed)
result = {"spoken": []}
coach.spoken.connect(lambda text: result["spoken"].append([text, clock.monotonic()]))

def start():
    coach.prepare()
    QTimer.singleShot(1500, begin)  # let the clips load and the stream open

def begin():
    plan = SessionPlan("s", make_exercise(setup_cues=1), make_goal(reps=(1, 10)),
                       Target(2, 1, 3), TempoMode.GUIDED, rest_seconds=30)
    runner.start(plan)
    result["ready_at"] = clock.monotonic()
    runner.ready()
    QTimer.singleShot(2600, app.quit)  # "Sit back" at 0 s, "Hold" at 2 s

QTimer.singleShot(0, start)
QTimer.singleShot(20_000, app.quit)
app.exec()
result["available"] = coach.available
print(json.dumps(result))
"""


@pytest.mark.desktop
def test_sit_back_and_hold_are_really_heard(
    pulse_server: dict[str, str], qtbot: QtBot, voice_dir: Path
) -> None:
    env = pulse_server
    capture = Path(env["SB_TEST_RUNTIME"]) / "capture.raw"
    with recording(env, qtbot, capture):
        player = subprocess.run(
            [sys.executable, "-c", PLAYER, str(voice_dir)],
            env={**env, "PYTHONPATH": str(REPO)},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        qtbot.waitUntil(lambda: capture.stat().st_size > 0, timeout=5_000)
    assert player.returncode == 0, player.stderr
    result = json.loads(player.stdout.splitlines()[-1])
    assert result["available"], player.stderr
    spoken = [text for text, _ in result["spoken"]]
    assert spoken[:2] == ["Sit back", "Hold"]
    gap = result["spoken"][1][1] - result["spoken"][0][1]
    assert gap == pytest.approx(2.0, abs=0.05)

    samples = array.array("h", capture.read_bytes())
    levels = loudness(samples)
    peak = 20 * math.log10(max(max(map(abs, samples)), 1) / 32_768)
    # Clips peak at -3 dBFS and play at volume 0.6 (-4.4 dB): about -7.4 dBFS.
    assert -11.0 <= peak <= -5.0, f"peak {peak:.1f} dBFS"
    bursts = _bursts(levels)
    assert len(bursts) >= 2, bursts
    (a_start, _a_end), (b_start, b_end) = bursts[0], bursts[1]
    # The monitor only streams once something plays, so the recording may begin a moment
    # into "Sit back"; "Hold" (0.27 s) is heard whole, about two seconds later.
    assert 0.15 <= (b_end - b_start) * 0.01 <= 0.45
    assert 1.5 <= (b_start - a_start) * 0.01 <= 2.2


def _bursts(levels: list[float], threshold: float = -45.0) -> list[tuple[int, int]]:
    """Runs of loud 10 ms windows, joined across gaps shorter than 150 ms (pauses in a word)."""
    bursts: list[tuple[int, int]] = []
    for index, level in enumerate(levels):
        if level <= threshold:
            continue
        if bursts and index - bursts[-1][1] <= 15:
            bursts[-1] = (bursts[-1][0], index + 1)
        else:
            bursts.append((index, index + 1))
    return bursts


__all__ += ["RATE"]


#: Loads the clips as the guided window's opening does, then lets them go as its closing does,
#: noting how many playback streams the sound server sees at each step.
HOLDER = """
import json, subprocess, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from stretchbreak.core.clock import SystemClock
from stretchbreak.infra.voice_files import load_voice
from stretchbreak.services.timers import qt_wake_timer
from stretchbreak.services.voice import VoiceCoach

app = QCoreApplication([])
coach = VoiceCoach(load_voice(Path(sys.argv[1]), "en"), SystemClock(), qt_wake_timer)
seen = []

def streams():
    out = subprocess.run(["pactl", "list", "short", "sink-inputs"], capture_output=True,
                         text=True, check=True).stdout
    return len(out.splitlines())

def until(wanted, then):
    def check():
        if streams() == wanted:
            seen.append(wanted)
            then()
        else:
            QTimer.singleShot(20, check)
    check()

def released():
    print(json.dumps({"seen": seen, "available": coach.available}))
    app.quit()

seen.append(streams())
coach.prepare()
until(1, lambda: (coach.release(), until(0, released)))
QTimer.singleShot(20_000, app.quit)
app.exec()
"""


@pytest.mark.desktop
def test_the_audio_stream_is_open_only_between_prepare_and_release(
    pulse_server: dict[str, str], voice_dir: Path
) -> None:
    player = subprocess.run(
        [sys.executable, "-c", HOLDER, str(voice_dir)],
        env={**pulse_server, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert player.returncode == 0, player.stderr
    lines = player.stdout.splitlines()
    assert lines, f"the stream did not open and close within 20 s:\n{player.stderr}"
    result = json.loads(lines[-1])
    assert result == {"seen": [0, 1, 0], "available": True}
