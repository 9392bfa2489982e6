"""Whether sound can come out is known before the first cue, and told once when it ends."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from stretchbreak.infra.resources import resources_dir
from stretchbreak.services import effect_cache
from stretchbreak.services.sound_cues import SoundCues
from tests.fakes import FakeClock
from tests.integration.sound.test_sound_cues import FakeSoundEffect


def told(cues: SoundCues) -> list[bool]:
    changes: list[bool] = []
    cues.availability_changed.connect(changes.append)
    return changes


def test_no_audio_output_is_known_before_any_cue(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(effect_cache, "_import_multimedia", lambda: SimpleNamespace())
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: False)
    cues = SoundCues(resources_dir() / "sounds", clock)
    changes = told(cues)
    assert cues.available  # nothing known yet
    assert not cues.check_available()
    assert not cues.check_available()
    assert changes == [False]


def test_an_output_that_fails_later_is_told_once(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeSoundEffect.made = []
    module = SimpleNamespace(QSoundEffect=FakeSoundEffect)
    monkeypatch.setattr(effect_cache, "_import_multimedia", lambda: module)
    monkeypatch.setattr(effect_cache, "_has_audio_output", lambda _multimedia: True)
    cues = SoundCues(resources_dir() / "sounds", clock)
    changes = told(cues)
    assert cues.check_available()
    cues.prepare()
    broken = FakeSoundEffect.made[0]
    broken.state = FakeSoundEffect.Status.Error
    broken.statusChanged.emit()
    broken.statusChanged.emit()
    assert changes == [False]
    assert not cues.check_available()


def test_a_missing_sounds_folder_is_no_sound(clock: FakeClock, tmp_path: Path) -> None:
    cues = SoundCues(tmp_path / "nowhere", clock)
    assert not cues.check_available()
