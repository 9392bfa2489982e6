"""A clock that keeps counting while the machine is suspended (Linux's CLOCK_BOOTTIME).

Monotonic time stands still during a suspend; the difference between the two is the time
asleep, which is how the wake watch tells a suspend from a late heartbeat.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

__all__ = ["BootTime", "system_boottime"]

#: Seconds on a clock that keeps counting while the machine is suspended.
BootTime = Callable[[], float]


def system_boottime() -> BootTime | None:
    """CLOCK_BOOTTIME where the OS offers it (Linux), else ``None``."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    if clock_id is None:
        return None
    try:
        time.clock_gettime(clock_id)
    except OSError:  # pragma: no cover - a kernel without it (older than 2.6.39)
        return None
    return functools.partial(time.clock_gettime, clock_id)
