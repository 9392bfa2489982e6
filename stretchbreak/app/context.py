"""What the parts of one run share, grouped so that no part of the root takes a long list.

``compose`` builds each value once: ``RunContext`` (the clock, the zone, the exercise, the
settings in force, the speed), ``Outside`` (what the run takes from the outside world; tests
hand in fakes) and ``Openers`` (the windows the tray, the prompt and a second launch open).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from stretchbreak.core.clock import Clock
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.settings import Settings
from stretchbreak.infra.busy import Makers, platform_makers
from stretchbreak.infra.idle import IdleBackend, detect_idle_backend
from stretchbreak.services.coordinator import Alarm
from stretchbreak.services.timers import TickerFactory, WakeTimerFactory, qt_ticker, qt_wake_timer


@dataclass(frozen=True)
class RunContext:
    """The time, the place and the content every part of one run reads."""

    clock: Clock
    zone: tzinfo
    exercise: Exercise
    #: The settings in force now: a getter, because the settings dialog's OK replaces them.
    settings: Callable[[], Settings]
    #: How much faster than real time the run goes (``--speed``, for trying the app out).
    speed: float = 1.0


@dataclass(frozen=True)
class Outside:
    """What one run takes from the outside world; each default is the real one."""

    #: None: the system clock.
    clock: Clock | None = None
    wake_timer: WakeTimerFactory = qt_wake_timer
    ticker: TickerFactory = qt_ticker
    #: False: the status window even where a tray exists (``--no-tray``).
    use_tray: bool = True
    #: The alarm clock; None: APScheduler, started after the face is up.
    alarm: Callable[[], Alarm] | None = None
    #: Away detection; None: none at all.
    detect_idle: Callable[[], IdleBackend | None] | None = detect_idle_backend
    #: The busy signals (in a call, presenting); None: none at all.
    busy_makers: Callable[[], Makers] | None = platform_makers


@dataclass(frozen=True)
class Openers:
    """The windows others ask for, each built on first use (``windows.py``)."""

    history: Callable[[], None]
    #: Settings at a key (``reminders.working_hours``), or (None) as it was left.
    settings: Callable[[str | None], None]
    #: The guided window at the default goal.
    guided: Callable[[], object]
