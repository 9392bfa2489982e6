"""Where the next break prompt stands, as named phases with one transition function.

The coordinator used to keep this as loose nullable fields (a due time, a shown time, a
"warned for" time and an in-break flag) whose combinations meant the phases below. Naming them
makes the legal combinations the only ones there are:

* ``PLANNED``: nothing is due yet; an alarm waits for the next prompt (or nothing is planned);
* ``WARNED``: as PLANNED, but the heads-up for the coming prompt has been given;
* ``DUE``: the prompt's time has come and it waits for a lull in typing, or for a call to end
  (the call itself is ``core.deferral``'s business, kept by the deferral watch);
* ``SHOWN``: the prompt is on screen;
* ``IN_BREAK``: a session runs; nothing interrupts it.

``ScheduleState`` (anchors, snooze, pause) is the part that survives a restart; this value is
the part that does not. The function is pure: the caller passes the time in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

__all__ = [
    "BreakEnded",
    "BreakStarted",
    "ClockJumped",
    "Event",
    "FellDue",
    "Hidden",
    "Phase",
    "Reminder",
    "Settled",
    "Shown",
    "Warned",
    "advance",
]


class Phase(Enum):
    PLANNED = "planned"
    WARNED = "warned"
    DUE = "due"
    SHOWN = "shown"
    IN_BREAK = "in_break"


@dataclass(frozen=True, slots=True)
class Reminder:
    """The prompt's phase with the instants that phase needs.

    ``due`` is set in DUE and SHOWN, ``shown_at`` only in SHOWN. ``warned_for`` remembers the
    due time the last heads-up was given for, across phases, so a re-plan that lands on the
    same due time (a short pause, a resume) does not warn twice.
    """

    phase: Phase = Phase.PLANNED
    due: datetime | None = None
    shown_at: datetime | None = None
    warned_for: datetime | None = None


@dataclass(frozen=True, slots=True)
class Warned:
    """The heads-up for the prompt due at ``due`` was given."""

    due: datetime


@dataclass(frozen=True, slots=True)
class FellDue:
    """The prompt planned for ``due`` is due now and waits for a calm moment."""

    due: datetime


@dataclass(frozen=True, slots=True)
class Shown:
    """The waiting prompt went on screen."""


@dataclass(frozen=True, slots=True)
class Hidden:
    """A call started while the prompt was on screen: it is hidden and waits again."""


@dataclass(frozen=True, slots=True)
class Settled:
    """The prompt was answered, missed or withdrawn; the next one is planned."""


@dataclass(frozen=True, slots=True)
class BreakStarted:
    """A session began, from the prompt or by hand."""


@dataclass(frozen=True, slots=True)
class BreakEnded:
    """The session ended, completed or not."""


@dataclass(frozen=True, slots=True)
class ClockJumped:
    """The wall clock stepped by ``seconds`` (negative: set back)."""

    seconds: float


Event = Warned | FellDue | Shown | Hidden | Settled | BreakStarted | BreakEnded | ClockJumped

_WAITING = (Phase.PLANNED, Phase.WARNED)


def advance(reminder: Reminder, event: Event, now: datetime) -> Reminder:
    """The reminder after ``event`` at ``now``.

    Total: an event that does not apply in the current phase leaves the phase as it is, so a
    late or repeated signal can never produce a combination that means nothing.
    """
    phase = reminder.phase
    match event:
        case Warned(due=due):
            # A heads-up during a break is still remembered, so it is not repeated after it.
            new_phase = Phase.WARNED if phase in _WAITING else phase
            return replace(reminder, phase=new_phase, warned_for=due)
        case FellDue(due=due) if phase in _WAITING:
            return replace(reminder, phase=Phase.DUE, due=due, shown_at=None)
        case Shown() if phase is Phase.DUE:
            return replace(reminder, phase=Phase.SHOWN, shown_at=now)
        case Hidden() if phase is Phase.SHOWN:
            return replace(reminder, phase=Phase.DUE, shown_at=None)
        case Settled():
            new_phase = Phase.IN_BREAK if phase is Phase.IN_BREAK else Phase.PLANNED
            return replace(reminder, phase=new_phase, due=None, shown_at=None)
        case BreakStarted():
            return replace(reminder, phase=Phase.IN_BREAK, due=None, shown_at=None)
        case BreakEnded() if phase is Phase.IN_BREAK:
            return replace(reminder, phase=Phase.PLANNED)
        case ClockJumped(seconds=seconds):
            return _moved(reminder, timedelta(seconds=seconds), now)
    return reminder


def _moved(reminder: Reminder, step: timedelta, now: datetime) -> Reminder:
    """A waiting or shown prompt moves with the wall clock, but never into the future, so a
    shown prompt still stays its full time and a due one stays due."""
    return replace(
        reminder,
        due=None if reminder.due is None else min(reminder.due + step, now),
        shown_at=None if reminder.shown_at is None else min(reminder.shown_at + step, now),
        warned_for=None if reminder.warned_for is None else reminder.warned_for + step,
    )
