"""The loader refuses every kind of malformed exercise with a message an author can act on."""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

from stretchbreak.core import exercise_loader
from stretchbreak.core.exercise import ContentError, Exercise, Range, StepPhase
from stretchbreak.core.exercise_loader import load_exercise, parse_exercise_toml
from stretchbreak.infra import resources

SOURCE = "exercises/test.toml"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"
WALL_ANGEL = FIXTURES / "wall-angel.toml"


def valid() -> dict[str, Any]:
    """A fresh, valid mapping each time (the wall-angel fixture: two goals, three steps)."""
    return tomllib.loads(WALL_ANGEL.read_text(encoding="utf-8"))


def expect_error(data: dict[str, Any], field: str, problem: str) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_exercise(data, SOURCE)
    error = caught.value
    assert (error.source, error.field) == (SOURCE, field)
    assert problem in error.problem
    assert str(error) == f"{SOURCE}: {field}: {error.problem}"
    return error


# ---------------------------------------------------------------- the valid second exercise


def test_second_exercise_loads_from_its_file_alone() -> None:
    wall_angel = resources.load_exercise_file(WALL_ANGEL)

    assert wall_angel.id == "wall-angel"
    assert [goal.id for goal in wall_angel.goals] == ["warmup", "desk-reset"]
    warmup, desk_reset = wall_angel.goals
    assert (warmup.hold_seconds, warmup.hold_is_default) == (Range(2, 2), True)
    assert (desk_reset.hold_seconds, desk_reset.hold_is_default) == (Range(0, 1), False)
    assert wall_angel.tempo.return_seconds == 2.5
    assert isinstance(wall_angel.tempo.move_seconds, float)
    assert (wall_angel.tips, wall_angel.mistakes, wall_angel.faq) == ((), (), ())
    assert wall_angel.overview.secondary_muscles == ()
    assert [step.phase for step in wall_angel.steps] == [
        StepPhase.MOVE,
        StepPhase.HOLD,
        StepPhase.RETURN,
    ]


def test_adding_a_file_to_the_resources_adds_an_exercise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(resources.resources_dir() / "exercises", tmp_path / "exercises")
    shutil.copy(WALL_ANGEL, tmp_path / "exercises")
    monkeypatch.setattr(resources, "resources_dir", lambda: tmp_path)

    assert resources.bundled_exercise_ids() == ["dynamic-back-stretch", "wall-angel"]
    assert resources.load_bundled_exercise("wall-angel").name == "Wall Angel"
    assert resources.load_bundled_exercise().id == "dynamic-back-stretch"


def test_text_is_trimmed_and_the_mapping_is_left_untouched() -> None:
    data = valid()
    data["name"] = "  Wall Angel\n"
    before = valid()
    before["name"] = data["name"]

    assert load_exercise(data, SOURCE).name == "Wall Angel"
    assert data == before


# ---------------------------------------------------------------- validation errors


def _walk(data: dict[str, Any], field: str) -> tuple[Any, str | int]:
    """Follows a field path such as ``goals[0].sets.low`` to its container and last key."""
    parts: list[str | int] = [
        int(index) if index else key for key, index in re.findall(r"(\w+)|\[(\d+)\]", field)
    ]
    container: Any = data
    for part in parts[:-1]:
        container = container[part]
    return container, parts[-1]


def put(field: str, value: object) -> dict[str, Any]:
    """A valid mapping with one value set (or appended, for the next index of an array)."""
    data = valid()
    container, key = _walk(data, field)
    if isinstance(container, list) and key == len(container):
        container.append(value)
    else:
        container[key] = value
    return data


def drop(field: str) -> dict[str, Any]:
    data = valid()
    container, key = _walk(data, field)
    del container[key]
    return data


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "goals",
        "goals[1].reps",
        "goals[0].sets.high",
        "overview.primary_muscles",
        "tempo.move_seconds",
        "setup.tip",
        "steps[2].phase",
        "equipment.items",
    ],
)
def test_missing_key(field: str) -> None:
    expect_error(drop(field), field, "missing required key")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nmae", "Typo"),
        ("goals[0].hold_second", {"low": 1, "high": 2}),
        ("goals[0].hold_is_default", True),
        ("goals[1].reps.hi", 3),
        ("setup.cues[0].titel", "x"),
        ("steps[0].cue_text", "x"),
        ("overview.muscles", ["x"]),
    ],
)
def test_unknown_key_is_refused_by_name(field: str, value: object) -> None:
    error = expect_error(put(field, value), field, "unknown key")
    assert "expected one of:" in error.problem


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("goals[0].sets.low", True, "expected an integer, got a boolean"),
        ("goals[1].reps.high", 8.5, "expected an integer, got a float"),
        ("goals[0].reps", [8, 12], "expected a table, got an array"),
        ("name", 5, "expected a string, got an integer"),
        ("id", False, "expected a string, got a boolean"),
        ("tempo.move_seconds", True, "expected a number of seconds, got a boolean"),
        ("tempo.return_seconds", "2", "expected a number of seconds, got a string"),
        ("overview", "Back", "expected a table, got a string"),
        ("overview.primary_muscles", "Lats", "expected an array, got a string"),
        ("overview.primary_muscles[1]", 3, "expected a string, got an integer"),
        ("goals", {"id": "warmup"}, "expected an array, got a table"),
        ("steps[1]", "pause", "expected a table, got a string"),
        ("safety[0]", datetime.date(2024, 1, 1), "expected a string, got a date value"),
    ],
)
def test_wrong_type(field: str, value: object, problem: str) -> None:
    expect_error(put(field, value), field, problem)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("steps[0].cue", ""),
        ("overview.primary_muscles[0]", ""),
        ("goals", []),
        ("setup.cues", []),
        ("steps", []),
        ("safety", []),
        ("overview.primary_muscles", []),
    ],
)
def test_empty_value(field: str, value: object) -> None:
    expect_error(put(field, value), field, "must not be empty")


def test_low_above_high() -> None:
    data = put("goals[1].reps", {"low": 12, "high": 8})
    expect_error(data, "goals[1].reps", "low (12) is greater than high (8)")


def test_default_hold_low_above_high() -> None:
    data = put("default_hold_seconds", {"low": 3, "high": 1})
    expect_error(data, "default_hold_seconds", "low (3) is greater than high (1)")


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("goals[0].sets.low", 0, "must be at least 1, got 0"),
        ("goals[1].reps.low", -1, "must be at least 1, got -1"),
        ("goals[1].hold_seconds.low", -2, "must be at least 0, got -2"),
        ("default_hold_seconds.low", -1, "must be at least 0, got -1"),
        ("tempo.move_seconds", 0, "must be a positive number of seconds, got 0"),
        ("tempo.return_seconds", -1.5, "must be a positive number of seconds, got -1.5"),
        ("tempo.setup_cue_seconds", float("inf"), "got inf"),
        ("tempo.setup_cue_seconds", float("nan"), "got nan"),
    ],
)
def test_nonsensical_numbers(field: str, value: object, problem: str) -> None:
    expect_error(put(field, value), field, problem)


def test_unknown_goal_id() -> None:
    data = put("goals[1].id", "warm-up")
    error = expect_error(data, "goals[1].id", "unknown goal id 'warm-up'")
    assert "warmup, mobility, recovery, desk-reset" in error.problem


def test_duplicate_goal_id() -> None:
    data = put("goals[1].id", "warmup")
    expect_error(data, "goals[1].id", "duplicate goal id 'warmup', first used at goals[0]")


def test_unknown_step_phase() -> None:
    data = put("steps[1].phase", "stretch")
    error = expect_error(data, "steps[1].phase", "unknown phase 'stretch'")
    assert "move, hold, return, form" in error.problem


@pytest.mark.parametrize(("index", "phase"), [(0, "move"), (1, "hold"), (2, "return")])
def test_each_timed_phase_needs_a_step(index: int, phase: str) -> None:
    data = put(f"steps[{index}].phase", "form")
    expect_error(data, "steps", f"no step has phase {phase!r}")


def test_a_timed_phase_owned_twice() -> None:
    second_hold = {"id": "pause-again", "title": "t", "cue": "c", "detail": "d", "phase": "hold"}
    data = put("steps[3]", second_hold)
    expect_error(data, "steps[3].phase", "a second step with phase 'hold'")


def test_duplicate_step_id() -> None:
    data = put("steps[2].id", "slide-up")
    expect_error(data, "steps[2].id", "duplicate step id 'slide-up', first used at steps[0]")


@pytest.mark.parametrize(
    ("field", "value"), [("steps[0].id", "Slide Up"), ("id", "../wall-angel"), ("id", "a--b")]
)
def test_ids_must_be_slugs(field: str, value: str) -> None:
    expect_error(put(field, value), field, f"{value!r} is not an id")


# ---------------------------------------------------------------- TOML text


def test_toml_syntax_error_names_file_and_line() -> None:
    with pytest.raises(ContentError) as caught:
        parse_exercise_toml('id = "x"\nname = \n', "broken.toml")
    assert (caught.value.source, caught.value.field) == ("broken.toml", "line 2, column 8")
    assert caught.value.problem.startswith("invalid TOML: ")
    assert str(caught.value).startswith("broken.toml: line 2, column 8: invalid TOML")


def test_toml_error_at_the_end_of_the_file() -> None:
    with pytest.raises(ContentError) as caught:
        parse_exercise_toml('name = "never closed', "broken.toml")
    assert caught.value.field == "end of file"


def test_toml_error_without_a_position_keeps_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    class OddError(ValueError):
        pass

    def loads(text: str) -> dict[str, Any]:
        raise OddError("something odd")

    fake = types.SimpleNamespace(TOMLDecodeError=OddError, loads=loads)
    monkeypatch.setattr(exercise_loader, "tomllib", fake)
    with pytest.raises(ContentError, match=r"^broken\.toml: TOML syntax: something odd$"):
        parse_exercise_toml("", "broken.toml")


def test_valid_toml_text_is_validated_too() -> None:
    with pytest.raises(ContentError, match=r"^inline\.toml: id: missing required key$"):
        parse_exercise_toml('name = "Only a name"\n', "inline.toml")


# ---------------------------------------------------------------- reading files


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ContentError) as caught:
        resources.load_exercise_file(path)
    assert (caught.value.source, caught.value.field) == (str(path), "file")
    assert caught.value.problem == "not found"


def test_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ContentError, match="cannot be read") as caught:
        resources.load_exercise_file(folder)
    assert caught.value.source == str(folder)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Rückenstrecker"\n'.encode("latin-1"))
    with pytest.raises(ContentError, match="not valid UTF-8") as caught:
        resources.load_exercise_file(path)
    assert (caught.value.source, caught.value.field) == (str(path), "file")


def test_file_content_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "wall-angel.toml"
    path.write_text(WALL_ANGEL.read_text(encoding="utf-8").replace("move_seconds = 3", "x = 1"))
    with pytest.raises(ContentError) as caught:
        resources.load_exercise_file(path)
    assert (caught.value.source, caught.value.field) == (str(path), "tempo.x")


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "angel.toml"
    shutil.copy(WALL_ANGEL, path)
    with pytest.raises(ContentError, match="'wall-angel' does not match the file name") as caught:
        resources.load_exercise_file(path)
    assert caught.value.field == "id"


@pytest.mark.parametrize("bad_id", ["../secrets", "Dynamic", "a/b", ""])
def test_exercise_path_refuses_ids_that_could_escape(bad_id: str) -> None:
    with pytest.raises(ValueError, match="not an exercise id"):
        resources.exercise_path(bad_id)


def test_missing_resources_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-resources"
    monkeypatch.setattr(resources, "_candidates", lambda: [missing])
    with pytest.raises(FileNotFoundError, match="resources folder not found") as caught:
        resources.resources_dir()
    assert str(missing) in str(caught.value)


def test_unknown_bundled_exercise() -> None:
    with pytest.raises(ContentError, match="not found"):
        resources.load_bundled_exercise("no-such-stretch")


# ---------------------------------------------------------------- value helpers


def test_range_contains_only_whole_numbers_inside() -> None:
    reps = Range(8, 12)
    assert 8 in reps
    assert 12 in reps
    assert 7 not in reps
    assert 13 not in reps
    assert "10" not in reps
    assert 10.0 not in reps


def test_range_clamp() -> None:
    reps = Range(8, 12)
    assert [reps.clamp(value) for value in (3, 8, 10, 12, 40)] == [8, 8, 10, 12, 12]


def test_range_str() -> None:
    assert str(Range(8, 12)) == "8–12"
    assert str(Range(2, 2)) == "2"


def wall_angel() -> Exercise:
    return load_exercise(valid(), SOURCE)


def test_goal_lookup() -> None:
    assert wall_angel().goal("desk-reset").reps == Range(5, 8)
    with pytest.raises(KeyError):
        wall_angel().goal("mobility")


def test_step_for_each_timed_phase() -> None:
    exercise = wall_angel()
    assert exercise.step_for(StepPhase.MOVE).id == "slide-up"
    assert exercise.step_for(StepPhase.HOLD).id == "pause"
    assert exercise.step_for(StepPhase.RETURN).id == "slide-down"


def test_step_for_a_phase_no_step_owns() -> None:
    exercise = wall_angel()
    without_hold = dataclasses.replace(
        exercise, steps=tuple(s for s in exercise.steps if s.phase is not StepPhase.HOLD)
    )
    with pytest.raises(KeyError):
        without_hold.step_for(StepPhase.HOLD)
