"""The export formats to the letter, every import error with its line, and lossless round trips."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stretchbreak.core.csv_import import ImportProblem, parse_sets_csv, read_rows
from stretchbreak.core.exercise import GOAL_IDS
from stretchbreak.core.export import (
    CSV_HEADER,
    EMPTY_TABLE,
    csv_lines,
    csv_text_by_session,
    neutralised,
    sessions_to_json,
    sessions_to_table,
    sets_to_csv,
)
from stretchbreak.core.history import CompletedSet, Feeling, Outcome, SessionRecord, Source
from stretchbreak.core.tally import tally

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
HEADER = ",".join(CSV_HEADER)
#: Session ids as the app makes them (32 hex digits), recognisable by their start.
A1, B2, S, T = (start.ljust(32, "0") for start in ("a1", "b2", "5", "7"))


def a_set(
    session_id: str,
    index: int,
    reps: int,
    start: datetime,
    seconds: float = 40.0,
    *,
    partial: bool = False,
    hold: int = 3,
) -> CompletedSet:
    return CompletedSet(
        session_id,
        "dynamic-back-stretch",
        "recovery",
        index,
        reps,
        hold,
        start,
        start + timedelta(seconds=seconds),
        seconds,
        0.0,
        Source.PROMPT,
        partial,
    )


def a_session(
    session_id: str,
    sets: tuple[CompletedSet, ...],
    *,
    exercise: str = "dynamic-back-stretch",
    goal: str = "recovery",
    source: Source = Source.PROMPT,
    outcome: Outcome | None = Outcome.COMPLETED,
    feeling: Feeling | None = Feeling.JUST_RIGHT,
    ended_at: datetime | None = None,
) -> SessionRecord:
    return SessionRecord(
        session_id,
        exercise,
        goal,
        source,
        "guided",
        len(sets),
        8,
        3,
        sets[0].started_at if sets else T0,
        ended_at,
        outcome,
        feeling,
        sets,
    )


FIRST = a_session(
    A1,
    (a_set(A1, 1, 8, T0), a_set(A1, 2, 8, T0 + timedelta(minutes=1))),
    ended_at=T0 + timedelta(minutes=2),
)
SECOND = a_session(
    B2,
    (
        a_set(B2, 1, 6, T0 + timedelta(hours=1, microseconds=250)),
        a_set(B2, 2, 3, T0 + timedelta(hours=1, minutes=1), 12.5, partial=True),
    ),
    exercise="stretch, seated",
    source=Source.MANUAL,
    outcome=Outcome.CANCELLED,
    feeling=None,
    ended_at=T0 + timedelta(hours=1, minutes=2),
)

# Times to the second: the fraction is cut off, never rounded up past the real instant.
GOLDEN_CSV = (
    "session_id,exercise,goal,source,set,reps,hold_s,started_at,completed_at,partial,feeling\n"
    f"{A1},dynamic-back-stretch,recovery,prompt,1,8,3,"
    "2026-11-24T09:00:00+00:00,2026-11-24T09:00:40+00:00,false,just-right\n"
    f"{A1},dynamic-back-stretch,recovery,prompt,2,8,3,"
    "2026-11-24T09:01:00+00:00,2026-11-24T09:01:40+00:00,false,just-right\n"
    f'{B2},"stretch, seated",recovery,manual,1,6,3,'
    "2026-11-24T10:00:00+00:00,2026-11-24T10:00:40+00:00,false,\n"
    f'{B2},"stretch, seated",recovery,manual,2,3,3,'
    "2026-11-24T10:01:00+00:00,2026-11-24T10:01:12+00:00,true,\n"
)


# ---------------------------------------------------------------- CSV export


def test_csv_golden() -> None:
    assert sets_to_csv([FIRST, SECOND]) == GOLDEN_CSV


def test_csv_of_nothing_is_the_header_alone() -> None:
    assert sets_to_csv([]) == HEADER + "\n"
    assert sets_to_csv([a_session("empty", ())]) == HEADER + "\n"


def test_csv_writes_other_offsets_as_utc() -> None:
    plus_two = T0.astimezone(timezone(timedelta(hours=2)))
    record = a_session("c", (a_set("c", 1, 8, plus_two),))
    assert ",2026-11-24T09:00:00+00:00," in sets_to_csv([record])


def test_a_naive_timestamp_is_refused() -> None:
    naive = a_session("n", (a_set("n", 1, 8, datetime(2026, 11, 24, 9)),))
    with pytest.raises(ValueError, match="naive"):
        sets_to_csv([naive])


def csv_module_line(cells: list[str]) -> str:
    """What the csv module writes for one row, with the export's ``\\n`` line end, after
    ``'`` is put before each cell a spreadsheet would run (or that starts with ``'``)."""
    buffer = io.StringIO()
    marked = [f"'{cell}" if cell[:1] and cell[0] in "=+-@\t\r'" else cell for cell in cells]
    csv.writer(buffer, lineterminator="\r\n").writerow(marked)
    return buffer.getvalue().removesuffix("\r\n") + "\n"


@given(
    st.lists(
        st.lists(st.text(alphabet="ab ,\"\r\n\x1f=+-@\t'", max_size=4), max_size=4), max_size=5
    )
)
def test_csv_lines_are_what_the_csv_module_writes(rows: list[list[str]]) -> None:
    """The quick join for plain rows must never differ from the module, whatever a cell holds."""
    assert list(csv_lines(rows)) == [csv_module_line(list(CSV_HEADER)), *map(csv_module_line, rows)]


CELL = st.text(alphabet="ab ,\"\r\n\x1f=+-@\t'", max_size=4)
#: A set's values as the store reads them: numbers, or text where a value is not one.
VALUE = st.one_of(st.integers(-3, 300), st.floats(allow_nan=False), CELL)


@given(
    st.lists(
        st.tuples(
            st.lists(CELL, min_size=5, max_size=5),  # session_id, exercise, goal, source, feeling
            st.lists(
                st.tuples(VALUE, VALUE, VALUE, CELL, CELL, st.sampled_from([0, 1, 2, "x"])),
                max_size=3,
            ),
        ),
        max_size=4,
    ),
    st.integers(1, 5),
)
# Dashes and pluses in the count the times would have, but at the start of cells.
@example([(["", "", "", "", ""], [(0, -1e16, -2.2250738585e-313, "", "-+", 0)])], 1)
def test_text_made_a_session_at_a_time_is_what_the_csv_module_writes(
    sessions: list[tuple[list[str], list[tuple[object, ...]]]], lines: int
) -> None:
    """Quoting each part once per session, and checking a piece of lines at once, must give
    each whole row's line exactly."""
    heads = {key: tuple(cells) for key, (cells, _) in enumerate(sessions)}
    sets = [(key, *values) for key, (_, rows) in enumerate(sessions) for values in rows]
    expected = [
        [*cells[:4], *map(str, values[:5]), "true" if values[5] == 1 else "false", cells[4]]
        for cells, rows in sessions
        for values in rows
    ]
    made = "".join(csv_text_by_session(heads, sets, lines))
    assert made == "".join(csv_lines(expected))


def test_sets_of_one_session_share_its_part_of_the_line() -> None:
    heads = {
        7: ("s", "dynamic-back-stretch", "recovery", "prompt", ""),
        8: ("t", "e", "g", "manual", "hard"),
        9: ('u "1"', "e,f", "g", "manual", "x\ny"),
    }
    sets = [
        (7, 1, 6, 3, "a", "b", 0),
        (7, 2, 6, 3, "c", "d", 1),  # a piece of plain lines
        (8, 1, 8, 4, "e", "f", 0),
        (8, 2, "8,5", 4, "e", "f\r", 0),  # a piece made again line by line
        (9, 1, 8, 4, "e", "f", 0),  # a plain piece of a session that needs quoting
    ]
    pieces = list(csv_text_by_session(heads, sets, lines=2))
    assert pieces == [
        HEADER + "\n",
        "s,dynamic-back-stretch,recovery,prompt,1,6,3,a,b,false,\n"
        "s,dynamic-back-stretch,recovery,prompt,2,6,3,c,d,true,\n",
        't,e,g,manual,1,8,4,e,f,false,hard\nt,e,g,manual,2,"8,5",4,e,"f\r",false,hard\n',
        '"u ""1""","e,f",g,manual,1,8,4,e,f,false,"x\ny"\n',
    ]
    assert list(csv_text_by_session({}, [])) == [HEADER + "\n"]


# ---------------------------------------------------------------- JSON export

SESSION_KEYS = [
    "session_id",
    "exercise",
    "goal",
    "source",
    "started_at",
    "ended_at",
    "outcome",
    "feeling",
    "sets",
]
SET_KEYS = ["set", "reps", "hold_s", "started_at", "completed_at", "partial"]


def test_json_keys_types_and_nulls() -> None:
    still_open = a_session("o", (a_set("o", 1, 8, T0),), outcome=None, feeling=None)
    text = sessions_to_json([FIRST, SECOND, still_open])
    assert text.endswith("]\n")
    assert text.startswith(f'[\n  {{\n    "session_id": "{A1}",\n')
    data = json.loads(text)
    assert [list(s) for s in data] == [SESSION_KEYS] * 3
    assert all(list(done) == SET_KEYS for s in data for done in s["sets"])
    first = data[0]
    assert first["started_at"] == "2026-11-24T09:00:00+00:00"
    assert first["ended_at"] == "2026-11-24T09:02:00+00:00"
    assert (first["outcome"], first["feeling"], first["source"]) == (
        "completed",
        "just-right",
        "prompt",
    )
    assert first["sets"][0] == {
        "set": 1,
        "reps": 8,
        "hold_s": 3,
        "started_at": "2026-11-24T09:00:00+00:00",
        "completed_at": "2026-11-24T09:00:40+00:00",
        "partial": False,
    }
    assert data[1]["sets"][1]["partial"] is True
    # To the second, the fraction cut off, like the CSV.
    assert data[1]["sets"][1]["completed_at"] == "2026-11-24T10:01:12+00:00"
    assert (data[2]["ended_at"], data[2]["outcome"], data[2]["feeling"]) == (None, None, None)


def test_json_of_nothing() -> None:
    assert sessions_to_json([]) == "[]\n"


# ---------------------------------------------------------------- table


def test_table_in_local_time_with_totals() -> None:
    long = a_session(
        "l",
        (a_set("l", 1, 8, T0, 3000.0), a_set("l", 2, 6, T0, 725.4)),
        goal="desk-reset",
    )
    table = sessions_to_table([FIRST, SECOND, long], ZoneInfo("Europe/Berlin"))
    assert table == (
        "When              Goal        Sets×reps              Hold  Active   Feeling     Source\n"
        "----------------  ----------  ---------------------  ----  -------  ----------  ------\n"
        "2026-11-24 10:00  recovery    2×8                    3 s   1:20     just-right  prompt\n"
        "2026-11-24 11:00  recovery    1×6 + 3 (ended early)  3 s   0:52     -           manual\n"
        "2026-11-24 10:00  desk-reset  2×6–8                  3 s   1:02:05  just-right  prompt\n"
        "Total: 3 sessions, 5 sets, 39 reps, 1:04:18 active"
    )  # fmt: skip


def test_table_singular_totals_a_cut_short_set_and_nothing_done() -> None:
    cut = a_session(
        "x", (a_set("x", 1, 1, T0, 5.0, partial=True),), feeling=None, outcome=Outcome.CANCELLED
    )
    empty = a_session("z", (), feeling=None, outcome=Outcome.CANCELLED)
    assert sessions_to_table([cut, empty], UTC).splitlines()[2:] == [
        "2026-11-24 09:00  recovery  1 rep (ended early)  3 s   0:05    -        prompt",
        "Total: 1 session, 0 sets, 1 rep, 0:05 active",
    ]
    one = a_session("y", (a_set("y", 1, 1, T0, 5.0),))
    assert sessions_to_table([one], UTC).endswith("Total: 1 session, 1 set, 1 rep, 0:05 active")
    assert sessions_to_table([empty], UTC) == EMPTY_TABLE


def test_empty_table() -> None:
    assert sessions_to_table([], UTC) == EMPTY_TABLE == "No sessions in this range."


# ---------------------------------------------------------------- CSV import


def test_import_reconstructs_sessions_by_the_documented_rules() -> None:
    first, second = parse_sets_csv(GOLDEN_CSV, "golden.csv")
    assert (first.tempo, first.target_sets, first.target_reps, first.target_hold_seconds) == (
        "guided",
        2,
        8,
        3,
    )
    assert (first.started_at, first.ended_at) == (T0, T0 + timedelta(minutes=1, seconds=40))
    assert (first.outcome, first.feeling, first.source) == (
        Outcome.COMPLETED,
        Feeling.JUST_RIGHT,
        Source.PROMPT,
    )
    assert (second.outcome, second.feeling, second.target_sets) == (Outcome.CANCELLED, None, 1)
    assert second.sets[1].active_seconds == 12.0
    assert second.sets[1].paused_seconds == 0.0
    assert second.sets[0].started_at == T0 + timedelta(hours=1)


def test_import_sorts_sets_and_takes_the_largest_target() -> None:
    text = (
        HEADER + "\n"
        f"{S},ex,warmup,manual,2,10,5,2026-11-24T09:02:00+00:00,2026-11-24T09:03:00+00:00,false,\n"
        f"{T},ex,mobility,manual,1,4,2,2026-11-24T11:00:00Z,2026-11-24T11:01:00Z,false,hard\n"
        f"{S},ex,warmup,manual,1,6,3,2026-11-24T10:00:00+01:00,2026-11-24T09:01:00+00:00,false,\n"
    )
    s, t = parse_sets_csv(text, "x.csv")
    assert [done.set_index for done in s.sets] == [1, 2]
    assert (s.target_reps, s.target_hold_seconds, s.started_at) == (10, 5, T0)
    assert s.sets[0].started_at.utcoffset() == timedelta(0)
    assert t.feeling is Feeling.HARD


def test_import_accepts_bom_crlf_and_blank_lines() -> None:
    text = "\ufeff" + GOLDEN_CSV.replace("\n", "\r\n").replace(f"{A1},", f"\r\n{A1},", 1)
    text += "\r\n"
    assert parse_sets_csv(text, "win.csv") == parse_sets_csv(GOLDEN_CSV, "unix.csv")


def test_header_only_file_has_no_sessions() -> None:
    assert parse_sets_csv(HEADER, "h.csv") == []


ROW = f"{S},ex,recovery,prompt,1,8,3,2026-11-24T09:00:00+00:00,2026-11-24T09:01:00+00:00,false,"


def with_cell(column: str, value: str, row: str = ROW) -> str:
    cells = row.split(",")
    cells[CSV_HEADER.index(column)] = value
    return ",".join(cells)


@pytest.mark.parametrize(
    ("lines", "line", "column", "fragment"),
    [
        ([], 1, None, "empty"),
        (["", ""], 1, None, "empty"),
        (["session_id,exercise"], 1, "goal", "missing; the header must be exactly"),
        ([HEADER.replace("hold_s", "Hold")], 1, "hold_s", '"Hold"; the header must be exactly'),
        ([HEADER + ",extra"], 1, None, "12 columns instead of 11; the header must be exactly"),
        ([ROW], 1, "session_id", f'"{S}"; the header'),
        (["", HEADER.upper()], 2, "session_id", '"SESSION_ID"; the header'),
        ([HEADER, ROW, ROW + ",x"], 3, None, "expected 11 columns, found 12"),
        ([HEADER, "a,b"], 2, None, "expected 11 columns, found 2"),
        ([HEADER, f'{S},"ex"x' + ROW[35:]], 2, None, "unreadable CSV"),
        ([HEADER, ROW, f'{S},"ex'], 3, None, "unreadable CSV"),
        ([HEADER, with_cell("session_id", "")], 2, "session_id", "is empty"),
        ([HEADER, with_cell("exercise", "")], 2, "exercise", "is empty"),
        ([HEADER, with_cell("goal", "strength")], 2, "goal", '"strength" is not one of'),
        ([HEADER, with_cell("source", "auto")], 2, "source", '"auto" is not one of'),
        ([HEADER, with_cell("set", "0")], 2, "set", "0 is less than 1"),
        ([HEADER, with_cell("set", "1.0")], 2, "set", "not a whole number"),
        ([HEADER, with_cell("reps", "-2")], 2, "reps", "-2 is negative"),
        ([HEADER, with_cell("reps", "")], 2, "reps", "not a whole number"),
        ([HEADER, with_cell("hold_s", " 3")], 2, "hold_s", "not a whole number"),
        ([HEADER, with_cell("hold_s", "-1")], 2, "hold_s", "negative"),
        ([HEADER, with_cell("started_at", "yesterday")], 2, "started_at", "not an ISO-8601"),
        (
            [HEADER, with_cell("started_at", "0001-01-01T00:00:00+14:00")],
            2,
            "started_at",
            '"0001-01-01T00:00:00+14:00" is outside the calendar',
        ),
        (
            [HEADER, with_cell("completed_at", "9999-12-31T23:00:00-14:00")],
            2,
            "completed_at",
            "is outside the calendar",
        ),
        (
            [HEADER, with_cell("session_id", "=cmd|' /C calc'!A0")],
            2,
            "session_id",
            "\"=cmd|' /C calc'!A0\" is not a stretchbreak session id",
        ),
        ([HEADER, with_cell("session_id", "'=1+2")], 2, "session_id", '"=1+2" is not a'),
        ([HEADER, with_cell("session_id", A1.upper())], 2, "session_id", "32 hex digits"),
        ([HEADER, with_cell("session_id", S[:31])], 2, "session_id", "32 hex digits"),
        ([HEADER, with_cell("reps", "'-3")], 2, "reps", "-3 is negative"),
        (
            [HEADER, with_cell("completed_at", "2026-11-24T08:59:59+00:00")],
            2,
            "completed_at",
            "before started_at",
        ),
        ([HEADER, with_cell("partial", "yes")], 2, "partial", '"yes" is not one of'),
        ([HEADER, with_cell("partial", "1")], 2, "partial", "true, false"),
        ([HEADER, with_cell("feeling", "great")], 2, "feeling", '"great" is not one of'),
        ([HEADER, ROW, "", ROW], 4, "set", f"set 1 of session '{S}' already appears on line 2"),
        (
            [HEADER, ROW, with_cell("set", "2", with_cell("goal", "warmup"))],
            3,
            "goal",
            '"warmup" differs from "recovery" on line 2',
        ),
        ([HEADER, ROW, with_cell("set", "2", with_cell("exercise", "other"))], 3, "exercise", ""),
        ([HEADER, ROW, with_cell("set", "2", with_cell("source", "manual"))], 3, "source", ""),
        ([HEADER, ROW, with_cell("set", "2", with_cell("feeling", "easy"))], 3, "feeling", ""),
    ],
)
def test_every_import_problem_names_file_line_and_column(
    lines: list[str], line: int, column: str | None, fragment: str
) -> None:
    with pytest.raises(ImportProblem) as caught:
        parse_sets_csv("\n".join(lines), "mine.csv")
    problem = caught.value
    assert (problem.source_name, problem.line, problem.column) == ("mine.csv", line, column)
    assert fragment in problem.problem
    where = f"mine.csv, line {line}"
    if column is not None:
        where += f", column {CSV_HEADER.index(column) + 1} ({column})"
    assert str(problem) == f"{where}: {problem.problem}"


def test_a_problem_late_in_the_file_returns_nothing() -> None:
    text = GOLDEN_CSV + with_cell("reps", "many") + "\n"
    with pytest.raises(ImportProblem, match=r"line 6, column 6 \(reps\)"):
        parse_sets_csv(text, "late.csv")


# ---------------------------------------------------------------- round trip

ids = st.text("0123456789abcdef", min_size=32, max_size=32)
#: Any text, formulas and marks included: the export neutralises, the import restores.
names = st.text(min_size=1, max_size=8)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    # Fixed offsets only: aware datetimes in a DST fold never compare equal across zones.
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5, minutes=-30))]),
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def sessions(draw: st.DrawFn, session_id: str) -> SessionRecord:
    exercise = draw(names)
    goal = draw(st.sampled_from(GOAL_IDS))
    source = draw(st.sampled_from(Source))
    sets = []
    for index in range(1, draw(st.integers(1, 4)) + 1):
        start = draw(moments)
        span = timedelta(seconds=draw(st.integers(0, 3600)))
        sets.append(
            CompletedSet(
                session_id,
                exercise,
                goal,
                index,
                draw(st.integers(0, 50)),
                draw(st.integers(0, 60)),
                start,
                start + span,
                span.total_seconds(),
                0.0,
                source,
                draw(st.booleans()),
            )
        )
    return a_session(
        session_id,
        tuple(sets),
        exercise=exercise,
        goal=goal,
        source=source,
        feeling=draw(st.none() | st.sampled_from(Feeling)),
    )


session_lists = st.lists(ids, unique=True, max_size=4).flatmap(
    lambda names: st.tuples(*(sessions(name) for name in names))
)


@settings(deadline=None)  # the first example loads the session module: slow on a busy machine
@given(session_lists)
def test_csv_round_trip_is_lossless(records: tuple[SessionRecord, ...]) -> None:
    text = sets_to_csv(records)
    back = parse_sets_csv(text, "round.csv")
    assert [s.session_id for s in back] == [s.session_id for s in records]
    for original, parsed in zip(records, back, strict=True):
        assert (parsed.exercise, parsed.goal, parsed.source, parsed.feeling) == (
            original.exercise,
            original.goal,
            original.source,
            original.feeling,
        )
        assert parsed.sets == original.sets
    assert sets_to_csv(back) == text


# ---------------------------------------------------------------- spreadsheets


def test_a_session_without_sets_has_no_csv_row_and_is_not_counted() -> None:
    empty = a_session(S, ())
    assert tally([FIRST, SECOND, empty]).sessions == 2
    assert S not in sets_to_csv([FIRST, empty])


def test_what_a_spreadsheet_writes_back_reads_as_the_export() -> None:
    # LibreOffice quotes only what holds its separator; it writes truth values in capitals.
    saved = GOLDEN_CSV.replace('"stretch, seated"', "EXERCISE").replace(",", ";")
    saved = saved.replace("EXERCISE", "stretch, seated").replace("false", "FALSE")
    saved = "\ufeff" + saved.replace("true", "TRUE").replace("\n", "\r\n")
    assert parse_sets_csv(saved.encode(), "calc.csv") == parse_sets_csv(GOLDEN_CSV, "ours.csv")


def test_times_without_an_offset_are_local_and_marked() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    lines = [HEADER, with_cell("started_at", "2026-11-24 10:00", ROW)]
    rows = list(read_rows(io.BytesIO("\n".join(lines).encode()), "local.csv", berlin))
    assert rows[0].local_time
    assert rows[0].record.started_at == T0  # 10:00 in Berlin is 09:00 UTC in November
    assert not next(read_rows(io.BytesIO(GOLDEN_CSV.encode()), "utc.csv", berlin)).local_time
    with pytest.raises(ImportProblem, match="outside the calendar"):
        parse_sets_csv(
            "\n".join([HEADER, with_cell("started_at", "0001-01-01 00:00", ROW)]),
            "edge.csv",
            ZoneInfo("Asia/Tokyo"),
        )


def test_every_neutralised_cell_reads_back_as_it_was() -> None:
    for cell in ("=1+2", "+x", "-3", "@SUM(A1)", "\tx", "\rx", "'quoted", "''", "plain", ""):
        marked = neutralised(cell)
        assert marked == cell or marked == "'" + cell
        assert not marked.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert (marked[1:] if marked.startswith("'") else marked) == cell
