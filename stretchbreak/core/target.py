"""A session target (sets × reps × hold) and the rule that it stays inside its goal's ranges."""

from __future__ import annotations

from dataclasses import dataclass

from stretchbreak.core.exercise import Goal


class TargetOutOfRange(ValueError):
    """A target outside the goal's ranges; the source's ranges are the safe envelope."""


@dataclass(frozen=True)
class Target:
    sets: int
    reps: int
    hold_seconds: int

    @classmethod
    def lowest(cls, goal: Goal) -> Target:
        """Where a newcomer to a goal starts: the low end of every range."""
        return cls(goal.sets.low, goal.reps.low, goal.hold_seconds.low)

    @classmethod
    def clamped(cls, goal: Goal, sets: int, reps: int, hold_seconds: int) -> Target:
        """The nearest target inside the goal's ranges."""
        return cls(
            goal.sets.clamp(sets), goal.reps.clamp(reps), goal.hold_seconds.clamp(hold_seconds)
        )

    def check(self, goal: Goal) -> None:
        """Raise ``TargetOutOfRange`` naming the first number outside the goal's range."""
        for label, value, allowed in (
            ("sets", self.sets, goal.sets),
            ("reps", self.reps, goal.reps),
            ("hold seconds", self.hold_seconds, goal.hold_seconds),
        ):
            if value not in allowed:
                raise TargetOutOfRange(
                    f"{label} = {value} is outside the {goal.name} range {allowed}"
                )

    def __str__(self) -> str:
        return f"{self.sets} × {self.reps} · {self.hold_seconds} s hold"


def estimated_seconds(
    target: Target,
    move_seconds: float,
    return_seconds: float,
    setup_seconds: float,
    rest_seconds: float,
) -> float:
    """How long a guided session takes, so a prompt can say "about 2 min" honestly."""
    rep = move_seconds + target.hold_seconds + return_seconds
    return setup_seconds + target.sets * target.reps * rep + (target.sets - 1) * rest_seconds
