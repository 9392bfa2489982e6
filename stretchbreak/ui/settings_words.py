"""Settings problems in people's words, and which page of the dialog holds each key.

The core names a problem by its place in the file (``reminders.working_hours.mon[0]``); the
dialog, the tray and notifications name the field as the dialog labels it ("Monday").
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from stretchbreak.core.settings_parse import SettingProblem
from stretchbreak.core.working_hours import TimeRange, first_overlap, parse_clock_time
from stretchbreak.ui.text import tr

DAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
    "sat": "Saturday", "sun": "Sunday",
}  # fmt: skip

#: The dialog's pages in order, each with the key prefixes it holds (longest match wins).
PAGES: tuple[tuple[str, ...], ...] = (
    ("reminders",),
    ("break",),
    ("away",),
    ("defer",),
    ("system.notifications",),
    ("system",),
)

#: Field labels as the dialog shows them, by key without an index.
LABELS = {
    "reminders.interval_minutes": "Remind every",
    "reminders.fixed_times": "Also remind at",
    "reminders.heads_up_seconds": "Heads-up before",
    "reminders.lull_seconds": "Wait for a typing pause of",
    "reminders.working_hours": "Working hours",
    "break.goal": "Default goal",
    "break.tempo": "Tempo",
    "break.rest_seconds": "Rest between sets",
    "break.sound": "Sound",
    "break.voice": "What you hear",
    "break.reduced_motion": "Figure",
    "away.enabled": "Away detection",
    "away.minutes": "Away for at least",
    "defer.microphone": "Another program records from the microphone",
    "defer.camera": "A program uses the camera",
    "defer.fullscreen": "A window fills the screen (presenting, a video)",
    "defer.do_not_disturb": "Do not disturb is on",
    "defer.grace_minutes": "Wait after the call",
    "defer.max_hours": "Give up waiting after",
    "system.notifications": "Notifications",
    "system.start_at_login": "Start at login",
} | {f"reminders.working_hours.{day}": name for day, name in DAY_NAMES.items()}

_INDEX = re.compile(r"\[(\d+)\]$")


def page_for(key: str) -> int:
    """The index of the dialog page holding ``key``; unknown keys open the first page."""
    best, best_length = 0, -1
    for index, prefixes in enumerate(PAGES):
        for prefix in prefixes:
            matches = key == prefix or key.startswith(f"{prefix}.") or key.startswith(f"{prefix}[")
            if matches and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    return best


def field_label(key: str) -> str | None:
    """ "Monday" for ``reminders.working_hours.mon[0]``; None for a key no field shows."""
    name = LABELS.get(_INDEX.sub("", key))
    return tr(name) if name is not None else None


def _quoted(text: str) -> str:
    return f"“{text}”"


def field_problem(key: str, items: Sequence[str]) -> str | None:
    """What is wrong with the dialog's list field for ``key``, from the field's own items.

    E.g. "Monday: “9-17” is not a time range like 09:00–17:00"; None if ``key`` is no list
    field or its item is fine after all."""
    match = _INDEX.search(key)
    name = field_label(key)
    if match is None or name is None:
        return None
    index = int(match[1])
    if index >= len(items):
        return None
    item = items[index]
    if key.startswith("reminders.fixed_times"):
        try:
            parse_clock_time(item)
        except ValueError:
            return tr("{field}: {item} is not a time like 10:30").format(
                field=name, item=_quoted(item)
            )
        return None
    try:
        TimeRange.parse(item)
    except ValueError:
        return tr("{field}: {item} is not a time range like 09:00-17:00").format(
            field=name, item=_quoted(item)
        )
    try:
        ranges = tuple(TimeRange.parse(text) for text in items)
    except ValueError:  # another item is wrong: its own key says so
        return None
    overlap = first_overlap(ranges)
    if overlap is None:
        return None
    first, second = overlap
    return tr("{field}: {second} overlaps {first}; the ranges of one day must not overlap").format(
        field=name, first=_quoted(items[first]), second=_quoted(items[second])
    )


def file_problem(problem: SettingProblem) -> str:
    """A problem found in ``settings.toml``, led by the field's name where a field shows it.

    A wrong time or time range reads as in the dialog, with what happens meanwhile; other
    problems keep the file's explanation after the field's name."""
    name = field_label(problem.key)
    prefix = f"{problem.key} = "
    if name is None or not problem.message.startswith(prefix):
        return problem.message
    rest = problem.message[len(prefix) :]
    item, index = _quoted_item(rest), _INDEX.search(problem.key)
    if item is not None and index is not None:
        said = field_problem(problem.key, [""] * int(index[1]) + [item])
        if said is not None:
            return tr("{problem}; the default is used until it is fixed").format(problem=said)
    return f"{name}: {rest}"


def _quoted_item(rest: str) -> str | None:
    """The string value a message quotes first (``"9-17" is not …`` → ``9-17``)."""
    if not rest.startswith('"'):
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(rest)
    except ValueError:
        return None
    return value if isinstance(value, str) else None
