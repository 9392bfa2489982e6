"""The tray's one-line status: when the next break is, or why there is none.

Presentation, so it lives in ``ui`` and every word goes through ``tr()``; the coordinator
only says *what* the status is (``core.schedule.Status``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from stretchbreak.core.schedule import Activity, Status
from stretchbreak.ui.text import tr


def tray_line(status: Status, now: datetime, tz: tzinfo) -> str:
    """E.g. "Next break at 14:50 (in 23 min)" or "Paused until 15:30"."""
    if status.state is Activity.PAUSED and status.paused_until is not None:
        return tr("Paused until {time}").format(time=_clock_text(status.paused_until, now, tz))
    if status.next_prompt_at is None:
        return tr("No break planned in the next two weeks")
    at = _clock_text(status.next_prompt_at, now, tz)
    minutes = max(0, round((status.next_prompt_at - now).total_seconds() / 60))
    if status.state is Activity.OUTSIDE_HOURS:
        return tr("Outside working hours · next break {time}").format(time=at)
    return tr("Next break at {time} (in {minutes} min)").format(time=at, minutes=minutes)


def _clock_text(moment: datetime, now: datetime, tz: tzinfo) -> str:
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%a %H:%M")
