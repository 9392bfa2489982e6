"""Broken settings.toml files, fuzzed: the app runs on defaults, says which file and which key,
and the user's file is kept byte for byte.

The fuzzing runs at the level the app loads settings with (``infra.settings_file.load_settings``,
which hands a readable file to ``core.settings_parse``): starting the real app for each of
hundreds of examples would take minutes. A few representative files then go through the real
app process, whose start-up, stderr and ``status`` answer are what a user sees.

What each kind of file must give:

* not TOML at all (random bytes): the defaults, a notice naming the file, and the file moved
  aside as ``settings.toml.bad-<time>`` with exactly its bytes (so the next save cannot
  overwrite it);
* TOML with a bad value (wrong type, out of range, a huge string): every other value kept,
  the bad one back to its default, a notice naming the file and the key, and the file left
  where it is, untouched.
"""

from __future__ import annotations

import copy
import json
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import (
    AWAY_MINUTES,
    HEADS_UP_SECONDS,
    INTERVAL_MINUTES,
    LULL_SECONDS,
    REST_SECONDS,
    Away,
    BreakSettings,
    ReminderSettings,
    Settings,
    TimeRange,
    WholeNumberRange,
    WorkingHours,
    settings_to_mapping,
)
from stretchbreak.infra.settings_file import load_settings
from tests.app_process import ALL_DAY, LOG_NAME, cli, quit_app, running_app

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Not the defaults anywhere, so "every other value kept" can be seen.
MINE = Settings(
    reminders=ReminderSettings(
        interval_minutes=35,
        fixed_times=(datetime(2000, 1, 1, 15, 30).time(),),
        heads_up_seconds=20,
        lull_seconds=7,
        working_hours=WorkingHours(sat=(TimeRange.parse("10:00-12:00"),)),
    ),
    breaks=BreakSettings(goal="recovery", tempo=TempoMode.SELF_PACED, rest_seconds=45),
    away=Away(enabled=False, minutes=12),
)
DEFAULTS = settings_to_mapping(Settings())
WHOLE_NUMBERS: dict[tuple[str, ...], WholeNumberRange] = {
    ("reminders", "interval_minutes"): INTERVAL_MINUTES,
    ("reminders", "heads_up_seconds"): HEADS_UP_SECONDS,
    ("reminders", "lull_seconds"): LULL_SECONDS,
    ("break", "rest_seconds"): REST_SECONDS,
    ("away", "minutes"): AWAY_MINUTES,
}
TEXTS = [("break", "goal"), ("break", "tempo")]
LISTS = [("reminders", "fixed_times"), ("reminders", "working_hours", "wed")]
FLAGS = [("break", "sound"), ("away", "enabled"), ("system", "notifications")]
TABLES = [("reminders",), ("reminders", "working_hours"), ("break",), ("away",), ("system",)]


def leaf(mapping: dict[str, object], path: tuple[str, ...]) -> dict[str, object]:
    """The table holding ``path``'s last key."""
    table = mapping
    for part in path[:-1]:
        inner = table[part]
        assert isinstance(inner, dict)
        table = inner
    return table


def get(mapping: dict[str, object], path: tuple[str, ...]) -> object:
    return leaf(mapping, path)[path[-1]]


def put(mapping: dict[str, object], path: tuple[str, ...], value: object) -> dict[str, object]:
    changed = copy.deepcopy(mapping)
    leaf(changed, path)[path[-1]] = value
    return changed


@dataclass(frozen=True)
class Loaded:
    original: bytes
    after: bytes | None
    moved: dict[str, bytes]
    mapping: dict[str, object]
    notice: str | None
    path: Path


def load(content: bytes) -> Loaded:
    """Write ``content`` as settings.toml in a fresh folder and load it as the app does."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.toml"
        path.write_bytes(content)
        loaded = load_settings(path, lambda: NOW)
        moved = {p.name: p.read_bytes() for p in Path(folder).glob("settings.toml.bad-*")}
        after = path.read_bytes() if path.exists() else None
        return Loaded(
            content, after, moved, settings_to_mapping(loaded.settings), loaded.notice, path
        )


def assert_one_key_fell_back(content: dict[str, object], path: tuple[str, ...]) -> None:
    """Only ``path`` is back to its default, the notice names file and key, the file is kept."""
    data = tomli_w.dumps(content).encode()
    loaded = load(data)
    assert loaded.after == data, "a readable file is never changed"
    assert loaded.moved == {}
    assert loaded.mapping == put(settings_to_mapping(MINE), path, get(DEFAULTS, path))
    assert loaded.notice is not None
    assert str(loaded.path) in loaded.notice
    assert ".".join(path) in loaded.notice


# ------------------------------------------------------------------ fuzzed at the loader
wrong_for_a_number = st.one_of(
    st.text(max_size=20),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text("abc", min_size=1, max_size=3), st.integers(), max_size=2),
)
wrong_for_text = st.one_of(
    st.integers(), st.booleans(), st.floats(allow_nan=False), st.lists(st.text(), max_size=3)
)
wrong_for_a_list = st.one_of(st.text(max_size=20), st.integers(), st.booleans())
wrong_for_a_flag = st.one_of(st.text(max_size=20), st.integers(), st.lists(st.booleans()))
wrong_for_a_table = st.one_of(
    st.text(max_size=20), st.integers(), st.booleans(), st.lists(st.integers(), max_size=3)
)


@st.composite
def a_wrong_type(draw: st.DrawFn) -> tuple[tuple[str, ...], object]:
    kind = draw(st.sampled_from(["number", "text", "list", "flag", "table"]))
    if kind == "number":
        return draw(st.sampled_from(list(WHOLE_NUMBERS))), draw(wrong_for_a_number)
    if kind == "text":
        return draw(st.sampled_from(TEXTS)), draw(wrong_for_text)
    if kind == "list":
        return draw(st.sampled_from(LISTS)), draw(wrong_for_a_list)
    if kind == "flag":
        return draw(st.sampled_from(FLAGS)), draw(wrong_for_a_flag)
    return draw(st.sampled_from(TABLES)), draw(wrong_for_a_table)


@st.composite
def out_of_range(draw: st.DrawFn) -> tuple[tuple[str, ...], int]:
    path = draw(st.sampled_from(list(WHOLE_NUMBERS)))
    allowed = WHOLE_NUMBERS[path]
    below = st.integers(min_value=-(2**63), max_value=allowed.low - 1)
    above = st.integers(min_value=allowed.high + 1, max_value=2**63 - 1)
    return path, draw(below | above)


@st.composite
def a_huge_string(draw: st.DrawFn) -> tuple[tuple[str, ...], object]:
    text = draw(st.text(min_size=1, max_size=30)) * draw(st.integers(2_000, 20_000))
    path = draw(st.sampled_from([*TEXTS, *LISTS]))
    return path, ([text] if path in LISTS else text)


@FUZZ
@given(a_wrong_type())
def test_a_value_of_the_wrong_type_falls_back_alone(bad: tuple[tuple[str, ...], object]) -> None:
    path, value = bad
    assert_one_key_fell_back(put(settings_to_mapping(MINE), path, value), path)


@FUZZ
@given(out_of_range())
def test_a_number_out_of_range_falls_back_alone(bad: tuple[tuple[str, ...], int]) -> None:
    path, value = bad
    assert_one_key_fell_back(put(settings_to_mapping(MINE), path, value), path)


@settings(FUZZ, max_examples=30)
@given(a_huge_string())
def test_a_huge_string_falls_back_alone(bad: tuple[tuple[str, ...], object]) -> None:
    path, value = bad
    assert_one_key_fell_back(put(settings_to_mapping(MINE), path, value), path)


def readable_toml(data: bytes) -> bool:
    try:
        tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return True


@FUZZ
@given(st.binary(min_size=1, max_size=2000))
def test_random_bytes_give_the_defaults_and_are_moved_aside_unchanged(data: bytes) -> None:
    loaded = load(data)
    if readable_toml(data):  # rare: a few bytes that happen to be TOML
        assert loaded.after == data
        return
    assert loaded.mapping == DEFAULTS
    assert loaded.after is None
    assert list(loaded.moved.values()) == [data]
    assert loaded.notice is not None
    assert str(loaded.path) in loaded.notice
    assert next(iter(loaded.moved)) in loaded.notice


# ------------------------------------------------------------------ the real app
def app_file(**reminders: object) -> bytes:
    """Working all day (so a prompt is planned from the start) plus the given values."""
    values = "".join(f"{key} = {json.dumps(value)}\n" for key, value in reminders.items())
    return f"[reminders]\n{values}[reminders.working_hours]\n{ALL_DAY}\n".encode()


APP_VARIANTS = {
    # Not UTF-8, so not TOML: moved aside.
    "random-bytes": (bytes(range(256)) * 4, ("is broken", "not UTF-8"), None),
    "wrong-type": (app_file(interval_minutes="fifty"), ("reminders.interval_minutes",), 50),
    "out-of-range": (app_file(interval_minutes=100_000), ("reminders.interval_minutes",), 50),
    "huge-string": (
        app_file(interval_minutes=20) + b'[break]\ngoal = "' + b"x" * 1_000_000 + b'"\n',
        ("break.goal",),
        20,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(APP_VARIANTS))
def test_the_app_runs_on_defaults_says_why_and_keeps_the_file(tmp_path: Path, name: str) -> None:
    content, says, interval = APP_VARIANTS[name]
    data = tmp_path / "data"
    data.mkdir()
    path = data / "settings.toml"
    path.write_bytes(content)
    started = datetime.now(UTC)
    with running_app(data, "--no-tray") as app:
        status = cli(data, "status", "--json")
        _, stderr = quit_app(data, app)
    log = (data / LOG_NAME).read_text()

    assert "Traceback" not in stderr
    for said in (stderr, log):
        assert str(path) in said
        for words in says:
            assert words in said
    moved = list(data.glob("settings.toml.bad-*"))
    if interval is None:
        assert [p.read_bytes() for p in moved] == [content]
        assert not path.exists()
    else:
        assert moved == []
        assert path.read_bytes() == content
        # Every hour is working time: the first prompt is one interval after the start, so
        # the interval the app runs with shows in its answer (the minute it started rounds).
        assert status.returncode == 0, status.stderr
        due = datetime.fromisoformat(json.loads(status.stdout)["next_prompt_at"])
        assert timedelta(minutes=interval - 1) < due - started < timedelta(minutes=interval + 1)
