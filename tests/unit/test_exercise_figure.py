"""The [figure] section is checked like the rest of the content: each error names its field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from stretchbreak.core.exercise import ContentError
from stretchbreak.core.exercise_figure import BodyPart, Pose
from stretchbreak.core.exercise_loader import load_exercise

SOURCE = "exercises/test.toml"
WALL_ANGEL = Path(__file__).resolve().parents[1] / "fixtures" / "exercises" / "wall-angel.toml"


def valid() -> dict[str, Any]:
    return tomllib.loads(WALL_ANGEL.read_text(encoding="utf-8"))


def expect(data: dict[str, Any], field: str, problem: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_exercise(data, SOURCE)
    assert (caught.value.field, problem in caught.value.problem) == (field, True), caught.value


def test_the_fixture_figure_loads() -> None:
    figure = load_exercise(valid(), SOURCE).figure
    assert figure is not None
    assert figure.pose("low") == Pose(90, 180, 180, 40, 80, 0)
    assert (figure.move, figure.hold, figure.ret) == (("low", "high"), ("high",), ("high", "low"))
    assert figure.setup[0].emphasis is BodyPart.TORSO


def test_a_figure_is_optional() -> None:
    data = valid()
    del data["figure"]
    assert load_exercise(data, SOURCE).figure is None


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda f: f.update(poses=[]), "figure.poses", "table of named poses"),
        (lambda f: f.update(poses={}), "figure.poses", "at least one pose"),
        (lambda f: f["poses"]["low"].pop("knee"), "figure.poses.low.knee", "missing"),
        (lambda f: f["poses"]["low"].update(knee="90"), "figure.poses.low.knee", "degrees"),
        (lambda f: f["poses"]["low"].update(knee=True), "figure.poses.low.knee", "degrees"),
        (lambda f: f["poses"]["low"].update(hip=400), "figure.poses.low.hip", "between"),
        (lambda f: f["poses"]["low"].update(wrist=1), "figure.poses.low.wrist", "unknown key"),
        (lambda f: f["phases"].pop("hold"), "figure.phases.hold", "missing"),
        (lambda f: f["phases"].update(move=[]), "figure.phases.move", "non-empty"),
        (lambda f: f["phases"].update(move=["low", "up"]), "figure.phases.move[1]", "'up'"),
        (lambda f: f.update(setup=[]), "figure.setup", "must not be empty"),
        (lambda f: f["setup"].append({"pose": "low"}), "figure.setup", "1 setup cues"),
        (lambda f: f["setup"][0].update(pose="side"), "figure.setup[0].pose", "unknown pose"),
        (lambda f: f["setup"][0].update(emphasis="tail"), "figure.setup[0].emphasis", "tail"),
        (lambda f: f["setup"][0].update(emphasis=3), "figure.setup[0].emphasis", "body part"),
        (lambda f: f.update(colour="red"), "figure.colour", "unknown key"),
    ],
)
def test_bad_figures_name_the_field(change: Any, field: str, problem: str) -> None:
    data = valid()
    change(data["figure"])
    expect(data, field, problem)


def test_emphasis_may_be_left_out() -> None:
    data = valid()
    del data["figure"]["setup"][0]["emphasis"]
    figure = load_exercise(data, SOURCE).figure
    assert figure is not None
    assert figure.setup[0].emphasis is None
