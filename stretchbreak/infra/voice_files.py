"""Finds a language's pre-rendered spoken cues and reads their manifest (text → file, length).

Each language brings its own folder, ``resources/voice/<lang>/``, with ``manifest.toml`` and
the WAV files it names. A language without a folder, or with a manifest that cannot be used,
has no voice: the caller falls back to tones, and the reason is logged once.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

MANIFEST = "manifest.toml"


class VoiceClip(NamedTuple):
    path: Path
    seconds: float


class VoiceLibrary(NamedTuple):
    """The clips of one language, looked up by the English key text the schedule plans with."""

    language: str
    clips: dict[str, VoiceClip]

    def seconds(self, key: str) -> float | None:
        clip = self.clips.get(key)
        return None if clip is None else clip.seconds


def _language_candidates(locale_name: str) -> list[str]:
    """``de_AT.UTF-8`` → ``de_AT``, ``de``; English last as nothing else is shipped first."""
    base = locale_name.split(".")[0].split("@")[0]
    names = [base, base.split("_")[0]] if base else []
    return list(dict.fromkeys(name for name in names if name and name not in ("C", "POSIX")))


def load_voice(voice_dir: Path, locale_name: str = "en") -> VoiceLibrary | None:
    """The voice for ``locale_name`` (e.g. ``en_GB``), or None when that language has none."""
    for language in _language_candidates(locale_name) or ["en"]:
        folder = voice_dir / language
        if (folder / MANIFEST).is_file():
            return _read(folder, language)
    log.info("no spoken cues for %r in %s; tones instead", locale_name, voice_dir)
    return None


def _read(folder: Path, language: str) -> VoiceLibrary | None:
    try:
        data = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        clips: dict[str, VoiceClip] = {}
        for index, entry in enumerate(data["cues"]):
            path = folder / str(entry["file"])
            if path.parent != folder or not path.is_file():
                raise ValueError(f"cues[{index}].file: {path} is missing")
            seconds = float(entry["seconds"])
            if not 0 < seconds < 30:
                raise ValueError(f"cues[{index}].seconds: {seconds} is not a cue's length")
            clips[str(entry["key"])] = VoiceClip(path, seconds)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        log.warning("spoken cues in %s cannot be used: %r; tones instead", folder, exc)
        return None
    except ValueError as exc:
        log.warning("spoken cues in %s cannot be used: %s; tones instead", folder, exc)
        return None
    return VoiceLibrary(language, clips)
