"""Reads a settings mapping that may hold anything, keeping every good value and saying why.

A hand-edited file must never stop the app: a bad value falls back to that key's default, an
unknown key is kept for the next save, and each gets a ``SettingProblem`` whose message names
the key, the value and what is allowed. The format is documented in ``docs/settings.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar, cast

from stretchbreak.core.settings import Settings
from stretchbreak.core.settings_rules import (
    ItemRule,
    Rejected,
    Rule,
    boolean,
    choice,
    describe,
    show,
    show_path,
    whole_number,
)
from stretchbreak.core.settings_schema import (
    KNOWN_KEYS,
    SECTIONS,
    Field,
    WholeNumberRange,
    default_mapping,
    field_at,
)
from stretchbreak.core.working_hours import TimeRange, first_overlap, parse_clock_time

__all__ = ["ParsedSettings", "SettingProblem", "parse_settings"]

_T = TypeVar("_T")
_Path = tuple[str, ...]
_Ranges = tuple[TimeRange, ...]
_MISSING = object()

_ITEMS: dict[str, ItemRule[object]] = {
    "times": ItemRule(
        "times", '"HH:MM" in 24-hour time (00:00 to 23:59)', "is not a valid time",
        parse_clock_time,
    ),
    "time ranges": ItemRule(
        "time ranges",
        '"HH:MM-HH:MM" in 24-hour time with the start before the end',
        "is not a valid time range",
        TimeRange.parse,
    ),
}  # fmt: skip


def _rule(field: Field) -> Rule[object]:
    """The check of a single-value field, from its row in the schema."""
    if isinstance(field.allowed, WholeNumberRange):
        return whole_number(field.allowed)  # type: ignore[return-value]
    if isinstance(field.allowed, tuple):
        return choice(field.allowed)  # type: ignore[return-value]
    return boolean  # type: ignore[return-value]


#: Defaults in the file's shape: messages quote them as the user would write them.
_DEFAULTS: Mapping[str, object] = default_mapping()


@dataclass(frozen=True)
class SettingProblem:
    """One thing wrong in the file. ``key`` is the dotted path, for display and for pointing at a
    field (``reminders.working_hours.mon[1]``); ``message`` is a whole sentence for people."""

    key: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ParsedSettings:
    """Settings that are always usable, plus what the user should be told about their file."""

    settings: Settings
    problems: tuple[SettingProblem, ...]


def _tables(path: _Path, keys: Mapping[str, object]) -> dict[_Path, Mapping[str, object]]:
    found: dict[_Path, Mapping[str, object]] = {path: keys}
    for key, inner in keys.items():
        if isinstance(inner, Mapping):
            found.update(_tables((*path, key), inner))
    return found


#: Every known table by path, () being the top level.
_TABLES = _tables((), KNOWN_KEYS)


def _default(path: _Path) -> object:
    value: object = _DEFAULTS
    for part in path:
        assert isinstance(value, Mapping)
        value = value[part]
    return value


def _hint(key: object, path: _Path) -> str:
    """The two usual slips: a key under the wrong ``[table]`` header, and a misspelt key."""
    if not isinstance(key, str):
        return ""
    for table, keys in _TABLES.items():
        if key in keys and table != path:
            return (
                f" here (it belongs in [{'.'.join(table)}])"
                if table
                else " here (it is a top-level table)"
            )
    close = difflib.get_close_matches(key[:40], list(_TABLES[path]), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


class _Reader:
    """Collects problems and unknown keys while the tables are read one by one."""

    def __init__(self) -> None:
        self.problems: list[SettingProblem] = []
        self.unknown: dict[str, object] = {}

    def report(self, key: str, message: str) -> None:
        self.problems.append(SettingProblem(key, message))

    def table(self, parent: Mapping[str, object], path: _Path) -> Mapping[str, object]:
        """A missing table is all defaults; a value in its place is reported and ignored."""
        value = parent.get(path[-1], _MISSING)
        if value is _MISSING:
            return {}
        if isinstance(value, Mapping):
            self.keep_unknown(value, path)
            return value
        key = show_path(path)
        self.report(
            key,
            f"{key} = {show(value)} is {describe(value)}; it must be a table of settings, "
            "so all of its settings use their defaults",
        )
        return {}

    def value(self, table: Mapping[str, object], path: _Path, rule: Rule[_T]) -> _T:
        default = _default(path)
        raw = table.get(path[-1], _MISSING)
        if raw is not _MISSING:
            try:
                return rule.convert(raw)
            except Rejected as rejected:
                key = show_path(path)
                self.report(
                    key,
                    f"{key} = {show(raw)} {rejected}; it must be {rule.allowed}, "
                    f"so the default {show(default)} is used",
                )
        return rule.convert(default)  # the typed default: defaults always pass their rule

    def items(
        self, table: Mapping[str, object], path: _Path, rule: ItemRule[_T]
    ) -> tuple[_T, ...] | None:
        """A list is one setting: any bad item sends the whole list back to its default (None)."""
        raw = table.get(path[-1], _MISSING)
        if raw is _MISSING:
            return None
        key = show_path(path)
        fallback = f"so {path[-1]} uses the default {show(_default(path))}"
        if not isinstance(raw, list | tuple):
            self.report(
                key,
                f"{key} = {show(raw)} is {describe(raw)}; it must be an array of "
                f"{rule.plural}, each {rule.allowed}, {fallback}",
            )
            return None
        good: list[_T] = []
        for index, item in enumerate(raw):
            try:
                good.append(rule.convert(item))
            except Rejected as rejected:
                self.report(
                    f"{key}[{index}]",
                    f"{key}[{index}] = {show(item)} {rejected}; each must be {rule.allowed}, "
                    f"{fallback}",
                )
        return tuple(good) if len(good) == len(raw) else None

    def keep_unknown(self, table: Mapping[str, object], path: _Path) -> None:
        """Unknown keys go verbatim into ``unknown`` at their place, so a save writes them back."""
        known = _TABLES[path]
        for key, value in table.items():
            if key in known:
                continue
            target = self.unknown
            for part in path:
                inner = target.setdefault(part, {})
                assert isinstance(inner, dict)
                target = inner
            target[key] = value
            where = show_path((*path, key))
            self.report(
                where,
                f"{where} is not a known setting{_hint(key, path)}; it has no effect and is "
                "kept in the file as it is",
            )


def _ranges(reader: _Reader, path: _Path, ranges: _Ranges) -> bool:
    """The ranges of one day must not overlap; an overlap is reported and sends the day back
    to its default."""
    overlap = first_overlap(ranges)
    if overlap is None:
        return True
    first, second = overlap
    key, day = show_path(path), path[-1]
    reader.report(
        f"{key}[{second}]",
        f'{key}[{second}] = "{ranges[second]}" overlaps {day}[{first}] = "{ranges[first]}"; '
        f"the ranges of one day must not overlap, so {day} uses the default "
        f"{show(_default(path))}",
    )
    return False


def _read(reader: _Reader, parent: Mapping[str, object], path: _Path) -> dict[str, object]:
    """The values of one known table, key by key in the schema's order, each one good or its
    default; an inner table (working hours) comes back as a dict of its own."""
    table = reader.table(parent, path)
    values: dict[str, object] = {}
    for name, inner in _TABLES[path].items():
        if inner is not None:
            values[name] = _read(reader, table, (*path, name))
            continue
        field = field_at(".".join((*path, name)))
        items = _ITEMS.get(field.kind)
        if items is None:
            values[name] = reader.value(table, field.path, _rule(field))
            continue
        got = reader.items(table, field.path, items)
        if got is None or (
            field.kind == "time ranges" and not _ranges(reader, field.path, cast(_Ranges, got))
        ):
            assert isinstance(field.default, list)
            got = tuple(items.convert(item) for item in field.default)
        values[name] = got
    return values


def parse_settings(data: Mapping[str, object]) -> ParsedSettings:
    """Never raises: whatever ``data`` holds, the result is usable settings and the problems,
    in the order of the documented format, unknown top-level keys first."""
    reader = _Reader()
    reader.keep_unknown(data, ())
    defaults = Settings()
    sections = {
        attribute: type(getattr(defaults, attribute))(**_read(reader, data, (table,)))
        for table, attribute in SECTIONS.items()
    }
    settings = Settings(**sections, unknown=reader.unknown)
    return ParsedSettings(settings, tuple(reader.problems))
