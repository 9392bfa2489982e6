"""The exercise's figure as data: key poses as joint angles, and which pose each moment shows.

The app draws a person from these numbers (``ui/figure.py``); the numbers live in the
exercise file's ``[figure]`` section so a new exercise brings its own movement without code.
``docs/exercise-format.md`` explains every key; this module holds the frozen values and the
checks that turn a hand-edited table into them, each error naming its field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stretchbreak.core.exercise_loader import _Reader


class BodyPart(StrEnum):
    """The parts a setup cue may draw attention to; the figure draws that part in accent."""

    HEAD = "head"
    ARMS = "arms"
    TORSO = "torso"
    HIPS = "hips"
    KNEES = "knees"
    FEET = "feet"


#: Joint angle keys in drawing order; each is degrees (see ``docs/exercise-format.md``).
JOINTS = ("shin", "knee", "hip", "shoulder", "elbow", "neck")
#: Angles beyond a full turn are always a typo.
_LIMIT = 360.0
_FIGURE_KEYS = ("poses", "phases", "setup")
_PHASE_KEYS = ("move", "hold", "return")


@dataclass(frozen=True)
class Pose:
    """Joint angles in degrees, seen from the side with the person facing right.

    ``shin``: the shin against the floor (0 = lying on it, as when kneeling; 90 = upright).
    ``knee``, ``hip``, ``elbow``: the angle inside the joint (180 = straight).
    ``shoulder``: the arm against the trunk (0 = hanging along it, 180 = overhead).
    ``neck``: the head against the trunk's line (0 = in line, positive = chin up).
    """

    shin: float
    knee: float
    hip: float
    shoulder: float
    elbow: float
    neck: float


@dataclass(frozen=True)
class SetupPose:
    """What the figure shows while one setup cue is on screen."""

    pose: str
    emphasis: BodyPart | None


@dataclass(frozen=True)
class Figure:
    """Named key poses; the poses each rep phase passes through, in order; one per setup cue."""

    poses: Mapping[str, Pose]
    move: tuple[str, ...]
    hold: tuple[str, ...]
    ret: tuple[str, ...]
    setup: tuple[SetupPose, ...]

    def pose(self, name: str) -> Pose:
        return self.poses[name]


def _angle(r: _Reader, data: Mapping[str, object], path: str, key: str) -> float:
    value, where = data[key], f"{path}.{key}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise r.error(where, f"expected a number of degrees, got {type(value).__name__}")
    if not math.isfinite(value) or not -_LIMIT <= value <= _LIMIT:
        raise r.error(where, f"must be between -{_LIMIT:g} and {_LIMIT:g} degrees, got {value}")
    return float(value)


def _pose_names(r: _Reader, value: object, path: str, known: Mapping[str, Pose]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise r.error(path, "expected a non-empty array of pose names")
    names: list[str] = []
    for index, name in enumerate(value):
        if not isinstance(name, str) or name not in known:
            listed = ", ".join(known)
            raise r.error(f"{path}[{index}]", f"unknown pose {name!r}; poses: {listed}")
        names.append(name)
    return tuple(names)


def load_figure(r: _Reader, value: object, setup_count: int) -> Figure:
    """Checks the ``[figure]`` table against itself and against the number of setup cues."""
    table = r.table(value, "figure", _FIGURE_KEYS)
    raw_poses = table["poses"]
    if not isinstance(raw_poses, Mapping):
        raise r.error("figure.poses", "expected a table of named poses")
    if not raw_poses:
        raise r.error("figure.poses", "must name at least one pose")
    poses: dict[str, Pose] = {}
    for name, raw in raw_poses.items():
        path = f"figure.poses.{name}"
        pose = r.table(raw, path, JOINTS)
        poses[name] = Pose(*(_angle(r, pose, path, joint) for joint in JOINTS))
    phases = r.table(table["phases"], "figure.phases", _PHASE_KEYS)
    move, hold, ret = (
        _pose_names(r, phases[key], f"figure.phases.{key}", poses) for key in _PHASE_KEYS
    )
    setup_items = r.array(table, "figure", "setup", allow_empty=False)
    if len(setup_items) != setup_count:
        problem = f"has {len(setup_items)} entries; there are {setup_count} setup cues"
        raise r.error("figure.setup", problem)
    setup: list[SetupPose] = []
    for path, item in setup_items:
        entry = r.table(item, path, ("pose",), ("emphasis",))
        name = entry["pose"]
        if not isinstance(name, str) or name not in poses:
            listed = ", ".join(poses)
            raise r.error(f"{path}.pose", f"unknown pose {name!r}; poses: {listed}")
        emphasis = entry.get("emphasis")
        if emphasis is not None and (
            not isinstance(emphasis, str) or emphasis not in set(BodyPart)
        ):
            known = ", ".join(BodyPart)
            raise r.error(f"{path}.emphasis", f"unknown body part {emphasis!r}; known: {known}")
        setup.append(SetupPose(name, None if emphasis is None else BodyPart(emphasis)))
    return Figure(poses, move, hold, ret, tuple(setup))
