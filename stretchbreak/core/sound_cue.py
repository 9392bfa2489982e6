"""Which short sound, if any, a change of session phase deserves, and whether it is still news."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from stretchbreak.core.session_values import Phase, PhaseChanged

#: How old an event may be and still get its sound; a cue is only useful at its moment.
FRESH_SECONDS = 1.0


class SoundCue(StrEnum):
    """The value is the sound file's stem in ``resources/sounds/``."""

    HOLD_START = "hold-start"
    HOLD_END = "hold-end"
    REST_END = "rest-end"

    @property
    def file_name(self) -> str:
        return f"{self.value}.wav"


def cue_for(previous: Phase | None, event: PhaseChanged) -> SoundCue | None:
    """The cue a phase change calls for, so eyes can stay closed during the stretch.

    Only moments a person waits for get a sound: the hold beginning, the hold running out,
    and the rest running out. Leaving a hold any other way (cancel) is the user's own act and
    needs no signal; a repeated HOLD event is not a new hold.
    """
    phase = event.phase
    if phase is Phase.HOLD:
        return None if previous is Phase.HOLD else SoundCue.HOLD_START
    if previous is Phase.HOLD and phase is Phase.RETURN:
        return SoundCue.HOLD_END
    if previous is Phase.REST and phase is Phase.MOVE:
        return SoundCue.REST_END
    return None


def is_fresh(event_at: datetime, now: datetime, tolerance_s: float = FRESH_SECONDS) -> bool:
    """False for events replayed late, e.g. a catch-up burst after the machine woke up.

    A sound that marks a moment long past is noise, and several at once are worse. An event
    stamped in the future is treated as fresh: it was produced a moment ago, so a future
    stamp only means the wall clock was set back since.
    """
    if tolerance_s < 0:
        raise ValueError(f"tolerance must not be negative, not {tolerance_s}")
    return now - event_at <= timedelta(seconds=tolerance_s)
