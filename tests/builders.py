"""Small, explicit exercise content for engine tests, independent of the shipped file."""

from __future__ import annotations

from stretchbreak.core.exercise import (
    CoachingCue,
    Exercise,
    ExerciseOverview,
    Goal,
    Range,
    Step,
    StepPhase,
    Tempo,
)


def make_goal(
    goal_id: str = "recovery",
    sets: tuple[int, int] = (2, 4),
    reps: tuple[int, int] = (6, 10),
    hold: tuple[int, int] = (3, 5),
) -> Goal:
    return Goal(
        id=goal_id,
        name=goal_id.replace("-", " ").title(),
        summary="A goal for tests.",
        sets=Range(*sets),
        reps=Range(*reps),
        hold_seconds=Range(*hold),
        hold_is_default=False,
        tempo_note="Slow.",
    )


def make_exercise(*goals: Goal, setup_cues: int = 3) -> Exercise:
    steps = (
        Step("sit-back", "Sit back", "Sit the hips back", "Hips to heels.", StepPhase.MOVE),
        Step("pause", "Pause", "Hold — breathe", "Stay a moment.", StepPhase.HOLD),
        Step("return", "Return", "Return with control", "Glide forward.", StepPhase.RETURN),
    )
    return Exercise(
        id="test-stretch",
        name="Test Stretch",
        purpose="For tests.",
        intro="For tests.",
        overview=ExerciseOverview("Back", ("a",), ("b",), "None", (), "Beginner", "Easy."),
        goals=goals or (make_goal(),),
        default_hold_seconds=Range(1, 3),
        progression_rule="Quality first.",
        tempo=Tempo(move_seconds=2, return_seconds=2, setup_cue_seconds=6),
        setup=tuple(CoachingCue(f"Cue {i}", "Detail.") for i in range(1, setup_cues + 1)),
        setup_tip="Cushion the knees.",
        steps=steps,
        tips=(),
        mistakes=(),
        faq=(),
        equipment=(),
        equipment_tip="",
        safety=("Stop before pain.",),
    )
