"""What each kind of setting accepts, and how a bad value is shown back in a message.

A message quotes the user's value, so the rendering must cope with anything a file or a
caller can hold: huge strings and numbers are cut, nesting is cut, nothing here raises.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Generic, TypeVar

from stretchbreak.core.settings_schema import WholeNumberRange

__all__ = [
    "ItemRule", "Rejected", "Rule", "boolean", "choice", "describe", "show", "show_path",
    "whole_number",
]  # fmt: skip

_T = TypeVar("_T")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}", re.ASCII)
#: Longest shown piece of a value: a message stays one readable line whatever the file holds.
_SHOWN_CHARS = 40
#: How many items of an array or table are shown, and how deep.
_SHOWN_ITEMS = 4
_SHOWN_DEPTH = 2
_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
    tuple: "an array", dict: "a table", datetime: "a date-time", date: "a date", time: "a time",
}  # fmt: skip


class Rejected(Exception):
    """A value that cannot be used; the reason reads on after "key = value" ("is a string")."""


@dataclass(frozen=True)
class Rule(Generic[_T]):
    """``allowed`` completes "it must be …"; ``convert`` raises Rejected or returns the value."""

    allowed: str
    convert: Callable[[object], _T]


@dataclass(frozen=True)
class ItemRule(Generic[_T]):
    """One item of a list setting: a string that ``read`` turns into a value or a ValueError.

    ``plural`` names the items ("times"), ``allowed`` completes "each must be …" and ``wrong``
    is the reason for a string that ``read`` refuses.
    """

    plural: str
    allowed: str
    wrong: str
    read: Callable[[str], _T]

    def convert(self, value: object) -> _T:
        if not isinstance(value, str):
            raise Rejected(f"is {describe(value)}")
        try:
            return self.read(value)
        except ValueError:
            raise Rejected(self.wrong) from None


def describe(value: object) -> str:
    """Names a value's TOML type, so a message reads like the file rather than like Python."""
    return _TYPE_NAMES.get(type(value), f"a {type(value).__name__} value")


def show(value: object, depth: int = 0) -> str:
    """A short TOML-like rendering of any value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 128 else _long_number(value)
    if isinstance(value, str):
        if len(value) <= _SHOWN_CHARS:
            return json.dumps(value, ensure_ascii=False)
        return json.dumps(value[:_SHOWN_CHARS], ensure_ascii=False)[:-1] + '…"'
    if isinstance(value, list | tuple):
        if depth >= _SHOWN_DEPTH:
            return "[…]"
        shown = [show(item, depth + 1) for item in value[:_SHOWN_ITEMS]]
        return "[" + ", ".join(shown + ["…"] * (len(value) > _SHOWN_ITEMS)) + "]"
    if isinstance(value, Mapping):
        if depth >= _SHOWN_DEPTH:
            return "{…}"
        pairs = [
            f"{_show_key(key)} = {show(item, depth + 1)}"
            for key, item in itertools.islice(value.items(), _SHOWN_ITEMS)
        ]
        return "{ " + ", ".join(pairs + ["…"] * (len(value) > _SHOWN_ITEMS)) + " }"
    if isinstance(value, float | date | time):
        return str(value)[:_SHOWN_CHARS]  # Python spells nan and inf as TOML does
    return f"<{type(value).__name__}>"


def _long_number(value: int) -> str:
    """``str()`` refuses ints over 4300 digits; the size is what the user needs anyway."""
    digits = int(value.bit_length() * 0.30103) + 1
    return f"{'-' if value < 0 else ''}(a number of about {digits} digits)"


def _show_key(key: object) -> str:
    if isinstance(key, str) and _BARE_KEY.fullmatch(key):
        return key
    return show(key)


def show_path(path: tuple[object, ...]) -> str:
    """The dotted key as the file spells it: ``reminders.interval_minutes``."""
    return ".".join(_show_key(part) for part in path)


def whole_number(allowed: WholeNumberRange) -> Rule[int]:
    def convert(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Rejected(f"is {describe(value)}")
        if not allowed.allows(value):
            raise Rejected("is out of range")
        return value

    return Rule(str(allowed), convert)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise Rejected(f"is {describe(value)}")
    return value


boolean = Rule("true or false", _boolean)


def choice(choices: tuple[str, ...]) -> Rule[str]:
    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise Rejected(f"is {describe(value)}")
        if value not in choices:
            raise Rejected("is not one of the choices")
        return value

    return Rule("one of " + ", ".join(json.dumps(item) for item in choices), convert)
