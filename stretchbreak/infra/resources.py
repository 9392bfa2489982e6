"""Finds the bundled ``resources/`` folder, so no other module needs to know where it lives.

A source checkout keeps it at ``<repo>/resources``; the wheel force-includes it as
``stretchbreak/resources`` inside the package. Paths are computed when asked for, never at
import time, so tests can point the app elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stretchbreak.core.exercise import Exercise

__all__ = [
    "DEFAULT_EXERCISE_ID",
    "bundled_exercise_ids",
    "exercise_path",
    "load_bundled_exercise",
    "load_exercise_file",
    "resources_dir",
]

#: The exercise the app guides unless told otherwise.
DEFAULT_EXERCISE_ID = "dynamic-back-stretch"


def _candidates() -> list[Path]:
    """The packaged copy wins; a checkout or editable install has none and uses <repo>/resources.

    Both are plain folders next to this file: a zipped install could not hand Qt a real path
    anyway, and not importing ``importlib.resources`` saves ~4 ms at every start.
    """
    here = Path(__file__).resolve()
    # stretchbreak/infra/resources.py -> parents[1] is the package, parents[2] the checkout.
    return [here.parents[1] / "resources", here.parents[2] / "resources"]


def resources_dir() -> Path:
    """The resources folder; a missing one is a broken install, so fail loudly and say where."""
    candidates = _candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(path) for path in candidates)
    raise FileNotFoundError(f"stretchbreak resources folder not found (looked in: {searched})")


def exercise_path(exercise_id: str) -> Path:
    """Where an exercise's file is; the id must be a plain slug so it cannot escape the folder."""
    from stretchbreak.core.exercise_loader import ID_PATTERN

    if not ID_PATTERN.fullmatch(exercise_id):
        raise ValueError(f"not an exercise id: {exercise_id!r}")
    return resources_dir() / "exercises" / f"{exercise_id}.toml"


def load_exercise_file(path: Path) -> Exercise:
    """Reads and validates one exercise file; every failure is a ContentError naming the file.

    The id inside must match the file name, so ``exercise_path(id)`` always finds the exercise
    that calls itself ``id``. The exercise model loads here, not at import: the tray icon,
    shown first at every start, needs ``resources_dir`` alone.
    """
    from stretchbreak.core.exercise import ContentError
    from stretchbreak.core.exercise_loader import parse_exercise_toml

    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(source, "file", "not found") from None
    except OSError as exc:
        raise ContentError(source, "file", f"cannot be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8 (bad byte at offset {exc.start})"
        raise ContentError(source, "file", problem) from exc
    exercise = parse_exercise_toml(text, source)
    if exercise.id != path.stem:
        problem = f"{exercise.id!r} does not match the file name {path.name!r}"
        raise ContentError(source, "id", problem)
    return exercise


def load_bundled_exercise(exercise_id: str = DEFAULT_EXERCISE_ID) -> Exercise:
    return load_exercise_file(exercise_path(exercise_id))


def bundled_exercise_ids() -> list[str]:
    """Every exercise shipped with the app: adding one means adding a file, nothing else."""
    folder = resources_dir() / "exercises"
    return sorted(path.stem for path in folder.glob("*.toml") if path.is_file())
