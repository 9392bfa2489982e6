#!/usr/bin/env python3
"""Renders the session's sound cues into resources/sounds/ with the standard library alone.

The WAV files are committed; this script is how they were made and how to remake them.
It is deterministic (pure arithmetic, no randomness, no timestamps in the files), but the
last bit of ``math.sin`` and ``math.exp`` may differ between C libraries, so ``--check``
compares what is heard, not bytes: the same format and length, every sample within
``TOLERANCE`` of a fresh render.

    python scripts/make_sounds.py            write the files
    python scripts/make_sounds.py --check    exit 1 if a committed file differs
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import sys
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
#: Full scale of a signed 16-bit sample.
FULL_SCALE = 32_767
#: The loudest cue peaks here: audible in a quiet room without startling anyone.
PEAK_DBFS = -12.0

#: Largest difference of one 16-bit sample that still counts as the same sound (a rounding
#: step either way); any change to a note moves samples by far more.
TOLERANCE = 2

SOUNDS_DIR = Path(__file__).resolve().parents[1] / "resources" / "sounds"


def _ramp(x: float) -> float:
    """0 → 1 along half a cosine: its slope is zero at both ends, so joins are inaudible."""
    return 1.0 if x >= 1.0 else 0.5 - 0.5 * math.cos(math.pi * x)


@dataclass(frozen=True)
class Note:
    """One soft, bell-like partial: a sine with a smooth rise and an exponential fade."""

    frequency: float
    start_s: float
    duration_s: float
    #: Relative loudness inside its cue, before the whole cue is scaled to its peak.
    level: float = 1.0
    #: A raised-cosine rise: long enough that the onset is a swell, not a click.
    attack_s: float = 0.012
    #: Time for the fade to fall to 1/e; a bell rather than a beep.
    decay_s: float = 0.12
    #: A raised-cosine tail that takes the fade exactly to zero, so the end cannot click.
    release_s: float = 0.06

    def envelope(self, t: float) -> float:
        if t <= 0.0 or t >= self.duration_s:
            return 0.0
        rise = _ramp(t / self.attack_s)
        tail = _ramp((self.duration_s - t) / self.release_s)
        return rise * math.exp(-t / self.decay_s) * tail

    def sample(self, t: float) -> float:
        local = t - self.start_s
        envelope = self.envelope(local)
        if envelope == 0.0:
            return 0.0
        # A faint octave partial makes the sine rounder without making it brighter.
        phase = 2.0 * math.pi * self.frequency * local
        return self.level * envelope * (math.sin(phase) + 0.12 * math.sin(2.0 * phase))


@dataclass(frozen=True)
class Sound:
    name: str
    notes: tuple[Note, ...]
    peak_dbfs: float

    @property
    def duration_s(self) -> float:
        return max(note.start_s + note.duration_s for note in self.notes)

    def render(self) -> list[int]:
        """Samples scaled so the loudest one sits exactly at ``peak_dbfs``."""
        count = round(self.duration_s * RATE)
        raw = [sum(note.sample(i / RATE) for note in self.notes) for i in range(count)]
        loudest = max(abs(value) for value in raw)
        scale = FULL_SCALE * 10.0 ** (self.peak_dbfs / 20.0) / loudest
        return [round(value * scale) for value in raw]


# Frequencies of equal-tempered notes, A4 = 440 Hz.
C5, E5, G4, G5, A4 = 523.25, 659.26, 392.00, 783.99, 440.00

SOUNDS: tuple[Sound, ...] = (
    # The hold begins: a small step up, like "and... now".
    Sound(
        "hold-start",
        (
            Note(C5, 0.000, 0.200, level=0.8, decay_s=0.10),
            Note(E5, 0.090, 0.210, decay_s=0.10),
        ),
        PEAK_DBFS,
    ),
    # The hold is over: one lower, quieter note that says "let go".
    Sound("hold-end", (Note(G4, 0.000, 0.240, decay_s=0.11, release_s=0.08),), PEAK_DBFS - 3.0),
    # The rest is over: a longer two-note chime that reads as "next set", not as "hold".
    Sound(
        "rest-end",
        (
            Note(A4, 0.000, 0.340, level=0.8, decay_s=0.16, release_s=0.10),
            Note(E5, 0.110, 0.240, level=0.9, decay_s=0.12, release_s=0.09),
        ),
        PEAK_DBFS,
    ),
)


def wav_bytes(samples: Sequence[int]) -> bytes:
    """A 44.1 kHz 16-bit mono WAV; ``wave`` writes no dates, so equal input means equal bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def same_sound(path: Path, samples: Sequence[int]) -> bool:
    """Whether the WAV file at ``path`` holds these samples (within ``TOLERANCE``)."""
    try:
        with wave.open(str(path), "rb") as sound:
            params = (sound.getnchannels(), sound.getsampwidth(), sound.getframerate())
            frames = sound.readframes(sound.getnframes())
    except (OSError, EOFError, wave.Error):
        return False
    if params != (1, 2, RATE) or len(frames) != 2 * len(samples):
        return False
    committed = struct.unpack(f"<{len(samples)}h", frames)
    return all(abs(a - b) <= TOLERANCE for a, b in zip(committed, samples, strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=SOUNDS_DIR, help="folder for the WAV files")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is missing or stale"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    stale: list[str] = []
    if not args.check:
        out.mkdir(parents=True, exist_ok=True)
    for sound in SOUNDS:
        samples = sound.render()
        path = out / f"{sound.name}.wav"
        if args.check:
            if not same_sound(path, samples):
                stale.append(path.name)
            continue
        data = wav_bytes(samples)
        path.write_bytes(data)
        print(f"{path}: {sound.duration_s * 1000:.0f} ms, {len(data)} bytes")
    if stale:
        print(f"stale or missing: {', '.join(stale)}; run scripts/make_sounds.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
