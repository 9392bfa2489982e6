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
from types import MappingProxyType

from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings_schema import (
    FIELDS,
    KNOWN_KEYS,
    SECTIONS,
    Kind,
    VoiceMode,
    WholeNumberRange,
    check,
    field_at,
    range_of,
)
from stretchbreak.core.working_hours import (
    WEEKDAYS,
    TimeRange,
    WorkingHours,
    format_clock_time,
    require_clock_time,
)

# VoiceMode, WholeNumberRange and KNOWN_KEYS live in settings_schema; they are this API too.

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
    "ReminderSettings",
    "Settings",
    "SystemSettings",
    "TimeRange",
    "VoiceMode",
    "WholeNumberRange",
    "WorkingHours",
    "settings_to_mapping",
]


#: Minutes between breaks, and the other whole-number ranges, as the schema states them.
INTERVAL_MINUTES = range_of("reminders.interval_minutes")
HEADS_UP_SECONDS = range_of("reminders.heads_up_seconds")
LULL_SECONDS = range_of("reminders.lull_seconds")
REST_SECONDS = range_of("break.rest_seconds")
AWAY_MINUTES = range_of("away.minutes")
DEFER_GRACE_MINUTES = range_of("defer.grace_minutes")
DEFER_MAX_HOURS = range_of("defer.max_hours")


def _whole(key: str) -> int:
    default = field_at(key).default
    assert isinstance(default, int)
    return default


def _flag(key: str) -> bool:
    default = field_at(key).default
    assert isinstance(default, bool)
    return default


def _text(key: str) -> str:
    default = field_at(key).default
    assert isinstance(default, str)
    return default


@dataclass(frozen=True)
class ReminderSettings:
    """When to prompt: every ``interval_minutes`` inside working hours, and at fixed times."""

    interval_minutes: int = _whole("reminders.interval_minutes")
    #: Local times of day, kept sorted and without repeats whatever order they were given in.
    fixed_times: tuple[time, ...] = ()
    heads_up_seconds: int = _whole("reminders.heads_up_seconds")
    lull_seconds: int = _whole("reminders.lull_seconds")
    #: A ``WorkingHours`` at run time; any mapping with all seven day keys is converted.
    working_hours: Mapping[str, tuple[TimeRange, ...]] = field(default_factory=WorkingHours)

    def __post_init__(self) -> None:
        check("reminders", self)
        for moment in self.fixed_times:
            require_clock_time(moment)
        object.__setattr__(self, "fixed_times", tuple(sorted(set(self.fixed_times))))
        if not isinstance(self.working_hours, WorkingHours):
            object.__setattr__(self, "working_hours", WorkingHours.from_mapping(self.working_hours))


_TEMPO = TempoMode(_text("break.tempo"))
_VOICE = VoiceMode(_text("break.voice"))


@dataclass(frozen=True)
class BreakSettings:
    """How a break runs; ``goal`` is one of the exercise goals in ``GOAL_IDS``."""

    goal: str = _text("break.goal")
    tempo: TempoMode = _TEMPO
    rest_seconds: int = _whole("break.rest_seconds")
    sound: bool = _flag("break.sound")
    #: Spoken cues, tones or silence; ``sound = false`` still silences everything.
    voice: VoiceMode = _VOICE
    #: Still key poses instead of a moving figure; Qt exposes no desktop preference for it.
    reduced_motion: bool = _flag("break.reduced_motion")

    @property
    def cues(self) -> VoiceMode:
        """What actually plays: ``voice``, unless the older ``sound`` switch is off."""
        return self.voice if self.sound else VoiceMode.SILENT

    def __post_init__(self) -> None:
        object.__setattr__(self, "voice", VoiceMode(self.voice))
        object.__setattr__(self, "tempo", TempoMode(self.tempo))
        check("break", self)


@dataclass(frozen=True)
class Away:
    """Idle time that counts as a natural break, so nobody is prompted after lunch."""

    enabled: bool = _flag("away.enabled")
    minutes: int = _whole("away.minutes")

    def __post_init__(self) -> None:
        check("away", self)


@dataclass(frozen=True)
class DeferSettings:
    """The ``[defer]`` table: which signals mean "in a call or presenting" (a due break then
    waits, see ``core.deferral``), the grace after the last one ends, and the limit."""

    microphone: bool = _flag("defer.microphone")
    camera: bool = _flag("defer.camera")
    fullscreen: bool = _flag("defer.fullscreen")
    do_not_disturb: bool = _flag("defer.do_not_disturb")
    grace_minutes: int = _whole("defer.grace_minutes")
    max_hours: int = _whole("defer.max_hours")

    def __post_init__(self) -> None:
        check("defer", self)


@dataclass(frozen=True)
class SystemSettings:
    notifications: bool = _flag("system.notifications")
    start_at_login: bool = _flag("system.start_at_login")

    def __post_init__(self) -> None:
        check("system", self)


@dataclass(frozen=True)
class Settings:
    """Everything the user can set. ``unknown`` holds keys this version does not know, nested
    as in the file (``{"reminders": {"colour": "red"}}``), so saving never drops them."""

    reminders: ReminderSettings = field(default_factory=ReminderSettings)
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
    data: dict[str, object] = {}
    for field_ in FIELDS:
        table, *inner = field_.path[:-1]
        value: object = getattr(settings, SECTIONS[table])
        level = data.setdefault(table, {})
        for part in inner:
            assert isinstance(level, dict)
            value, level = _part(value, part), level.setdefault(part, {})
        assert isinstance(level, dict)
        level[field_.name] = _file_value(field_.kind, _part(value, field_.name))
    _merge(data, settings.unknown)
    return data


def _part(value: object, name: str) -> object:
    """An attribute of a section, or a day of its working hours."""
    return value[name] if isinstance(value, Mapping) else getattr(value, name)


def _file_value(kind: Kind, value: object) -> object:
    """A frozen value as TOML writes it: enums as their strings, times as "HH:MM"."""
    if kind == "times":
        assert isinstance(value, tuple)
        return [format_clock_time(moment) for moment in value]
    if kind == "time ranges":
        assert isinstance(value, tuple)
        return [str(part) for part in value]
    if kind == "choice":
        return str(value)
    return value


def _merge(target: dict[str, object], extra: Mapping[str, object]) -> None:
    """Fresh dicts all the way down the known tables, so the caller may change the result."""
    for key, value in extra.items():
        inner = target.get(key)
        if isinstance(inner, dict) and isinstance(value, Mapping):
            _merge(inner, value)
        else:
            target[key] = value
