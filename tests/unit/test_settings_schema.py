"""The schema is the one place a setting is described: the documented tables, the frozen
values, reading and writing all agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from stretchbreak.core.settings import (
    Away,
    BreakSettings,
    DeferSettings,
    Settings,
    SystemSettings,
    settings_to_mapping,
)
from stretchbreak.core.settings_parse import parse_settings
from stretchbreak.core.settings_rules import show
from stretchbreak.core.settings_schema import (
    FIELDS,
    KNOWN_KEYS,
    Field,
    WholeNumberRange,
    choices_of,
    default_mapping,
    field_at,
    range_of,
)
from stretchbreak.core.working_hours import WEEKDAYS

DOC = Path(__file__).parents[2] / "docs" / "settings.md"
_HEADING = re.compile(r"^#{2,3} `\[([a-z_.]+)\]`")
_ROW = re.compile(r"^\| (`[^|]+`) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|")
_TYPE_NAMES = {
    "boolean": "boolean",
    "whole": "whole number",
    "choice": "string",
    "times": "array of times",
    "time ranges": "array of time ranges",
}


def _doc_rows() -> dict[str, tuple[str, str, str]]:
    """Every key in the documented tables, as "table.key", with its type, default and allowed
    cells; a row of days such as `mon` … `fri` stands for each of them."""
    rows: dict[str, tuple[str, str, str]] = {}
    table = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            table = heading.group(1)
        row = _ROW.match(line)
        if row and table:
            names, *cells = (cell.strip() for cell in row.groups())
            for name in _names(names):
                rows[f"{table}.{name}"] = (cells[0], cells[1], cells[2])
    return rows


def _names(cell: str) -> list[str]:
    names = re.findall(r"`([a-z_]+)`", cell)
    if "…" in cell:
        first, last = WEEKDAYS.index(names[0]), WEEKDAYS.index(names[-1])
        return list(WEEKDAYS[first : last + 1])
    return names


def _allowed(field: Field) -> str:
    """The allowed cell of a single-value setting as the doc writes it."""
    if isinstance(field.allowed, WholeNumberRange):
        return f"{field.allowed.low} – {field.allowed.high}"
    if isinstance(field.allowed, tuple):
        return ", ".join(f'`"{choice}"`' for choice in field.allowed)
    return "`true`, `false`"


def test_the_documented_tables_hold_every_key_and_nothing_else() -> None:
    assert sorted(_doc_rows()) == sorted(field.key for field in FIELDS)


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.key)
def test_the_documented_type_default_and_range_are_the_schemas(field: Field) -> None:
    kind, default, allowed = _doc_rows()[field.key]
    assert kind == _TYPE_NAMES[field.kind]
    assert default == f"`{show(field.default)}`"
    if field.kind == "times":
        assert allowed.startswith('each `"HH:MM"`')
    elif field.kind == "time ranges":
        assert allowed.startswith('each `"HH:MM-HH:MM"`') or allowed == "as above"
    else:
        assert allowed == _allowed(field)


def test_the_documented_whole_file_is_the_defaults() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## The whole file with its defaults", 1)[1].split("```toml\n", 1)[1]
    assert tomllib.loads(block.split("```", 1)[0]) == default_mapping()


def test_the_frozen_defaults_and_a_read_empty_file_are_the_schemas() -> None:
    assert settings_to_mapping(Settings()) == default_mapping()
    assert parse_settings({}).settings == Settings()


def test_the_known_keys_are_the_schemas_in_its_order() -> None:
    assert list(KNOWN_KEYS) == ["reminders", "break", "away", "system", "defer"]
    assert list(KNOWN_KEYS["reminders"])[-1] == "working_hours"
    assert list(KNOWN_KEYS["reminders"]["working_hours"]) == list(WEEKDAYS)  # type: ignore[call-overload]
    assert [f"defer.{key}" for key in KNOWN_KEYS["defer"]] == [
        field.key for field in FIELDS if field.key.startswith("defer.")
    ]


def test_ranges_and_choices_are_looked_up_by_key() -> None:
    assert range_of("reminders.interval_minutes") == WholeNumberRange(5, 240)
    assert choices_of("break.tempo") == ("guided", "self-paced")
    assert field_at("break.sound").default is True
    with pytest.raises(AssertionError):
        range_of("break.sound")
    with pytest.raises(AssertionError):
        choices_of("away.minutes")


def test_a_frozen_value_outside_the_schema_is_refused_with_the_key() -> None:
    with pytest.raises(ValueError, match="minutes must be a whole number from 1 to 120, not 0"):
        Away(minutes=0)
    with pytest.raises(ValueError, match="camera must be True or False, not 1"):
        DeferSettings(camera=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="start_at_login must be True or False"):
        SystemSettings(start_at_login="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="goal must be one of warmup, mobility"):
        BreakSettings(goal="sprint")
