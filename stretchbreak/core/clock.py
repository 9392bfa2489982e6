"""Time as an injected value, so every deadline can be tested without waiting."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Two readings: wall time for records people read, monotonic time for deadlines.

    Deadlines use ``monotonic()`` because wall time can jump (manual changes, DST, NTP);
    records use ``now()`` because people read them on a calendar.
    """

    def now(self) -> datetime:
        """Aware UTC wall-clock time."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


class SystemClock:
    """The real clock; the only place core time comes from the operating system."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()
