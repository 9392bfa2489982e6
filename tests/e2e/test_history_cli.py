"""``stretchbreak history`` as a user's script runs it: exact formats, exit codes, no display."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.history import CompletedSet, Feeling, Outcome, SessionRecord, Source
from stretchbreak.infra.store import Store

HEADER = "session_id,exercise,goal,source,set,reps,hold_s,started_at,completed_at,partial,feeling"


def record(
    session_id: str, start: datetime, reps: list[int], partial_last: bool = False
) -> SessionRecord:
    sets = tuple(
        CompletedSet(
            session_id,
            "dynamic-back-stretch",
            "recovery",
            i,
            count,
            4,
            start + timedelta(minutes=i),
            start + timedelta(minutes=i, seconds=45),
            45.0,
            0.0,
            Source.PROMPT,
            partial_last and i == len(reps),
        )
        for i, count in enumerate(reps, start=1)
    )
    return SessionRecord(
        session_id,
        "dynamic-back-stretch",
        "recovery",
        Source.PROMPT,
        "guided",
        len(reps),
        max(reps),
        4,
        start,
        start + timedelta(minutes=5),
        Outcome.CANCELLED if partial_last else Outcome.COMPLETED,
        None if partial_last else Feeling.HARD,
        sets,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with Store.open(tmp_path / "stretchbreak.sqlite3") as store:
        store.import_sessions(
            [
                record("a", datetime(2026, 11, 2, 10, tzinfo=UTC), [8, 8]),
                record("b", datetime(2026, 11, 20, 10, tzinfo=UTC), [6, 3], partial_last=True),
            ]
        )
    return tmp_path


def history(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env["TZ"] = "UTC"
    return subprocess.run(
        [sys.executable, "-m", "stretchbreak", "--data-dir", str(data_dir), "history", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_csv_has_the_exact_header_and_one_row_per_set(data_dir: Path) -> None:
    result = history(data_dir, "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["session_id"], r["set"], r["reps"], r["partial"]) for r in rows] == [
        ("a", "1", "8", "false"),
        ("a", "2", "8", "false"),
        ("b", "1", "6", "false"),
        ("b", "2", "3", "true"),
    ]
    assert rows[0]["started_at"] == "2026-11-02T10:01:00+00:00"
    assert rows[0]["feeling"] == "hard"
    assert rows[2]["feeling"] == ""


def test_the_streamed_csv_is_byte_for_byte_what_sets_to_csv_writes(tmp_path: Path) -> None:
    """The command line writes from SQL directly; the window's export goes through records."""
    start = datetime(2026, 11, 24, 9, 30, 15, 250, tzinfo=UTC)
    odd = record("odd,id", start + timedelta(hours=2), [5, 4], partial_last=True)
    with Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC) as store:
        store.import_sessions(
            [
                record("a", datetime(2026, 11, 2, 10, tzinfo=UTC), [8, 8]),
                record("micro", start, [6, 7, 7]),
                replace(odd, exercise='seated "slow"\nstretch'),
                replace(record("empty", start + timedelta(hours=3), [1]), sets=()),
            ]
        )
        everything, recent = store.sessions(), store.sessions(since=date(2026, 11, 24))
    assert history(tmp_path, "--format", "csv").stdout == sets_to_csv(everything)
    since = history(tmp_path, "--format", "csv", "--since", "2026-11-24")
    assert since.stdout == sets_to_csv(recent)
    assert '"odd,id","seated ""slow""\nstretch"' in since.stdout


def test_json_lists_sessions_with_their_sets(data_dir: Path) -> None:
    result = history(data_dir, "--format", "json")
    assert result.returncode == 0, result.stderr
    sessions = json.loads(result.stdout)
    assert [list(s) for s in sessions] == [
        [
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
    ] * 2
    assert list(sessions[1]["sets"][1]) == [
        "set",
        "reps",
        "hold_s",
        "started_at",
        "completed_at",
        "partial",
    ]
    assert sessions[1]["sets"][1]["partial"] is True
    assert sessions[1]["outcome"] == "cancelled"


def test_since_and_until_pick_local_days(data_dir: Path) -> None:
    result = history(data_dir, "--since", "2026-11-10", "--format", "json")
    assert [s["session_id"] for s in json.loads(result.stdout)] == ["b"]
    result = history(data_dir, "--until", "2026-11-02", "--format", "json")
    assert [s["session_id"] for s in json.loads(result.stdout)] == ["a"]


def test_the_table_is_for_people(data_dir: Path) -> None:
    result = history(data_dir)
    assert result.returncode == 0
    assert "2026-11-02" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("Total")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-13-01"), "--since '2026-13-01' is not a date"),
        (("--until", "yesterday"), "--until 'yesterday' is not a date"),
        (("--since", "2026-11-20", "--until", "2026-11-01"), "is after --until"),
    ],
)
def test_a_bad_date_is_one_line_and_exit_2(
    data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    result = history(data_dir, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert message in result.stderr


def test_an_unknown_format_is_a_usage_error(data_dir: Path) -> None:
    result = history(data_dir, "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_no_history_yet_prints_an_empty_log_and_creates_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "none"
    assert history(empty, "--format", "csv").stdout == HEADER + "\n"
    assert history(empty, "--format", "json").stdout.strip() == "[]"
    assert not empty.exists()


def test_a_damaged_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    damaged = tmp_path / "stretchbreak.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    result = history(tmp_path, "--format", "csv")
    assert result.returncode == 1
    assert str(damaged) in result.stderr
    assert "Traceback" not in result.stderr
    assert damaged.read_bytes() == b"this is not a database" * 100
