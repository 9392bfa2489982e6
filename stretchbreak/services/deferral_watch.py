"""The coordinator's view of busy signals: reads them only while a break is due, keeps the
deferral (``core.deferral``) and says when to look again.

Plain Python, no Qt: the coordinator calls it at its own wake-ups, so it adds no timer of
its own, and an idle app (no break due) never reads a signal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from stretchbreak.core import deferral as policy
from stretchbreak.core.deferral import BusyReason, Deferral, Verdict
from stretchbreak.core.schedule_state import scaled
from stretchbreak.core.settings import DeferSettings

#: While a break waits for a call, or a prompt is on screen, the signals are read this often.
BUSY_POLL = timedelta(seconds=5)
#: However fast ``--speed`` runs, no faster than this.
BUSY_POLL_FLOOR = timedelta(milliseconds=200)


class BusyReader(Protocol):
    def busy(self, watched: frozenset[BusyReason]) -> frozenset[BusyReason]: ...

    def release(self) -> None: ...


class DeferralWatch:
    """One due break's deferral and the signals behind it."""

    def __init__(self, reader: BusyReader | None, speed: float) -> None:
        self._reader = reader
        self._speed = speed
        self.deferral: Deferral | None = None
        #: When the last deferral ended: the typing lull is counted from here, not from due.
        self.resumed_at: datetime | None = None

    def watching(self, settings: DeferSettings) -> bool:
        return self._reader is not None and bool(policy.watched(settings))

    @property
    def reasons(self) -> list[str]:
        """What ``status --json`` lists as ``deferred_by``; empty when nothing waits."""
        return policy.ordered(self.deferral.reasons) if self.deferral is not None else []

    @property
    def reason(self) -> str | None:
        primary = policy.primary_reason(self.deferral.reasons) if self.deferral else None
        return primary.value if primary is not None else None

    def consult(self, now: datetime, settings: DeferSettings) -> Verdict:
        """Read the signals and decide; without a reader or watched signal, always ``GO``."""
        if self._reader is None or not (self.watching(settings) or self.deferral):
            return Verdict.GO
        busy = self._reader.busy(policy.watched(settings))
        was_waiting = self.deferral is not None
        self.deferral, verdict = policy.consult(self.deferral, busy, now, settings, self._speed)
        if verdict is Verdict.GO and was_waiting:
            self.resumed_at = now
        return verdict

    @property
    def held_back(self) -> bool:
        """Whether the due break waited for a call (and its deferral is recorded), up to
        being shown or answered: during the call, or after it while the prompt still waits."""
        return self.deferral is not None or self.resumed_at is not None

    def busy_now(self, settings: DeferSettings) -> bool:
        """A plain look, for away detection: someone in a call is not away."""
        if self._reader is None or not self.watching(settings):
            return False
        return bool(self._reader.busy(policy.watched(settings)))

    def poll(self, now: datetime) -> datetime:
        return now + max(scaled(BUSY_POLL, self._speed), BUSY_POLL_FLOOR)

    def next_check(self, now: datetime, settings: DeferSettings) -> datetime | None:
        """When a waiting break looks again; ``None`` when none waits."""
        if self.deferral is None:
            return None
        step = self.poll(now) - now
        return policy.next_check(self.deferral, now, step, settings, self._speed)

    def lull_from(self, due: datetime) -> datetime:
        """The moment the typing lull is measured from: after a call, its end."""
        return due if self.resumed_at is None else max(due, self.resumed_at)

    def clock_jumped(self, now: datetime, seconds: float) -> None:
        self.deferral = policy.after_clock_jump(self.deferral, now, seconds)
        if self.resumed_at is not None:
            self.resumed_at = min(self.resumed_at + timedelta(seconds=seconds), now)

    def suspended(self, gap_seconds: float, natural_break: bool) -> None:
        self.deferral = policy.after_suspend(self.deferral, gap_seconds, natural_break)

    def end(self) -> None:
        """The break was answered or dropped: forget the deferral and close the signals."""
        self.deferral = None
        self.resumed_at = None
        if self._reader is not None:
            self._reader.release()
