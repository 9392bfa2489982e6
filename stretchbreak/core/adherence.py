"""Adherence: how many of the prompts in a range led to a finished session.

A session is *finished* by the rule of ``core/tally.py``: outcome ``COMPLETED`` and at least one
completed set; the streaks in ``core/stats.py`` use the same rule.

Adherence rule (``adherence``): a prompt belongs to the range when its ``due_at`` lies in
``[since, until)``. It counts as *completed* when its outcome is ``STARTED`` and it is matched
to a finished session. Matching: prompts in ``decided_at`` order each take the earliest
not-yet-taken session with ``source == PROMPT`` whose ``started_at`` lies between
``MATCH_BEFORE`` before and ``MATCH_AFTER`` after ``decided_at`` (the small lead absorbs the
order in which the prompt and the session are stamped). A matched session that was cancelled
does not make its prompt completed. ``percent`` is completed / all prompts in the range x 100,
``None`` when there were no prompts.

A prompt deferred by a call (a ``DEFERRED`` row with a reason) is logged twice when it comes
back after the call: once as deferred, once with what the user then did. It is one prompt,
counted by its later row, so one that led to a stretch counts as completed; a deferral with
no later row (the app quit, a pause, a break started by hand) stays a deferred prompt.
``deferred_by_calls`` counts the prompts in the range that a call (or a presentation) held
back at all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from stretchbreak.core.history import PromptOutcome, PromptRecord, SessionLike, Source
from stretchbreak.core.tally import is_finished

#: How long before a prompt's decision a session may be stamped and still answer it.
MATCH_BEFORE = timedelta(minutes=1)
#: How long after a prompt's decision its session may start and still answer it.
MATCH_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Adherence:
    prompts: int
    completed: int
    percent: float | None
    snoozed: int
    skipped: int
    missed: int
    natural_breaks: int
    deferred: int
    deferred_by_calls: int = 0


def adherence(
    prompts: Sequence[PromptRecord],
    sessions: Sequence[SessionLike],
    since: datetime,
    until: datetime,
) -> Adherence:
    """How many prompts due in ``[since, until)`` led to a finished session (see module doc)."""
    in_range = [p for p in prompts if since <= p.due_at < until]
    held_back = {p.due_at for p in in_range if _by_call(p)}
    chosen = sorted(_answered_after_calls(in_range), key=lambda p: p.decided_at)
    started = [p for p in chosen if p.outcome is PromptOutcome.STARTED]
    # A session before every matching window can answer no prompt: leave those out unread.
    earliest = min((p.decided_at for p in started), default=None)
    candidates = []
    if earliest is not None:
        first, prompted = earliest - MATCH_BEFORE, Source.PROMPT
        candidates = sorted(
            (s for s in sessions if s.source is prompted and s.started_at >= first),
            key=lambda s: s.started_at,
        )
    starts = [s.started_at for s in candidates]
    taken: set[int] = set()
    completed = 0
    for prompt in started:
        index = bisect_left(starts, prompt.decided_at - MATCH_BEFORE)
        while index < len(candidates) and starts[index] <= prompt.decided_at + MATCH_AFTER:
            if index not in taken:
                taken.add(index)
                completed += is_finished(candidates[index])
                break
            index += 1
    counts = Counter(p.outcome for p in chosen)
    return Adherence(
        prompts=len(chosen),
        completed=completed,
        percent=100 * completed / len(chosen) if chosen else None,
        snoozed=counts[PromptOutcome.SNOOZED],
        skipped=counts[PromptOutcome.SKIPPED],
        missed=counts[PromptOutcome.MISSED],
        natural_breaks=counts[PromptOutcome.NATURAL_BREAK],
        deferred=counts[PromptOutcome.DEFERRED],
        deferred_by_calls=len(held_back),
    )


def _by_call(prompt: PromptRecord) -> bool:
    return prompt.outcome is PromptOutcome.DEFERRED and prompt.reason is not None


def _answered_after_calls(prompts: Sequence[PromptRecord]) -> list[PromptRecord]:
    """Each call-deferred row left out when a later row answers the same prompt."""
    last: dict[datetime, PromptRecord] = {}
    for prompt in prompts:
        if prompt.due_at not in last or prompt.decided_at >= last[prompt.due_at].decided_at:
            last[prompt.due_at] = prompt
    return [p for p in prompts if not (_by_call(p) and last[p.due_at] is not p)]
