"""Turns an exercise TOML mapping into validated ``Exercise`` values, refusing bad content early.

Content is edited by hand, so every check names the file, the field path (``goals[2].reps.high``,
list indices counted from 0) and the problem; unknown keys are refused so a typo never passes
silently. The format is described in ``docs/exercise-format.md``.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

from stretchbreak.core.exercise import (
    GOAL_IDS,
    CoachingCue,
    ContentError,
    EquipmentItem,
    Exercise,
    ExerciseOverview,
    Goal,
    Question,
    Range,
    Step,
    StepPhase,
    Tempo,
)
from stretchbreak.core.exercise_figure import load_figure

__all__ = ["ID_PATTERN", "load_exercise", "parse_exercise_toml"]

#: Exercise and step ids: lowercase words joined by hyphens. They end up in file names,
#: the database and settings, so they must stay plain.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: The phases a rep is timed by; each needs exactly one step so the session knows its cue.
_TIMED_PHASES = (StepPhase.MOVE, StepPhase.HOLD, StepPhase.RETURN)

_TOP_KEYS = (
    "id", "name", "purpose", "intro", "default_hold_seconds", "progression_rule", "safety",
    "overview", "tempo", "goals", "setup", "steps", "equipment",
)  # fmt: skip
_OPTIONAL_TOP_KEYS = ("tips", "mistakes", "faq", "figure")
_OVERVIEW_KEYS = (
    "body_part", "primary_muscles", "secondary_muscles", "equipment_required",
    "equipment_optional", "difficulty", "difficulty_reason",
)  # fmt: skip
_TEMPO_KEYS = ("move_seconds", "return_seconds", "setup_cue_seconds")
_GOAL_KEYS = ("id", "name", "summary", "sets", "reps", "tempo_note")
_STEP_KEYS = ("id", "title", "cue", "detail", "phase")
_CUE_KEYS = ("title", "detail")

_T = TypeVar("_T")
_Data = Mapping[str, object]
_Keys = Collection[str]

_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
    dict: "a table",
}  # fmt: skip


def _describe(value: object) -> str:
    """Names a value's TOML type, so a message reads like the file rather than like Python."""
    return _TYPE_NAMES.get(type(value), f"a {type(value).__name__} value")


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


class _Reader:
    """Carries the source name so each check can build a complete ContentError on its own."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, field: str, problem: str) -> ContentError:
        return ContentError(self.source, field, problem)

    def keys(self, data: _Data, field: str, required: _Keys, optional: _Keys = ()) -> None:
        allowed = [*required, *optional]
        for key in data:
            if key not in allowed:
                known = ", ".join(allowed)
                raise self.error(_join(field, key), f"unknown key; expected one of: {known}")
        for key in required:
            if key not in data:
                raise self.error(_join(field, key), "missing required key")

    def table(self, value: object, field: str, required: _Keys, optional: _Keys = ()) -> _Data:
        if not isinstance(value, Mapping):
            raise self.error(field, f"expected a table, got {_describe(value)}")
        self.keys(value, field, required, optional)
        return value

    def text(self, data: _Data, field: str, key: str) -> str:
        return self._text(data[key], _join(field, key))

    def _text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise self.error(path, f"expected a string, got {_describe(value)}")
        if not value.strip():
            raise self.error(path, "must not be empty")
        return value.strip()

    def ident(self, data: _Data, field: str, key: str) -> str:
        value = self.text(data, field, key)
        if not ID_PATTERN.fullmatch(value):
            problem = f"{value!r} is not an id: use lowercase words joined by hyphens"
            raise self.error(_join(field, key), problem)
        return value

    def integer(self, data: _Data, field: str, key: str, minimum: int) -> int:
        path, value = _join(field, key), data[key]
        # bool is a subclass of int in Python, but `true` is never a count of anything.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected an integer, got {_describe(value)}")
        if value < minimum:
            raise self.error(path, f"must be at least {minimum}, got {value}")
        return value

    def seconds(self, data: _Data, field: str, key: str) -> float:
        path, value = _join(field, key), data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(path, f"expected a number of seconds, got {_describe(value)}")
        if not math.isfinite(value) or value <= 0:
            raise self.error(path, f"must be a positive number of seconds, got {value}")
        return float(value)

    def range(self, data: _Data, field: str, key: str, minimum: int) -> Range:
        path = _join(field, key)
        bounds = self.table(data[key], path, ("low", "high"))
        low = self.integer(bounds, path, "low", minimum)
        high = self.integer(bounds, path, "high", minimum)
        if low > high:
            raise self.error(path, f"low ({low}) is greater than high ({high})")
        return Range(low, high)

    def array(
        self, data: _Data, field: str, key: str, *, allow_empty: bool
    ) -> list[tuple[str, object]]:
        """Returns (path, item) pairs so item errors can point at ``key[i]``."""
        # Required keys were checked by keys(); an absent optional list is simply empty.
        path, value = _join(field, key), data.get(key, [])
        if not isinstance(value, list):
            raise self.error(path, f"expected an array, got {_describe(value)}")
        if not value and not allow_empty:
            raise self.error(path, "must not be empty")
        return [(f"{path}[{index}]", item) for index, item in enumerate(value)]

    def texts(
        self, data: _Data, field: str, key: str, *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        items = self.array(data, field, key, allow_empty=allow_empty)
        return tuple(self._text(item, path) for path, item in items)

    def each(
        self,
        data: _Data,
        field: str,
        key: str,
        build: Callable[[_Data, str], _T],
        required: _Keys,
        *,
        optional: _Keys = (),
        allow_empty: bool = False,
    ) -> tuple[_T, ...]:
        items = self.array(data, field, key, allow_empty=allow_empty)
        return tuple(
            build(self.table(item, path, required, optional), path) for path, item in items
        )

    def cues(
        self, data: _Data, field: str, key: str, *, allow_empty: bool = False
    ) -> tuple[CoachingCue, ...]:
        def build(item: _Data, path: str) -> CoachingCue:
            return CoachingCue(self.text(item, path, "title"), self.text(item, path, "detail"))

        return self.each(data, field, key, build, _CUE_KEYS, allow_empty=allow_empty)

    def unique(self, ids: list[str], field: str, what: str) -> None:
        for index, item_id in enumerate(ids):
            first = ids.index(item_id)
            if first < index:
                problem = f"duplicate {what} id {item_id!r}, first used at {field}[{first}]"
                raise self.error(f"{field}[{index}].id", problem)


def _overview(r: _Reader, data: _Data) -> ExerciseOverview:
    o = r.table(data["overview"], "overview", _OVERVIEW_KEYS)
    return ExerciseOverview(
        body_part=r.text(o, "overview", "body_part"),
        primary_muscles=r.texts(o, "overview", "primary_muscles"),
        secondary_muscles=r.texts(o, "overview", "secondary_muscles", allow_empty=True),
        equipment_required=r.text(o, "overview", "equipment_required"),
        equipment_optional=r.texts(o, "overview", "equipment_optional", allow_empty=True),
        difficulty=r.text(o, "overview", "difficulty"),
        difficulty_reason=r.text(o, "overview", "difficulty_reason"),
    )


def _goals(r: _Reader, data: _Data, default_hold: Range) -> tuple[Goal, ...]:
    def build(g: _Data, path: str) -> Goal:
        goal_id = r.text(g, path, "id")
        if goal_id not in GOAL_IDS:
            known = ", ".join(GOAL_IDS)
            raise r.error(f"{path}.id", f"unknown goal id {goal_id!r}; known goals: {known}")
        has_hold = "hold_seconds" in g
        return Goal(
            id=goal_id,
            name=r.text(g, path, "name"),
            summary=r.text(g, path, "summary"),
            sets=r.range(g, path, "sets", minimum=1),
            reps=r.range(g, path, "reps", minimum=1),
            hold_seconds=r.range(g, path, "hold_seconds", minimum=0) if has_hold else default_hold,
            hold_is_default=not has_hold,
            tempo_note=r.text(g, path, "tempo_note"),
        )

    goals = r.each(data, "", "goals", build, _GOAL_KEYS, optional=("hold_seconds",))
    r.unique([goal.id for goal in goals], "goals", "goal")
    return goals


def _steps(r: _Reader, data: _Data) -> tuple[Step, ...]:
    def build(s: _Data, path: str) -> Step:
        phase = r.text(s, path, "phase")
        if phase not in set(StepPhase):
            known = ", ".join(StepPhase)
            raise r.error(f"{path}.phase", f"unknown phase {phase!r}; expected one of: {known}")
        return Step(
            id=r.ident(s, path, "id"),
            title=r.text(s, path, "title"),
            cue=r.text(s, path, "cue"),
            detail=r.text(s, path, "detail"),
            phase=StepPhase(phase),
        )

    steps = r.each(data, "", "steps", build, _STEP_KEYS)
    r.unique([step.id for step in steps], "steps", "step")
    for phase in _TIMED_PHASES:
        owners = [index for index, step in enumerate(steps) if step.phase is phase]
        if not owners:
            raise r.error("steps", f"no step has phase {phase.value!r}; exactly one must")
        if len(owners) > 1:
            problem = f"a second step with phase {phase.value!r}; exactly one is allowed"
            raise r.error(f"steps[{owners[1]}].phase", problem)
    return steps


def load_exercise(data: Mapping[str, object], source: str) -> Exercise:
    """Builds an Exercise, or raises ContentError on the first problem found.

    ``source`` is only used in messages (usually the file path), so callers that parse text
    from anywhere still get errors the author can act on.
    """
    r = _Reader(source)
    r.keys(data, "", _TOP_KEYS, _OPTIONAL_TOP_KEYS)
    default_hold = r.range(data, "", "default_hold_seconds", minimum=0)
    tempo = r.table(data["tempo"], "tempo", _TEMPO_KEYS)
    setup = r.table(data["setup"], "setup", ("cues", "tip"))
    equipment = r.table(data["equipment"], "equipment", ("items", "tip"))

    setup_cues = r.cues(setup, "setup", "cues")
    figure = load_figure(r, data["figure"], len(setup_cues)) if "figure" in data else None

    def faq_item(q: _Data, path: str) -> Question:
        return Question(r.text(q, path, "question"), r.text(q, path, "answer"))

    def equipment_item(e: _Data, path: str) -> EquipmentItem:
        return EquipmentItem(r.text(e, path, "name"), r.text(e, path, "use"))

    return Exercise(
        id=r.ident(data, "", "id"),
        name=r.text(data, "", "name"),
        purpose=r.text(data, "", "purpose"),
        intro=r.text(data, "", "intro"),
        overview=_overview(r, data),
        goals=_goals(r, data, default_hold),
        default_hold_seconds=default_hold,
        progression_rule=r.text(data, "", "progression_rule"),
        tempo=Tempo(
            move_seconds=r.seconds(tempo, "tempo", "move_seconds"),
            return_seconds=r.seconds(tempo, "tempo", "return_seconds"),
            setup_cue_seconds=r.seconds(tempo, "tempo", "setup_cue_seconds"),
        ),
        setup=setup_cues,
        setup_tip=r.text(setup, "setup", "tip"),
        steps=_steps(r, data),
        tips=r.cues(data, "", "tips", allow_empty=True),
        mistakes=r.cues(data, "", "mistakes", allow_empty=True),
        faq=r.each(data, "", "faq", faq_item, ("question", "answer"), allow_empty=True),
        equipment=r.each(
            equipment, "equipment", "items", equipment_item, ("name", "use"), allow_empty=True
        ),
        equipment_tip=r.text(equipment, "equipment", "tip"),
        safety=r.texts(data, "", "safety"),
        figure=figure,
    )


_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def parse_exercise_toml(text: str, source: str) -> Exercise:
    """Parses and validates one exercise file's text; syntax errors name the line to fix."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _POSITION.search(message)
        if match is None:  # tomllib always adds a position today; keep the message if not
            raise ContentError(source, "TOML syntax", message) from exc
        field = f"line {match[1]}, column {match[2]}" if match[1] else "end of file"
        problem = f"invalid TOML: {message[: match.start()]}"
        raise ContentError(source, field, problem) from exc
    return load_exercise(data, source)
