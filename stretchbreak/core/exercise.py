"""The exercise as typed, frozen values, so every screen shows the same validated facts.

The content itself lives in ``resources/exercises/*.toml``; ``load_exercise`` turns one such
mapping into an ``Exercise`` and refuses malformed content with one message that names the
file, the field path and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

# Re-exported: the goal ids live apart so the command line can read them cheaply.
from stretchbreak.core.exercise_figure import Figure
from stretchbreak.core.goal_ids import GOAL_IDS as GOAL_IDS

#: The goals the app knows how to schedule and store; settings and history use these ids.


#: Where a step's ``detail`` names the hold of the running session.
HOLD_PLACEHOLDER = "{hold}"


class StepPhase(StrEnum):
    """Which timed part of a rep an execution step belongs to.

    ``FORM`` steps are guidance shown with the others but own no timed phase.
    """

    MOVE = "move"
    HOLD = "hold"
    RETURN = "return"
    FORM = "form"


@dataclass(frozen=True)
class Range:
    """An inclusive whole-number range such as 8–12 reps or 3–5 seconds."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def clamp(self, value: int) -> int:
        return max(self.low, min(self.high, value))

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Goal:
    """One way to use the exercise, with the ranges a session target must stay inside."""

    id: str
    name: str
    summary: str
    sets: Range
    reps: Range
    hold_seconds: Range
    #: True when the source names no hold for this goal and the exercise's default pause applies.
    hold_is_default: bool
    tempo_note: str


@dataclass(frozen=True)
class ExerciseOverview:
    body_part: str
    primary_muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    equipment_required: str
    equipment_optional: tuple[str, ...]
    difficulty: str
    difficulty_reason: str


@dataclass(frozen=True)
class CoachingCue:
    """A titled instruction: a setup cue, a tip, a common mistake."""

    title: str
    detail: str


@dataclass(frozen=True)
class Step:
    """One execution step; ``cue`` is the short phrase shown large during a rep.

    ``detail`` may name the hold as ``{hold}``; a running session shows it with the hold it
    chose (``for_hold``), so the text never promises another length than the countdown.
    """

    id: str
    title: str
    cue: str
    detail: str
    phase: StepPhase

    def for_hold(self, seconds: int) -> Step:
        """This step with ``{hold}`` written out: "4 seconds", "1 second", "a moment"."""
        if HOLD_PLACEHOLDER not in self.detail:
            return self
        words = "a moment" if seconds == 0 else f"{seconds} second{'' if seconds == 1 else 's'}"
        return replace(self, detail=self.detail.replace(HOLD_PLACEHOLDER, words))


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True)
class EquipmentItem:
    name: str
    use: str


@dataclass(frozen=True)
class Tempo:
    """Default durations of the untimed-by-nature parts of a guided rep, in seconds."""

    move_seconds: float
    return_seconds: float
    setup_cue_seconds: float


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    purpose: str
    intro: str
    overview: ExerciseOverview
    goals: tuple[Goal, ...]
    default_hold_seconds: Range
    progression_rule: str
    tempo: Tempo
    setup: tuple[CoachingCue, ...]
    setup_tip: str
    steps: tuple[Step, ...]
    tips: tuple[CoachingCue, ...]
    mistakes: tuple[CoachingCue, ...]
    faq: tuple[Question, ...]
    equipment: tuple[EquipmentItem, ...]
    equipment_tip: str
    safety: tuple[str, ...]
    #: The drawn movement; None for an exercise whose file has no ``[figure]`` section.
    figure: Figure | None = None

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def step_for(self, phase: StepPhase) -> Step:
        """The one step that owns a timed phase (validated at load time to exist)."""
        for step in self.steps:
            if step.phase is phase:
                return step
        raise KeyError(phase)


class ContentError(ValueError):
    """Exercise content that cannot be used; the message names file, field path and problem."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(f"{source}: {field}: {problem}")
        self.source = source
        self.field = field
        self.problem = problem
