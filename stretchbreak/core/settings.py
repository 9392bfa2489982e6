"""The user's settings as frozen values that are valid by construction, and their TOML shape.

The file format is a documented user interface (``docs/settings.md``); reading a file that
may hold anything is ``settings_parse``. Here a value that the file would not accept raises
``ValueError``, so code that builds settings (the dialog, tests) cannot make one the app
would refuse to read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from types import MappingProxyType

from stretchbreak.core.exercise import GOAL_IDS
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.working_hours import (
    WEEKDAYS,
    TimeRange,
    WorkingHours,
    format_clock_time,
    require_clock_time,
)

# TimeRange, WorkingHours and WEEKDAYS live in working_hours; they are part of this API too.
__all__ = [
    "AWAY_MINUTES",
    "DEFER_GRACE_MINUTES",
    "DEFER_MAX_HOURS",
    "HEADS_UP_SECONDS",
    "INTERVAL_MINUTES",
    "KNOWN_KEYS",
    "LULL_SECONDS",
    "REST_SECONDS",
    "WEEKDAYS",
    "Away",
    "BreakSettings",
    "DeferSettings",
    "Reminders",
    "Settings",
    "SystemSettings",
    "TimeRange",
    "VoiceMode",
    "WholeNumberRange",
    "WorkingHours",
    "settings_to_mapping",
]


@dataclass(frozen=True)
class WholeNumberRange:
    """Both ends included; ``True`` is not 1, because in the file a boolean is a typo."""

    low: int
    high: int

    def allows(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )

    def __str__(self) -> str:
        return f"a whole number from {self.low} to {self.high}"


#: Minutes between breaks: under 5 is nagging, over 4 hours is no reminder at all.
INTERVAL_MINUTES = WholeNumberRange(5, 240)
#: Warning before a prompt (0 = none); at most 10 minutes, so it still feels related.
HEADS_UP_SECONDS = WholeNumberRange(0, 600)
#: How long typing must pause before a due prompt appears (0 = at once).
LULL_SECONDS = WholeNumberRange(0, 60)
#: Rest between sets (0 = straight on); at most 5 minutes.
REST_SECONDS = WholeNumberRange(0, 300)
#: Idle minutes that count as being away from the desk.
AWAY_MINUTES = WholeNumberRange(1, 120)
#: Minutes after the last busy signal (a call, a presentation) before a waiting break comes.
DEFER_GRACE_MINUTES = WholeNumberRange(0, 30)
#: Hours a break waits for a call before it gives up with one quiet notification.
DEFER_MAX_HOURS = WholeNumberRange(1, 12)


def _require(name: str, value: object, allowed: WholeNumberRange) -> None:
    if not allowed.allows(value):
        raise ValueError(f"{name} must be {allowed}, not {value!r}")


def _require_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, not {value!r}")


@dataclass(frozen=True)
class Reminders:
    """When to prompt: every ``interval_minutes`` inside working hours, and at fixed times."""

    interval_minutes: int = 50
    #: Local times of day, kept sorted and without repeats whatever order they were given in.
    fixed_times: tuple[time, ...] = ()
    heads_up_seconds: int = 60
    lull_seconds: int = 3
    #: A ``WorkingHours`` at run time; any mapping with all seven day keys is converted.
    working_hours: Mapping[str, tuple[TimeRange, ...]] = field(default_factory=WorkingHours)

    def __post_init__(self) -> None:
        _require("interval_minutes", self.interval_minutes, INTERVAL_MINUTES)
        _require("heads_up_seconds", self.heads_up_seconds, HEADS_UP_SECONDS)
        _require("lull_seconds", self.lull_seconds, LULL_SECONDS)
        for moment in self.fixed_times:
            require_clock_time(moment)
        object.__setattr__(self, "fixed_times", tuple(sorted(set(self.fixed_times))))
        if not isinstance(self.working_hours, WorkingHours):
            object.__setattr__(self, "working_hours", WorkingHours.from_mapping(self.working_hours))


class VoiceMode(StrEnum):
    """What the guided window says during a break: spoken cues, soft tones, or nothing."""

    SPOKEN = "spoken"
    TONES = "tones"
    SILENT = "silent"

    def next(self) -> VoiceMode:
        """The sound button's cycle: spoken → tones → silent → spoken."""
        order = list(VoiceMode)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True)
class BreakSettings:
    """How a break runs; ``goal`` is one of the exercise goals in ``GOAL_IDS``."""

    goal: str = "desk-reset"
    tempo: TempoMode = TempoMode.GUIDED
    rest_seconds: int = 30
    sound: bool = True
    #: Spoken cues, tones or silence; ``sound = false`` still silences everything.
    voice: VoiceMode = VoiceMode.SPOKEN
    #: Still key poses instead of a moving figure; Qt exposes no desktop preference for it.
    reduced_motion: bool = False

    @property
    def cues(self) -> VoiceMode:
        """What actually plays: ``voice``, unless the older ``sound`` switch is off."""
        return self.voice if self.sound else VoiceMode.SILENT

    def __post_init__(self) -> None:
        object.__setattr__(self, "voice", VoiceMode(self.voice))
        if self.goal not in GOAL_IDS:
            raise ValueError(f"goal must be one of {', '.join(GOAL_IDS)}, not {self.goal!r}")
        object.__setattr__(self, "tempo", TempoMode(self.tempo))
        _require("rest_seconds", self.rest_seconds, REST_SECONDS)
        _require_bool("sound", self.sound)
        _require_bool("reduced_motion", self.reduced_motion)


@dataclass(frozen=True)
class Away:
    """Idle time that counts as a natural break, so nobody is prompted after lunch."""

    enabled: bool = True
    minutes: int = 5

    def __post_init__(self) -> None:
        _require_bool("enabled", self.enabled)
        _require("minutes", self.minutes, AWAY_MINUTES)


@dataclass(frozen=True)
class DeferSettings:
    """The ``[defer]`` table: which signals mean "in a call or presenting" (a due break then
    waits, see ``core.deferral``), the grace after the last one ends, and the limit."""

    microphone: bool = True
    camera: bool = True
    fullscreen: bool = True
    do_not_disturb: bool = True
    grace_minutes: int = 2
    max_hours: int = 2

    def __post_init__(self) -> None:
        for name in ("microphone", "camera", "fullscreen", "do_not_disturb"):
            _require_bool(name, getattr(self, name))
        _require("grace_minutes", self.grace_minutes, DEFER_GRACE_MINUTES)
        _require("max_hours", self.max_hours, DEFER_MAX_HOURS)


@dataclass(frozen=True)
class SystemSettings:
    notifications: bool = True
    start_at_login: bool = False

    def __post_init__(self) -> None:
        _require_bool("notifications", self.notifications)
        _require_bool("start_at_login", self.start_at_login)


_DEFER_KEYS = (
    "microphone",
    "camera",
    "fullscreen",
    "do_not_disturb",
    "grace_minutes",
    "max_hours",
)

#: Every key of the file by table: a nested mapping is a table, ``None`` a setting. Unknown
#: keys are the ones not in here; they may hang below any known table.
KNOWN_KEYS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "reminders": MappingProxyType(
            {
                "interval_minutes": None,
                "fixed_times": None,
                "heads_up_seconds": None,
                "lull_seconds": None,
                "working_hours": MappingProxyType(dict.fromkeys(WEEKDAYS)),
            }
        ),
        "break": MappingProxyType(
            dict.fromkeys(("goal", "tempo", "rest_seconds", "sound", "voice", "reduced_motion"))
        ),
        "away": MappingProxyType(dict.fromkeys(("enabled", "minutes"))),
        "system": MappingProxyType(dict.fromkeys(("notifications", "start_at_login"))),
        "defer": MappingProxyType(dict.fromkeys(_DEFER_KEYS)),
    }
)


@dataclass(frozen=True)
class Settings:
    """Everything the user can set. ``unknown`` holds keys this version does not know, nested
    as in the file (``{"reminders": {"colour": "red"}}``), so saving never drops them."""

    reminders: Reminders = field(default_factory=Reminders)
    breaks: BreakSettings = field(default_factory=BreakSettings)
    away: Away = field(default_factory=Away)
    system: SystemSettings = field(default_factory=SystemSettings)
    defer: DeferSettings = field(default_factory=DeferSettings)
    #: Compared but not hashed: TOML values (arrays, tables) are not hashable.
    unknown: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unknown", _freeze(self.unknown, KNOWN_KEYS))

    @classmethod
    def defaults(cls) -> Settings:
        return cls()


def _freeze(extra: Mapping[str, object], known: Mapping[str, object]) -> Mapping[str, object]:
    """A read-only copy of the known-table levels (user values stay as they are); a key that
    would shadow a known setting is refused, so saving can never write two values for it."""
    frozen: dict[str, object] = {}
    for key, value in extra.items():
        if key not in known:
            frozen[key] = value
            continue
        table = known[key]
        if not (isinstance(table, Mapping) and isinstance(value, Mapping)):
            raise ValueError(f"unknown settings cannot replace the known setting {key!r}")
        inner = _freeze(value, table)
        if inner:
            frozen[key] = inner
    return MappingProxyType(frozen)


def settings_to_mapping(settings: Settings) -> dict[str, object]:
    """The file's shape (``docs/settings.md``) with unknown keys merged back at their place."""
    reminders, breaks = settings.reminders, settings.breaks
    data: dict[str, object] = {
        "reminders": {
            "interval_minutes": reminders.interval_minutes,
            "fixed_times": [format_clock_time(moment) for moment in reminders.fixed_times],
            "heads_up_seconds": reminders.heads_up_seconds,
            "lull_seconds": reminders.lull_seconds,
            "working_hours": {
                day: [str(part) for part in reminders.working_hours[day]] for day in WEEKDAYS
            },
        },
        "break": {
            "goal": breaks.goal,
            "tempo": breaks.tempo.value,
            "rest_seconds": breaks.rest_seconds,
            "sound": breaks.sound,
            "voice": breaks.voice.value,
            "reduced_motion": breaks.reduced_motion,
        },
        "away": {"enabled": settings.away.enabled, "minutes": settings.away.minutes},
        "system": {
            "notifications": settings.system.notifications,
            "start_at_login": settings.system.start_at_login,
        },
        "defer": {key: getattr(settings.defer, key) for key in _DEFER_KEYS},
    }
    _merge(data, settings.unknown)
    return data


def _merge(target: dict[str, object], extra: Mapping[str, object]) -> None:
    """Fresh dicts all the way down the known tables, so the caller may change the result."""
    for key, value in extra.items():
        inner = target.get(key)
        if isinstance(inner, dict) and isinstance(value, Mapping):
            _merge(inner, value)
        else:
            target[key] = value
