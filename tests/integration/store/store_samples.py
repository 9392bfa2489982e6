"""Small, explicit history values for the store tests, all at fixed instants."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionRecord,
    Source,
)
from stretchbreak.core.session_values import SessionStarted, SessionSummary, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.store import Store

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EXERCISE = "dynamic-back-stretch"
TARGET = Target(2, 6, 3)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def started(
    session_id: str,
    minutes: float = 0,
    goal: str = "recovery",
    exercise: str = EXERCISE,
    target: Target = TARGET,
    tempo: TempoMode = TempoMode.GUIDED,
    source: Source = Source.MANUAL,
) -> SessionStarted:
    return SessionStarted(session_id, exercise, goal, target, tempo, source, at(minutes))


def a_set(
    session_id: str,
    index: int = 1,
    minutes: float = 0,
    *,
    goal: str = "recovery",
    exercise: str = EXERCISE,
    reps: int = 6,
    partial: bool = False,
    source: Source = Source.MANUAL,
) -> CompletedSet:
    begun = at(minutes) + timedelta(seconds=0.123456)
    return CompletedSet(
        session_id=session_id,
        exercise=exercise,
        goal=goal,
        set_index=index,
        reps=reps,
        hold_seconds=3,
        started_at=begun,
        completed_at=begun + timedelta(seconds=41.5),
        active_seconds=39.25,
        paused_seconds=2.25,
        source=source,
        partial=partial,
    )


def summary(
    start: SessionStarted,
    sets: tuple[CompletedSet, ...] = (),
    outcome: Outcome = Outcome.COMPLETED,
    feeling: Feeling | None = None,
) -> SessionSummary:
    return SessionSummary(
        session_id=start.session_id,
        exercise=start.exercise,
        goal=start.goal,
        target=start.target,
        tempo=start.tempo,
        source=start.source,
        started_at=start.at,
        ended_at=start.at + timedelta(minutes=3),
        outcome=outcome,
        sets=sets,
        active_seconds=sum(s.active_seconds for s in sets),
        paused_seconds=sum(s.paused_seconds for s in sets),
        feeling=feeling,
    )


def record(
    session_id: str,
    minutes: float = 0,
    sets: int = 2,
    *,
    goal: str = "recovery",
    ended: bool = True,
    feeling: Feeling | None = Feeling.JUST_RIGHT,
) -> SessionRecord:
    """A whole session as the history shows it, with ``sets`` sets (the last one partial)."""
    done = tuple(
        a_set(session_id, i, minutes + i, goal=goal, partial=i == sets, source=Source.PROMPT)
        for i in range(1, sets + 1)
    )
    return SessionRecord(
        session_id=session_id,
        exercise=EXERCISE,
        goal=goal,
        source=Source.PROMPT,
        tempo=TempoMode.SELF_PACED.value,
        target_sets=3,
        target_reps=8,
        target_hold_seconds=4,
        started_at=at(minutes),
        ended_at=at(minutes + 5) if ended else None,
        outcome=Outcome.CANCELLED if ended else None,
        feeling=feeling if ended else None,
        sets=done,
    )


def prompt(minutes: float, outcome: PromptOutcome = PromptOutcome.STARTED) -> PromptRecord:
    shown = None if outcome is PromptOutcome.MISSED else at(minutes) + timedelta(seconds=1)
    return PromptRecord(at(minutes), shown, outcome, at(minutes) + timedelta(seconds=30))


def a_real_database(path: Path) -> bytes:
    """A closed database with enough history to span a good number of pages; its bytes."""
    with Store.open(path) as store:
        store.import_sessions(record(f"s{n}", n, 4) for n in range(300))
    return path.read_bytes()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder really unwritable for this process, and undo it afterwards.

    Mode bits do not stop root, and tests run as root in some containers; there the
    immutable attribute (``chattr +i``) does, for root too. Where neither works the test is
    skipped rather than faked: the fake lives in its own, clearly named tests.
    """
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root where `chattr +i` is unavailable: no real read-only file")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)
