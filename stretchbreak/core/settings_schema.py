"""Every setting of ``settings.toml`` in one table: key, kind, default, what is allowed, a line.

The rest is derived from ``FIELDS``: the known keys, the defaults of the frozen ``Settings``,
their checks, reading a file (``settings_parse``), writing one (``settings_to_mapping``), the
dialog's spin box ranges and choices, and a test holds ``docs/settings.md`` to it. A new
setting is one row here plus the code that uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from stretchbreak.core.exercise import GOAL_IDS
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.working_hours import WEEKDAYS, WorkingHours

__all__ = [
    "FIELDS", "KNOWN_KEYS", "SECTIONS", "Field", "Kind", "VoiceMode", "WholeNumberRange",
    "check", "choices_of", "default_mapping", "field_at", "range_of",
]  # fmt: skip

#: ``boolean``, ``whole`` (a ``WholeNumberRange``), ``choice`` (a tuple of strings), and two
#: arrays of strings: ``times`` ("HH:MM") and ``time ranges`` ("HH:MM-HH:MM").
Kind = Literal["boolean", "whole", "choice", "times", "time ranges"]


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
class Field:
    """One setting. ``key`` is the dotted path in the file; ``default`` is in the file's form
    (a string for a choice, a list of strings for an array); ``allowed`` is the range of a
    whole number or the choices of a string, ``None`` for the other kinds."""

    key: str
    kind: Kind
    default: object
    allowed: WholeNumberRange | tuple[str, ...] | None = None
    doc: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def name(self) -> str:
        return self.path[-1]


def _day(day: str) -> Field:
    return Field(
        f"reminders.working_hours.{day}",
        "time ranges",
        [str(part) for part in WorkingHours()[day]],
        doc=f"Working hours on {day}; [] is a day off.",
    )


def _sign(key: str, doc: str) -> Field:
    return Field(f"defer.{key}", "boolean", True, doc=doc)


#: In the order of the documented file, which is also the order problems are reported in.
FIELDS: tuple[Field, ...] = (
    Field("reminders.interval_minutes", "whole", 50, WholeNumberRange(5, 240),
          "Minutes of work between two breaks: under 5 nags, over 4 hours is no reminder."),
    Field("reminders.fixed_times", "times", [], doc="Also remind at these times of day."),
    Field("reminders.heads_up_seconds", "whole", 60, WholeNumberRange(0, 600),
          "Warning before a prompt (0 = none); at most 10 minutes, so it still feels related."),
    Field("reminders.lull_seconds", "whole", 3, WholeNumberRange(0, 60),
          "How long typing must pause before a due prompt appears (0 = at once)."),
    *(_day(day) for day in WEEKDAYS),
    Field("break.goal", "choice", "desk-reset", GOAL_IDS, "The exercise goal a break uses."),
    Field("break.tempo", "choice", TempoMode.GUIDED.value, tuple(mode.value for mode in TempoMode),
          "Guided reps flow on their own; self-paced ones wait for a key."),
    Field("break.rest_seconds", "whole", 30, WholeNumberRange(0, 300),
          "Rest between sets (0 = straight on); at most 5 minutes."),
    Field("break.sound", "boolean", True, doc="Sound during a break at all."),
    Field("break.voice", "choice", VoiceMode.SPOKEN.value, tuple(mode.value for mode in VoiceMode),
          "Spoken cues, tones or silence; sound = false still silences everything."),
    Field("break.reduced_motion", "boolean", False,
          doc="Still key poses instead of a moving figure; Qt exposes no desktop preference."),
    Field("away.enabled", "boolean", True, doc="Idle time counts as a natural break."),
    Field("away.minutes", "whole", 5, WholeNumberRange(1, 120),
          "Idle minutes that count as being away from the desk."),
    Field("system.notifications", "boolean", True, doc="Allow desktop notifications."),
    Field("system.start_at_login", "boolean", False, doc="Start stretchbreak at login."),
    _sign("microphone", "Another program recording from the microphone holds a break back."),
    _sign("camera", "A program using the camera holds a break back."),
    _sign("fullscreen", "A window filling the screen holds a break back."),
    _sign("do_not_disturb", "The desktop's do-not-disturb holds a break back."),
    Field("defer.grace_minutes", "whole", 2, WholeNumberRange(0, 30),
          "Minutes after the last busy signal before a waiting break comes."),
    Field("defer.max_hours", "whole", 2, WholeNumberRange(1, 12),
          "Hours a break waits for a call before it gives up with one quiet notification."),
)  # fmt: skip

#: Each top-level table and the ``Settings`` attribute holding it.
SECTIONS: Mapping[str, str] = MappingProxyType(
    {"reminders": "reminders", "break": "breaks", "away": "away", "system": "system",
     "defer": "defer"}
)  # fmt: skip

_BY_KEY: Mapping[str, Field] = MappingProxyType({field.key: field for field in FIELDS})


def _known_keys() -> Mapping[str, object]:
    tree: dict[str, object] = {}
    for field in FIELDS:
        level = tree
        for part in field.path[:-1]:
            inner = level.setdefault(part, {})
            assert isinstance(inner, dict)
            level = inner
        level[field.name] = None
    return _read_only(tree)


def _read_only(tree: dict[str, object]) -> Mapping[str, object]:
    return MappingProxyType(
        {
            key: _read_only(value) if isinstance(value, dict) else value
            for key, value in tree.items()
        }
    )


#: Every key of the file by table: a nested mapping is a table, ``None`` a setting. Unknown
#: keys are the ones not in here; they may hang below any known table.
KNOWN_KEYS: Mapping[str, Mapping[str, object]] = _known_keys()  # type: ignore[assignment]


def field_at(key: str) -> Field:
    """The row of a dotted key; a ``KeyError`` means a typo in the code, never in a file."""
    return _BY_KEY[key]


def range_of(key: str) -> WholeNumberRange:
    allowed = field_at(key).allowed
    assert isinstance(allowed, WholeNumberRange), key
    return allowed


def choices_of(key: str) -> tuple[str, ...]:
    allowed = field_at(key).allowed
    assert isinstance(allowed, tuple), key
    return tuple(str(choice) for choice in allowed)


def default_mapping() -> dict[str, object]:
    """Every default in the file's shape, fresh lists and tables the caller may change."""
    data: dict[str, object] = {}
    for field in FIELDS:
        level = data
        for part in field.path[:-1]:
            inner = level.setdefault(part, {})
            assert isinstance(inner, dict)
            level = inner
        default = field.default
        level[field.name] = list(default) if isinstance(default, list) else default
    return data


def check(table: str, section: object) -> None:
    """Raise ``ValueError`` for an attribute of ``section`` (the frozen value of ``[table]``)
    that the file would not accept: code cannot build settings the app would refuse to read."""
    for field in FIELDS:
        if field.path[:-1] != (table,):
            continue
        value = getattr(section, field.name)
        if field.kind == "boolean" and not isinstance(value, bool):
            raise ValueError(f"{field.name} must be True or False, not {value!r}")
        if isinstance(field.allowed, WholeNumberRange) and not field.allowed.allows(value):
            raise ValueError(f"{field.name} must be {field.allowed}, not {value!r}")
        if field.kind == "choice" and value not in choices_of(field.key):
            choices = ", ".join(choices_of(field.key))
            raise ValueError(f"{field.name} must be one of {choices}, not {value!r}")
