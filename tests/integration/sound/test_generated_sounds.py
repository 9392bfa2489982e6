"""The committed sound check compares what is heard, not bytes a C library may round otherwise."""

from __future__ import annotations

import array
import importlib.util
import shutil
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

from stretchbreak.infra.resources import resources_dir

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "make_sounds.py"


def _script_main() -> Callable[[Sequence[str]], int]:
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    main: Callable[[Sequence[str]], int] = module.main
    return main


def _nudge(path: Path, step: int) -> None:
    """Moves one sample in the middle by ``step``, keeping everything else of the file."""
    with wave.open(str(path), "rb") as sound:
        params = sound.getparams()
        samples = array.array("h", sound.readframes(sound.getnframes()))
    samples[len(samples) // 2] += step
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(samples.tobytes())


def test_a_rounding_step_passes_but_a_changed_sound_does_not(tmp_path: Path) -> None:
    main = _script_main()
    copy = tmp_path / "sounds"
    shutil.copytree(resources_dir() / "sounds", copy)
    assert main(["--check", "--out", str(copy)]) == 0
    _nudge(copy / "hold-start.wav", 1)
    assert main(["--check", "--out", str(copy)]) == 0, "one step of rounding is the same sound"
    _nudge(copy / "hold-end.wav", 400)
    assert main(["--check", "--out", str(copy)]) == 1
    (copy / "rest-end.wav").write_bytes(b"RIFF")
    assert main(["--check", "--out", str(copy)]) == 1
