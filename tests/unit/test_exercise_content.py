"""The bundled Dynamic Back Stretch says exactly what the source material says, in our own words."""

from __future__ import annotations

import re

import pytest

from stretchbreak.core.exercise import Exercise, Range, StepPhase
from stretchbreak.infra import resources


@pytest.fixture(scope="module")
def exercise() -> Exercise:
    return resources.load_bundled_exercise("dynamic-back-stretch")


def test_it_is_the_default_and_the_only_bundled_exercise() -> None:
    assert resources.DEFAULT_EXERCISE_ID == "dynamic-back-stretch"
    assert resources.bundled_exercise_ids() == ["dynamic-back-stretch"]
    assert resources.load_bundled_exercise().id == "dynamic-back-stretch"


def test_every_bundled_exercise_loads() -> None:
    for exercise_id in resources.bundled_exercise_ids():
        assert resources.load_bundled_exercise(exercise_id).id == exercise_id


def test_identity(exercise: Exercise) -> None:
    assert exercise.id == "dynamic-back-stretch"
    assert exercise.name == "Dynamic Back Stretch"
    assert exercise.purpose
    assert exercise.intro


def test_overview(exercise: Exercise) -> None:
    overview = exercise.overview
    assert overview.body_part == "Back"
    assert overview.primary_muscles == ("Latissimus dorsi", "Erector spinae")
    assert overview.secondary_muscles == (
        "Rhomboids",
        "Mid and lower trapezius",
        "Rear shoulder stabilizers",
        "Deep core stabilizers",
    )
    assert overview.equipment_required == "None"
    assert overview.equipment_optional == (
        "Exercise mat",
        "Knee pad",
        "Yoga block",
        "Stretching strap",
    )
    assert overview.difficulty == "Beginner"
    reason = overview.difficulty_reason.lower()
    assert all(word in reason for word in ("warm-up", "recovery", "mobility"))


@pytest.mark.parametrize(
    ("goal_id", "sets", "reps", "hold", "hold_is_default"),
    [
        ("warmup", Range(1, 2), Range(8, 12), Range(1, 3), True),
        ("mobility", Range(2, 3), Range(10, 15), Range(1, 3), True),
        ("recovery", Range(2, 4), Range(6, 10), Range(3, 5), False),
        ("desk-reset", Range(1, 2), Range(6, 8), Range(1, 3), True),
    ],
)
def test_goal_numbers(
    exercise: Exercise, goal_id: str, sets: Range, reps: Range, hold: Range, hold_is_default: bool
) -> None:
    goal = exercise.goal(goal_id)
    assert (goal.sets, goal.reps, goal.hold_seconds) == (sets, reps, hold)
    assert goal.hold_is_default is hold_is_default
    assert goal.name
    assert goal.summary
    assert goal.tempo_note


def test_goals_in_order_and_default_hold(exercise: Exercise) -> None:
    assert [goal.id for goal in exercise.goals] == ["warmup", "mobility", "recovery", "desk-reset"]
    assert exercise.default_hold_seconds == Range(1, 3)


def test_goal_notes_carry_the_source_details(exercise: Exercise) -> None:
    assert "slow" in exercise.goal("warmup").tempo_note.lower()
    assert "pause" in exercise.goal("mobility").tempo_note.lower()
    assert "3–5 seconds" in exercise.goal("recovery").tempo_note
    assert "easy" in exercise.goal("desk-reset").tempo_note.lower()
    assert "upper and lower back" in exercise.goal("desk-reset").summary


def test_progression_rule(exercise: Exercise) -> None:
    rule = exercise.progression_rule.lower()
    assert all(word in rule for word in ("control", "pause", "reps", "complex"))


def test_tempo(exercise: Exercise) -> None:
    tempo = exercise.tempo
    assert (tempo.move_seconds, tempo.return_seconds, tempo.setup_cue_seconds) == (2, 2, 6)


def test_setup(exercise: Exercise) -> None:
    assert len(exercise.setup) == 5
    details = [cue.detail.lower() for cue in exercise.setup]
    assert "knees under your hips" in details[0]
    assert "fingertips" in details[1]
    assert "ribs" in details[2]
    assert "neck" in details[2]
    assert "tops of your feet or your toes" in details[3]
    assert "shoulders" in details[4]
    assert "folded mat or a knee pad" in exercise.setup_tip


def test_steps_in_order_with_their_phases(exercise: Exercise) -> None:
    assert [(step.id, step.phase) for step in exercise.steps] == [
        ("reach", StepPhase.FORM),
        ("sit-back", StepPhase.MOVE),
        ("lengthen", StepPhase.FORM),
        ("pause", StepPhase.HOLD),
        ("return", StepPhase.RETURN),
        ("repeat", StepPhase.FORM),
    ]
    assert all(step.title and step.cue and step.detail for step in exercise.steps)


def test_cues_shown_during_a_rep(exercise: Exercise) -> None:
    assert exercise.step_for(StepPhase.MOVE).cue == "Sit the hips back"
    assert exercise.step_for(StepPhase.HOLD).cue == "Hold — breathe"
    assert exercise.step_for(StepPhase.RETURN).cue == "Return with control"
    # The hold step names the session's hold, never a fixed range.
    hold = exercise.step_for(StepPhase.HOLD)
    assert "{hold}" in hold.detail
    assert "for 4 seconds," in hold.for_hold(4).detail
    assert "for 1 second," in hold.for_hold(1).detail
    assert "for a moment," in hold.for_hold(0).detail
    assert not any("second" in step.detail for step in exercise.steps if step is not hold)
    # Shown large on screen, so a cue must stay short.
    assert all(len(step.cue.split()) <= 4 for step in exercise.steps)


def test_tips_and_mistakes(exercise: Exercise) -> None:
    assert [tip.title for tip in exercise.tips] == [
        "Use your arms",
        "Move from your hips too",
        "Keep your neck relaxed",
        "Use it with purpose",
    ]
    assert "rowing, pulldowns, thoracic mobility drills" in exercise.tips[3].detail
    assert [mistake.title for mistake in exercise.mistakes] == [
        "Forcing depth",
        "Rushing",
        "Shrugging",
    ]


def test_faq(exercise: Exercise) -> None:
    assert len(exercise.faq) == 5
    answers = [question.answer for question in exercise.faq]
    assert "lats, mid-back and lower back" in answers[0]
    assert "sharp pain in your spine" in answers[0].lower()
    assert answers[1].startswith("Yes.")
    assert answers[2].startswith("In most cases, yes")
    assert "static hold" in answers[3]
    assert "folded towel" in answers[4]


def test_equipment(exercise: Exercise) -> None:
    assert [item.name for item in exercise.equipment] == [
        "Thick exercise mat",
        "Foam roller",
        "Stretching strap with loops",
        "Exercise knee pad",
        "Yoga blocks",
    ]
    assert all(item.use for item in exercise.equipment)
    assert "comfortable" in exercise.equipment_tip
    assert "control" in exercise.equipment_tip


def test_safety_notes(exercise: Exercise) -> None:
    notes = " ".join(exercise.safety).lower()
    assert "before any discomfort turns into pain" in notes
    assert "sharp pain in your spine" in notes
    assert "breathing normally" in notes
    assert "health professional" in notes


#: Distinctive sentences of the source text. Our file must say the same things in its own
#: words, so none of them may appear in it (compared ignoring case and punctuation).
SOURCE_SENTENCES = [
    "You should feel a gradual stretch through the upper back, lats, and lower back as you sit "
    "back and reach forward.",
    "The goal is not to hit the deepest possible position, but to improve mobility with clean, "
    "repeatable reps.",
    "Better movement quality beats bigger range every time.",
    "Keep the ribcage gently braced and the neck relaxed in line with the spine.",
    "Sit the hips toward the heels while allowing the spine to move into a comfortable stretch.",
    "Glide forward and bring the torso back toward neutral or slight extension without jerking.",
    "Fast reps reduce the mobility benefit and make the movement feel sloppy.",
    "Keep space between the shoulders and ears as you reach forward.",
    "Start small, move slowly, and stop well before discomfort becomes pain.",
    "Extra cushioning usually makes the movement more comfortable and lets you focus on the back "
    "stretch itself.",
    "If a tool causes discomfort or pushes you into a range you cannot control, scale it back.",
]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize("sentence", SOURCE_SENTENCES)
def test_no_source_sentence_is_copied(sentence: str) -> None:
    text = resources.exercise_path("dynamic-back-stretch").read_text(encoding="utf-8")
    assert _words(sentence) not in _words(text)
