"""The next target for a goal, grown from the user's last session by the progression rule.

The rule: first more control and a longer pause, then more reps, then another set — and never
beyond the top of the goal's ranges, because movement quality beats range. A set cut short or
a session that felt hard is repeated; one that hurt steps the target down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from stretchbreak.core.exercise import Goal
from stretchbreak.core.history import CompletedSet, Feeling
from stretchbreak.core.target import Target


@dataclass(frozen=True)
class Suggestion:
    target: Target
    #: One sentence the start view shows beside the prefilled target.
    reason: str
    #: True when a smaller target was asked for but this one is already the goal's lightest.
    lightest: bool = False


def suggest_target(
    goal: Goal, past_sets: Iterable[CompletedSet], last_feeling: Feeling | None = None
) -> Suggestion:
    """Suggest the next target from the most recent session of ``goal`` in ``past_sets``.

    ``last_feeling`` is the answer given after that session, when there was one.
    """
    latest = _latest_session(goal, past_sets)
    if not latest:
        return Suggestion(
            Target.lowest(goal),
            "First time with this goal: start at the low end and learn the movement.",
        )
    done = [s for s in latest if not s.partial]
    last = Target.clamped(
        goal,
        sets=max(len(done), 1),
        reps=max(s.reps for s in (done or latest)),
        hold_seconds=max(s.hold_seconds for s in latest),
    )
    if last_feeling is Feeling.PAINFUL:
        return _step_down(goal, last)
    if len(done) < len(latest):
        return Suggestion(last, "Last time a set was cut short, so repeat that target calmly.")
    if last_feeling is Feeling.HARD:
        return Suggestion(last, "Last time felt hard, so repeat it and make every rep smooth.")
    return _step_up(goal, last)


def _latest_session(goal: Goal, past_sets: Iterable[CompletedSet]) -> list[CompletedSet]:
    by_session: dict[str, list[CompletedSet]] = {}
    for record in past_sets:
        if record.goal == goal.id:
            by_session.setdefault(record.session_id, []).append(record)
    if not by_session:
        return []
    return max(by_session.values(), key=lambda sets: max(s.completed_at for s in sets))


def _step_up(goal: Goal, last: Target) -> Suggestion:
    if last.hold_seconds < goal.hold_seconds.high:
        return Suggestion(
            Target(last.sets, last.reps, last.hold_seconds + 1),
            "Last time went well: hold the stretch one second longer before adding reps.",
        )
    if last.reps < goal.reps.high:
        return Suggestion(
            Target(last.sets, last.reps + 1, last.hold_seconds),
            "Your hold is at its longest, so add one rep to each set.",
        )
    if last.sets < goal.sets.high:
        sets = last.sets + 1
        # Spread at least the same total work over one more set.
        reps = goal.reps.clamp(math.ceil(last.sets * last.reps / sets))
        return Suggestion(
            Target(sets, reps, last.hold_seconds),
            "Every set is full, so add one more set and spread the reps across them.",
        )
    return Suggestion(
        last,
        "You are at the top of this goal's range: keep it and make each rep cleaner.",
    )


def smaller_target(goal: Goal, done: Target) -> Suggestion:
    """After "Painful": a target smaller than ``done`` (the one just done), or — when
    ``done`` is already the goal's lightest — that one again with ``lightest`` set and advice
    on what to do instead, never a "smaller" target that is not."""
    return _step_down(goal, Target.clamped(goal, done.sets, done.reps, done.hold_seconds))


def _step_down(goal: Goal, last: Target) -> Suggestion:
    # Within the goal's ranges each step stays at or above the low end and at or below
    # ``last``, so the result equals ``last`` only when ``last`` is the lightest target.
    smaller = Target.clamped(
        goal, sets=last.sets - 1, reps=last.reps - 2, hold_seconds=last.hold_seconds - 1
    )
    if smaller == last:
        reason = (
            "It hurt at the lightest target of this goal: next time move through a smaller "
            "range, only as far as stays free of pain, or leave the stretch out for today."
        )
        return Suggestion(smaller, reason, lightest=True)
    reason = "It hurt last time, so the target is smaller; stop well before any pain."
    return Suggestion(smaller, reason)
