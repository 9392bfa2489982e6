"""Settings values and the file's shape: every key checked, every problem explained, none lost."""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import (
    KNOWN_KEYS,
    Away,
    BreakSettings,
    ReminderSettings,
    Settings,
    SystemSettings,
    settings_to_mapping,
)
from stretchbreak.core.settings_parse import ParsedSettings, SettingProblem, parse_settings
from stretchbreak.core.settings_rules import show
from stretchbreak.core.working_hours import (
    WEEKDAYS,
    TimeRange,
    WorkingHours,
    first_overlap,
    format_clock_time,
    parse_clock_time,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
OFFICE = ["09:00-12:30", "13:30-17:30"]


def hm(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


def span(text: str) -> TimeRange:
    return TimeRange.parse(text)


def parse(data: Mapping[str, object]) -> ParsedSettings:
    return parse_settings(data)


def only_problem(data: Mapping[str, object]) -> SettingProblem:
    problems = parse(data).problems
    assert len(problems) == 1, problems
    return problems[0]


# ------------------------------------------------------------------ defaults and the contract


def documented_file() -> dict[str, Any]:
    """The first TOML block of docs/settings.md: the documented defaults are the real ones."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert match is not None
    return tomllib.loads(match.group(1))


def test_the_documented_file_is_exactly_the_defaults() -> None:
    assert settings_to_mapping(Settings.defaults()) == documented_file()
    assert parse(documented_file()) == ParsedSettings(Settings(), ())


def test_the_documented_messages_are_the_real_ones() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = {
        line
        for block in re.findall(r"```text\n(.*?)```", text, re.DOTALL)
        for line in block.strip().splitlines()
    }
    files: list[dict[str, Any]] = [
        {"reminders": {"interval_minutes": -5, "intervall_minutes": 1, "mon": []}},
        {"break": {"sound": "yes"}},
        {"reminders": {"working_hours": {"mon": ["09:00-12:30", "12:00-14:00"]}}},
        {"reminders": {"fixed_times": ["25:00"]}},
    ]
    real = {problem.message for data in files for problem in parse(data).problems}
    assert len(documented) == 6
    assert documented <= real


def test_an_empty_mapping_is_all_defaults_without_problems() -> None:
    assert parse({}) == ParsedSettings(Settings.defaults(), ())


def test_the_defaults_are_the_documented_values() -> None:
    defaults = Settings.defaults()
    assert defaults.reminders == ReminderSettings(50, (), 60, 3, WorkingHours())
    assert defaults.reminders.working_hours["mon"] == (span("09:00-12:30"), span("13:30-17:30"))
    assert defaults.reminders.working_hours["fri"] == defaults.reminders.working_hours["mon"]
    assert defaults.reminders.working_hours["sat"] == ()
    assert defaults.reminders.working_hours["sun"] == ()
    assert defaults.breaks == BreakSettings("desk-reset", TempoMode.GUIDED, 30, True)
    assert defaults.away == Away(enabled=True, minutes=5)
    assert defaults.system == SystemSettings(notifications=True, start_at_login=False)
    assert defaults.unknown == {}


def test_settings_are_frozen_and_hashable() -> None:
    defaults = Settings.defaults()
    assert hash(defaults) == hash(Settings())
    assert {defaults, Settings()} == {defaults}
    with pytest.raises(dataclasses.FrozenInstanceError):
        defaults.reminders.interval_minutes = 10  # type: ignore[misc]
    with pytest.raises(TypeError):
        defaults.unknown["new"] = 1  # type: ignore[index]


# ------------------------------------------------------------------ values refuse bad input


@pytest.mark.parametrize(
    ("build", "low", "high"),
    [
        (lambda value: ReminderSettings(interval_minutes=value), 5, 240),
        (lambda value: ReminderSettings(heads_up_seconds=value), 0, 600),
        (lambda value: ReminderSettings(lull_seconds=value), 0, 60),
        (lambda value: BreakSettings(rest_seconds=value), 0, 300),
        (lambda value: Away(minutes=value), 1, 120),
    ],
)
def test_value_ranges_include_both_ends(build: Any, low: int, high: int) -> None:
    build(low)
    build(high)
    for bad in (low - 1, high + 1, True, 10.0, "10"):
        with pytest.raises(ValueError, match="must be a whole number"):
            build(bad)


@pytest.mark.parametrize(
    "build",
    [
        lambda value: BreakSettings(sound=value),
        lambda value: Away(enabled=value),
        lambda value: SystemSettings(notifications=value),
        lambda value: SystemSettings(start_at_login=value),
    ],
)
def test_switches_are_booleans_only(build: Any) -> None:
    build(False)
    with pytest.raises(ValueError, match="True or False"):
        build(1)


def test_break_goal_and_tempo_are_checked_and_tempo_text_is_accepted() -> None:
    assert BreakSettings(tempo="self-paced").tempo is TempoMode.SELF_PACED  # type: ignore[arg-type]
    for goal in ("warmup", "mobility", "recovery", "desk-reset"):
        assert BreakSettings(goal=goal).goal == goal
    with pytest.raises(ValueError, match="goal must be one of"):
        BreakSettings(goal="stretch")
    with pytest.raises(ValueError, match="fast"):
        BreakSettings(tempo="fast")  # type: ignore[arg-type]


def test_fixed_times_are_sorted_without_repeats_and_whole_minutes() -> None:
    reminders = ReminderSettings(fixed_times=(hm("15:00"), hm("10:30"), hm("15:00")))
    assert reminders.fixed_times == (hm("10:30"), hm("15:00"))
    for bad in (time(10, 30, 5), time(10, 30, tzinfo=UTC), time(10, 30, 0, 1), "10:30"):
        with pytest.raises(ValueError, match="whole-minute local time"):
            ReminderSettings(fixed_times=(bad,))  # type: ignore[arg-type]


def test_working_hours_from_any_mapping_with_all_seven_days() -> None:
    days: dict[str, tuple[TimeRange, ...]] = dict.fromkeys(WEEKDAYS, ())
    days["tue"] = (span("13:00-14:00"), span("08:00-09:00"))
    reminders = ReminderSettings(working_hours=days)
    assert isinstance(reminders.working_hours, WorkingHours)
    assert reminders.working_hours["tue"] == (span("08:00-09:00"), span("13:00-14:00"))
    del days["sun"]
    with pytest.raises(ValueError, match="exactly the days mon tue wed thu fri sat sun"):
        ReminderSettings(working_hours=days)


def test_working_hours_read_like_a_mapping_of_weekdays() -> None:
    hours = WorkingHours(sat=(span("10:00-11:00"),))
    assert list(hours) == list(WEEKDAYS)
    assert len(hours) == 7
    assert hours.day("sat") == (span("10:00-11:00"),)
    assert "monday" not in hours
    with pytest.raises(KeyError):
        hours["monday"]
    assert hash(hours) == hash(WorkingHours(sat=(span("10:00-11:00"),)))


def test_working_hours_refuse_overlaps_and_foreign_values() -> None:
    with pytest.raises(ValueError, match="mon: 12:00-14:00 overlaps 09:00-12:30"):
        WorkingHours(mon=(span("12:00-14:00"), span("09:00-12:30")))
    with pytest.raises(ValueError, match="must hold TimeRange values"):
        WorkingHours(mon=("09:00-12:30",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-12:30", "09:00-12:30"),
        ("9:00-12:30", "09:00-12:30"),
        (" 09:00 - 12:30 ", "09:00-12:30"),
        ("00:00-23:59", "00:00-23:59"),
    ],
)
def test_time_ranges_are_read_forgivingly_and_written_strictly(text: str, expected: str) -> None:
    assert str(TimeRange.parse(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["", "09:00", "0900-1230", "09:00-24:00", "09:60-10:00", "12:00-09:00", "12:00-12:00",
     "09:00-12:30x", "09:00-12:30-13:00", "٠٩:٠٠-١٢:٣٠", "09:00–12:30"],
)  # fmt: skip
def test_bad_time_ranges_are_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each bad form has its own message
        TimeRange.parse(text)


def test_a_time_range_must_start_before_it_ends_in_whole_minutes() -> None:
    with pytest.raises(ValueError, match="must start before it ends"):
        TimeRange(hm("10:00"), hm("09:00"))
    with pytest.raises(ValueError, match="whole-minute"):
        TimeRange(time(9, 0, 30), hm("10:00"))


def test_clock_times() -> None:
    assert parse_clock_time("7:05") == time(7, 5)
    assert parse_clock_time(" 23:59 ") == time(23, 59)
    assert format_clock_time(time(7, 5)) == "07:05"
    for bad in ("24:00", "12:60", "12", "12:5", "noon", "12:00:00"):
        with pytest.raises(ValueError):  # noqa: PT011 - the messages differ by cause
            parse_clock_time(bad)


def test_first_overlap_names_positions_in_the_given_order() -> None:
    assert first_overlap(()) is None
    assert first_overlap((span("12:30-13:00"), span("09:00-12:30"))) is None  # touching
    assert first_overlap((span("12:00-14:00"), span("15:00-16:00"), span("09:00-12:30"))) == (
        2,
        0,
    )


# ------------------------------------------------------------------ unknown keys in the value


def test_unknown_settings_are_frozen_along_known_tables_and_merged_back() -> None:
    unknown = {"theme": {"dark": True}, "reminders": {"colour": "red", "working_hours": {"x": 1}}}
    value = Settings(unknown=unknown)
    assert value.unknown == unknown
    assert not isinstance(value.unknown["reminders"], dict)  # a read-only view
    mapping = settings_to_mapping(value)
    assert mapping["theme"] == {"dark": True}
    reminders = mapping["reminders"]
    assert isinstance(reminders, dict)
    assert reminders["colour"] == "red"
    assert reminders["working_hours"]["x"] == 1
    assert reminders["working_hours"]["mon"] == OFFICE
    reminders["colour"] = "blue"  # the result is the caller's to change
    assert value.unknown["reminders"]["colour"] == "red"  # type: ignore[index]


def test_empty_unknown_tables_are_dropped() -> None:
    assert Settings(unknown={"break": {}, "reminders": {"working_hours": {}}}).unknown == {}


@pytest.mark.parametrize(
    "unknown",
    [
        {"reminders": 5},
        {"reminders": {"interval_minutes": 7}},
        {"reminders": {"working_hours": {"mon": []}}},
        {"system": {"notifications": False}},
    ],
)
def test_unknown_settings_cannot_shadow_known_ones(unknown: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="cannot replace the known setting"):
        Settings(unknown=unknown)


# ------------------------------------------------------------------ parsing: one key at a time

NUMBERS = [
    ("reminders", "interval_minutes", 5, 240, 50),
    ("reminders", "heads_up_seconds", 0, 600, 60),
    ("reminders", "lull_seconds", 0, 60, 3),
    ("break", "rest_seconds", 0, 300, 30),
    ("away", "minutes", 1, 120, 5),
]


def read_back(parsed: ParsedSettings, table: str, key: str) -> object:
    mapping = settings_to_mapping(parsed.settings)[table]
    assert isinstance(mapping, dict)
    return mapping[key]


@pytest.mark.parametrize(("table", "key", "low", "high", "default"), NUMBERS)
def test_whole_numbers_at_both_ends_are_kept(
    table: str, key: str, low: int, high: int, default: int
) -> None:
    for value in (low, high):
        parsed = parse({table: {key: value}})
        assert parsed.problems == ()
        assert read_back(parsed, table, key) == value


@pytest.mark.parametrize(("table", "key", "low", "high", "default"), NUMBERS)
def test_whole_numbers_out_of_range_fall_back_and_say_so(
    table: str, key: str, low: int, high: int, default: int
) -> None:
    for value in (low - 1, high + 1):
        parsed = parse({table: {key: value}})
        assert read_back(parsed, table, key) == default
        assert parsed.problems == (
            SettingProblem(
                f"{table}.{key}",
                f"{table}.{key} = {value} is out of range; it must be a whole number from "
                f"{low} to {high}, so the default {default} is used",
            ),
        )


@pytest.mark.parametrize(("table", "key", "low", "high", "default"), NUMBERS)
@pytest.mark.parametrize(
    ("value", "shown", "kind"),
    [
        (True, "true", "a boolean"),
        ("50", '"50"', "a string"),
        (50.0, "50.0", "a float"),
        ([50], "[50]", "an array"),
        ({"a": 50}, "{ a = 50 }", "a table"),
    ],
)
def test_whole_numbers_of_the_wrong_type_fall_back_and_say_so(
    table: str, key: str, low: int, high: int, default: int, value: object, shown: str, kind: str
) -> None:
    problem = only_problem({table: {key: value}})
    assert problem.message == (
        f"{table}.{key} = {shown} is {kind}; it must be a whole number from {low} to {high}, "
        f"so the default {default} is used"
    )


def test_the_example_message_of_the_issue() -> None:
    problem = only_problem({"reminders": {"interval_minutes": -5}})
    assert (
        str(problem)
        == problem.message
        == (
            "reminders.interval_minutes = -5 is out of range; it must be a whole number from 5 to "
            "240, so the default 50 is used"
        )
    )


@pytest.mark.parametrize(
    ("table", "key", "default"),
    [
        ("break", "sound", True),
        ("away", "enabled", True),
        ("system", "notifications", True),
        ("system", "start_at_login", False),
    ],
)
def test_switches(table: str, key: str, default: bool) -> None:
    for value in (True, False):
        assert read_back(parse({table: {key: value}}), table, key) is value
    parsed = parse({table: {key: 1}})
    assert read_back(parsed, table, key) is default
    assert parsed.problems[0].message == (
        f"{table}.{key} = 1 is an integer; it must be true or false, so the default "
        f"{str(default).lower()} is used"
    )


def test_goal_and_tempo_choices() -> None:
    parsed = parse({"break": {"goal": "warmup", "tempo": "self-paced"}})
    assert parsed.problems == ()
    assert parsed.settings.breaks.goal == "warmup"
    assert parsed.settings.breaks.tempo is TempoMode.SELF_PACED
    parsed = parse({"break": {"goal": "Warmup", "tempo": 2}})
    assert parsed.settings.breaks == BreakSettings()
    assert [problem.message for problem in parsed.problems] == [
        'break.goal = "Warmup" is not one of the choices; it must be one of "warmup", '
        '"mobility", "recovery", "desk-reset", so the default "desk-reset" is used',
        'break.tempo = 2 is an integer; it must be one of "guided", "self-paced", so the '
        'default "guided" is used',
    ]


def test_a_known_table_of_the_wrong_type_uses_all_its_defaults() -> None:
    parsed = parse({"reminders": "often", "away": [1, 2]})
    assert parsed.settings == Settings()
    assert [problem.message for problem in parsed.problems] == [
        'reminders = "often" is a string; it must be a table of settings, so all of its '
        "settings use their defaults",
        "away = [1, 2] is an array; it must be a table of settings, so all of its settings "
        "use their defaults",
    ]


# ------------------------------------------------------------------ parsing: lists


def test_fixed_times_are_read_sorted_and_without_repeats() -> None:
    parsed = parse({"reminders": {"fixed_times": ["15:00", "9:30", "15:00"]}})
    assert parsed.problems == ()
    assert parsed.settings.reminders.fixed_times == (hm("09:30"), hm("15:00"))
    assert read_back(parsed, "reminders", "fixed_times") == ["09:30", "15:00"]


def test_one_bad_fixed_time_sends_the_list_back_to_its_default() -> None:
    parsed = parse({"reminders": {"fixed_times": ["10:30", "25:00", 1030, time(10, 30)]}})
    assert parsed.settings.reminders.fixed_times == ()
    rule = 'each must be "HH:MM" in 24-hour time (00:00 to 23:59), so fixed_times uses'
    assert [(problem.key, problem.message) for problem in parsed.problems] == [
        (
            "reminders.fixed_times[1]",
            f'reminders.fixed_times[1] = "25:00" is not a valid time; {rule} the default []',
        ),
        (
            "reminders.fixed_times[2]",
            f"reminders.fixed_times[2] = 1030 is an integer; {rule} the default []",
        ),
        (
            "reminders.fixed_times[3]",
            f"reminders.fixed_times[3] = 10:30:00 is a time; {rule} the default []",
        ),
    ]


def test_fixed_times_must_be_an_array() -> None:
    assert only_problem({"reminders": {"fixed_times": "10:30"}}).message == (
        'reminders.fixed_times = "10:30" is a string; it must be an array of times, each '
        '"HH:MM" in 24-hour time (00:00 to 23:59), so fixed_times uses the default []'
    )


def test_working_hours_per_day_with_days_off_and_any_order() -> None:
    parsed = parse(
        {
            "reminders": {
                "working_hours": {
                    "mon": [],
                    "tue": ["14:00-18:00", "8:00-12:00"],
                    "sat": ["10:00-12:00", "12:00-13:00"],
                }
            }
        }
    )
    assert parsed.problems == ()
    hours = parsed.settings.reminders.working_hours
    assert hours["mon"] == ()
    assert hours["tue"] == (span("08:00-12:00"), span("14:00-18:00"))
    assert hours["wed"] == (span("09:00-12:30"), span("13:30-17:30"))  # left out: default
    assert hours["sat"] == (span("10:00-12:00"), span("12:00-13:00"))  # touching is fine
    assert hours["sun"] == ()


def test_overlapping_ranges_are_refused_with_both_named() -> None:
    problem = only_problem(
        {"reminders": {"working_hours": {"mon": ["12:00-14:00", "09:00-12:30"], "sat": OFFICE}}}
    )
    assert problem.key == "reminders.working_hours.mon[0]"
    assert problem.message == (
        'reminders.working_hours.mon[0] = "12:00-14:00" overlaps mon[1] = "09:00-12:30"; the '
        'ranges of one day must not overlap, so mon uses the default ["09:00-12:30", '
        '"13:30-17:30"]'
    )


def test_a_bad_range_sends_that_day_back_to_its_default() -> None:
    parsed = parse(
        {"reminders": {"working_hours": {"sun": ["10:00-12:00", "18:00-17:00"], "mon": "9-5"}}}
    )
    assert parsed.settings.reminders.working_hours == WorkingHours()
    assert [(problem.key, problem.message) for problem in parsed.problems] == [
        (
            "reminders.working_hours.mon",
            'reminders.working_hours.mon = "9-5" is a string; it must be an array of time '
            'ranges, each "HH:MM-HH:MM" in 24-hour time with the start before the end, so mon '
            'uses the default ["09:00-12:30", "13:30-17:30"]',
        ),
        (
            "reminders.working_hours.sun[1]",
            'reminders.working_hours.sun[1] = "18:00-17:00" is not a valid time range; each '
            'must be "HH:MM-HH:MM" in 24-hour time with the start before the end, so sun uses '
            "the default []",
        ),
    ]


def test_working_hours_written_as_an_array_are_all_defaults() -> None:
    parsed = parse({"reminders": {"working_hours": ["09:00-17:00"]}})
    assert parsed.settings == Settings()
    assert parsed.problems[0].key == "reminders.working_hours"


# ------------------------------------------------------------------ parsing: unknown keys


def test_unknown_keys_at_every_level_are_kept_with_their_path() -> None:
    data = {
        "theme": {"colour": "red", "sizes": [1, 2]},
        "version": 3,
        "reminders": {"colour": "red", "working_hours": {"holidays": ["2026-12-25"]}},
        "system": {"tray": {"icon": "dark"}},
    }
    parsed = parse(data)
    assert parsed.settings.unknown == {
        "theme": {"colour": "red", "sizes": [1, 2]},
        "version": 3,
        "reminders": {"colour": "red", "working_hours": {"holidays": ["2026-12-25"]}},
        "system": {"tray": {"icon": "dark"}},
    }
    assert [problem.key for problem in parsed.problems] == [
        "theme",
        "version",
        "reminders.colour",
        "reminders.working_hours.holidays",
        "system.tray",
    ]
    for problem in parsed.problems:
        assert problem.message.startswith(f"{problem.key} is not a known setting")
        assert problem.message.endswith("it has no effect and is kept in the file as it is")
    merged = settings_to_mapping(parsed.settings)
    for table, values in data.items():
        inner = merged[table]
        assert isinstance(inner, dict) or inner == values
        if isinstance(values, dict):
            assert isinstance(inner, dict)
            for key, value in values.items():
                if key != "working_hours":
                    assert inner[key] == value
    assert merged["reminders"]["working_hours"]["holidays"] == ["2026-12-25"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"interval_minutes": 30},
            "interval_minutes is not a known setting here (it belongs in [reminders])",
        ),
        (
            {"reminders": {"working_hours": {"lull_seconds": 5}}},
            "reminders.working_hours.lull_seconds is not a known setting here (it belongs in "
            "[reminders])",
        ),
        (
            {"reminders": {"sat": []}},
            "reminders.sat is not a known setting here (it belongs in [reminders.working_hours])",
        ),
        (
            {"reminders": {"away": {}}},
            "reminders.away is not a known setting here (it is a top-level table)",
        ),
        (
            {"breaks": {}},
            "breaks is not a known setting (did you mean break?)",
        ),
        (
            {"reminders": {"working_hours": {"monday": OFFICE}}},
            "reminders.working_hours.monday is not a known setting (did you mean mon?)",
        ),
        ({"away": {"colour": 1}}, "away.colour is not a known setting;"),
        ({7: 1}, "7 is not a known setting;"),
        ({"a b": 1}, '"a b" is not a known setting;'),
    ],
)
def test_unknown_keys_come_with_a_hint_when_there_is_one(
    data: dict[Any, object], message: str
) -> None:
    assert only_problem(data).message.startswith(message)


def test_unknown_keys_survive_a_save_and_a_load() -> None:
    data = documented_file()
    data["reminders"]["future_option"] = {"level": 2}
    data["plugins"] = [{"name": "x"}]
    parsed = parse(data)
    again = parse(settings_to_mapping(parsed.settings))
    assert again == parsed
    assert settings_to_mapping(again.settings) == data


# ------------------------------------------------------------------ how values are shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("x" * 41, '"' + "x" * 40 + '…"'),
        ('say "hi"', '"say \\"hi\\""'),
        pytest.param(-(10**5000), "-(a number of about 5001 digits)", id="huge-int"),
        (2**128 - 1, str(2**128 - 1)),
        (math.nan, "nan"),
        (-math.inf, "-inf"),
        ([1, 2, 3, 4, 5], "[1, 2, 3, 4, …]"),
        ([[[1]]], "[[[…]]]"),
        ({"a": {"b": {"c": 1}}}, "{ a = { b = {…} } }"),
        (dict.fromkeys("abcde", 0), "{ a = 0, b = 0, c = 0, d = 0, … }"),
        ({"x" * 50: 1}, '{ "' + "x" * 40 + '…" = 1 }'),
        (date(2026, 11, 24), "2026-11-24"),
        (datetime(2026, 11, 24, 9, tzinfo=UTC), "2026-11-24 09:00:00+00:00"),
        (None, "<NoneType>"),
    ],
)
def test_values_are_shown_short_and_toml_like(value: object, shown: str) -> None:
    assert show(value) == shown


def test_huge_values_make_short_messages() -> None:
    parsed = parse(
        {
            "reminders": {"interval_minutes": "9" * 1_000_000, "lull_seconds": 10**10_000},
            "x" * 1_000_000: 1,
        }
    )
    assert len(parsed.problems) == 3
    assert all(len(problem.message) < 300 for problem in parsed.problems)
    assert parsed.settings.reminders == ReminderSettings()


# ------------------------------------------------------------------ properties

minutes = st.integers(0, 24 * 60 - 1)
clock_times = minutes.map(lambda minute: time(minute // 60, minute % 60))


@st.composite
def day_ranges(draw: st.DrawFn) -> tuple[TimeRange, ...]:
    """Sorted distinct minute marks, paired up: ranges that never overlap, in any order."""
    marks = sorted(draw(st.lists(minutes, unique=True, max_size=8)))
    ranges = [
        TimeRange(time(start // 60, start % 60), time(end // 60, end % 60))
        for start, end in zip(marks[::2], marks[1::2], strict=False)
    ]
    return tuple(draw(st.permutations(ranges)))


toml_scalars = (
    st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates()
    | st.times()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def unknown_at(known: Mapping[str, object]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(
        st.text(max_size=10).filter(lambda key: key not in known), toml_values, max_size=2
    )


unknown_settings = st.builds(
    lambda top, reminders, hours, brk: {
        **top,
        "reminders": {**reminders, "working_hours": hours},
        "break": brk,
    },
    unknown_at(KNOWN_KEYS),
    unknown_at(KNOWN_KEYS["reminders"]),
    unknown_at(dict.fromkeys(WEEKDAYS)),
    unknown_at(KNOWN_KEYS["break"]),
)

valid_settings = st.builds(
    Settings,
    reminders=st.builds(
        ReminderSettings,
        interval_minutes=st.integers(5, 240),
        fixed_times=st.lists(clock_times, max_size=5).map(tuple),
        heads_up_seconds=st.integers(0, 600),
        lull_seconds=st.integers(0, 60),
        working_hours=st.builds(WorkingHours, *[day_ranges()] * 7),
    ),
    breaks=st.builds(
        BreakSettings,
        goal=st.sampled_from(["warmup", "mobility", "recovery", "desk-reset"]),
        tempo=st.sampled_from(TempoMode),
        rest_seconds=st.integers(0, 300),
        sound=st.booleans(),
    ),
    away=st.builds(Away, enabled=st.booleans(), minutes=st.integers(1, 120)),
    system=st.builds(SystemSettings, notifications=st.booleans(), start_at_login=st.booleans()),
    unknown=unknown_settings,
)


@settings(deadline=None)
@given(valid_settings)
def test_any_valid_settings_survive_the_round_trip(value: Settings) -> None:
    parsed = parse(settings_to_mapping(value))
    assert parsed.settings == value
    assert all("is not a known setting" in problem.message for problem in parsed.problems)


KEY_NAMES = sorted(
    {"reminders", "working_hours", *KNOWN_KEYS}
    | {key for table in KNOWN_KEYS.values() for key in table}
    | set(WEEKDAYS)
)
anything_scalar = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([5, 50, 240, 0, 600])
    | st.integers(0, 3).map(lambda n: (-1) ** n * 10 ** (5000 + n))  # beyond str()'s limit
    | st.floats()
    | st.text()
    | st.sampled_from(["09:00-12:30", "12:00-14:00", "10:30", "guided", "warmup", "x" * 100_000])
    | st.binary(max_size=10)
    | st.datetimes()
    | st.dates()
    | st.times()
)
anything = st.recursive(
    anything_scalar,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.sampled_from(KEY_NAMES) | st.text(max_size=5) | st.integers(), inner, max_size=5
        )
    ),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(KEY_NAMES) | st.text(), anything, max_size=6))
def test_parsing_never_raises_and_always_gives_usable_settings(data: dict[str, object]) -> None:
    parsed = parse(data)
    assert isinstance(parsed.settings, Settings)
    assert all(len(problem.message) < 2_000 for problem in parsed.problems)
    again = parse(settings_to_mapping(parsed.settings))
    assert again.settings == parsed.settings


def test_the_voice_cycle_and_the_old_sound_switch() -> None:
    from stretchbreak.core.settings import VoiceMode

    assert [mode.next() for mode in VoiceMode] == [
        VoiceMode.TONES,
        VoiceMode.SILENT,
        VoiceMode.SPOKEN,
    ]
    assert BreakSettings(voice=VoiceMode.TONES).cues is VoiceMode.TONES
    assert BreakSettings(voice=VoiceMode.TONES, sound=False).cues is VoiceMode.SILENT
    with pytest.raises(ValueError, match="reduced_motion"):
        BreakSettings(reduced_motion="yes")  # type: ignore[arg-type]


def test_a_bad_voice_falls_back_to_spoken_and_names_the_key() -> None:
    from stretchbreak.core.settings import VoiceMode

    problem = only_problem({"break": {"voice": "loud"}})
    assert problem.key == "break.voice"
    assert "spoken" in problem.message
    parsed = parse({"break": {"voice": "tones", "reduced_motion": True}})
    assert parsed.settings.breaks.voice is VoiceMode.TONES
    assert parsed.settings.breaks.reduced_motion
