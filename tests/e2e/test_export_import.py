"""Exports a spreadsheet can open safely and give back: through the real command and store.

``stretchbreak history --format csv|json`` runs as a subprocess with ``--data-dir``; the
way back is the store's streamed import, the one the history window runs on its thread;
the spreadsheet is LibreOffice Calc, headless, with a private home folder.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.csv_import import ImportCancelled, ImportProblem
from stretchbreak.core.history import SessionRecord
from stretchbreak.infra.store import Store
from tests.e2e.test_history_cli import history, record

START = datetime(2026, 11, 2, 10, 0, 12, 345678, tzinfo=UTC)
OURS = "0123456789abcdef0123456789abcdef"
ALSO_OURS = "fedcba9876543210fedcba9876543210"
#: A session id planted by a hand-edited database or an old import: a formula.
HOSTILE = "=cmd|' /C calc'!A0"


def seeded(data_dir: Path, *records: SessionRecord) -> Path:
    with Store.open(data_dir / "stretchbreak.sqlite3") as store:
        store.import_sessions(records)
    return data_dir


def test_csv_and_json_times_are_utc_to_the_second(tmp_path: Path) -> None:
    seeded(tmp_path, record(OURS, START, [8, 8]))
    rows = list(csv.DictReader(io.StringIO(history(tmp_path, "--format", "csv").stdout)))
    assert rows[0]["started_at"] == "2026-11-02T10:01:12+00:00"
    assert rows[0]["completed_at"] == "2026-11-02T10:01:57+00:00"
    data = json.loads(history(tmp_path, "--format", "json").stdout)
    assert data[0]["started_at"] == "2026-11-02T10:00:12+00:00"
    assert data[0]["sets"][1]["completed_at"] == "2026-11-02T10:02:57+00:00"


def test_cells_a_spreadsheet_would_run_are_neutralised_and_refused_back(tmp_path: Path) -> None:
    planted = replace(record(HOSTILE, START, [8]), exercise="@SUM(1+1)*cmd")
    planted = replace(planted, sets=tuple(replace(s, session_id=HOSTILE) for s in planted.sets))
    seeded(tmp_path, planted)
    text = history(tmp_path, "--format", "csv").stdout
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["session_id"] == "'" + HOSTILE
    assert row["exercise"] == "'@SUM(1+1)*cmd"
    exported = tmp_path / "export.csv"
    exported.write_text(text)
    with Store.open(tmp_path / "other" / "stretchbreak.sqlite3") as other:
        with pytest.raises(ImportProblem) as refused:
            other.import_csv_file(exported, UTC, lambda *_: None, lambda: False)
        assert other.sessions() == []
    assert str(refused.value).startswith(f"{exported}, line 2, column 1 (session_id): ")
    assert "=cmd|' /C calc'!A0" in str(refused.value)


def test_a_calendar_edge_names_its_line(tmp_path: Path) -> None:
    seeded(tmp_path, record(OURS, START, [8, 8]))
    text = history(tmp_path, "--format", "csv").stdout.replace(
        "2026-11-02T10:02:57+00:00", "0001-01-01T00:00:00+14:00"
    )
    edited = tmp_path / "edited.csv"
    edited.write_text(text)
    calendar = r"line 3, column 9 \(completed_at\).*calendar"
    with (
        Store.open(tmp_path / "other" / "stretchbreak.sqlite3") as other,
        pytest.raises(ImportProblem, match=calendar),
    ):
        other.import_csv_file(edited, UTC, lambda *_: None, lambda: False)


def test_a_cancelled_import_leaves_the_log_untouched(tmp_path: Path) -> None:
    many = [record(f"{n:032x}", START + timedelta(hours=n), [8, 8, 6]) for n in range(1, 1500)]
    seeded(tmp_path, *many)
    exported = tmp_path / "many.csv"
    exported.write_text(history(tmp_path, "--format", "csv").stdout)
    seen: list[tuple[int, int]] = []
    with Store.open(tmp_path / "other" / "stretchbreak.sqlite3") as other:
        other.import_sessions([record(ALSO_OURS, START, [5])])
        before = other.sessions()
        with pytest.raises(ImportCancelled):
            other.import_csv_file(exported, UTC, lambda *done: seen.append(done), lambda: True)
        assert other.sessions() == before
        result = other.import_csv_file(exported, UTC, lambda *done: seen.append(done), bool)
        assert (result.added, result.skipped) == (1499, 0)
    assert seen[0][0] < seen[-1][0] == seen[-1][1] == exported.stat().st_size


def test_a_cancel_while_the_log_is_locked_rolls_everything_back(tmp_path: Path) -> None:
    many = [record(f"{n:032x}", START + timedelta(hours=n), [8, 8, 6]) for n in range(1, 1500)]
    seeded(tmp_path, *many)
    exported = tmp_path / "many.csv"
    exported.write_text(history(tmp_path, "--format", "csv").stdout)
    size = exported.stat().st_size
    seen: list[int] = []
    with Store.open(tmp_path / "other" / "stretchbreak.sqlite3") as other:
        before = other.sessions()
        with pytest.raises(ImportCancelled):
            # Cancelled only once the whole file was read: during the final transaction.
            other.import_csv_file(
                exported, UTC, lambda done, _: seen.append(done), lambda: seen[-1] == size
            )
        assert other.sessions() == before
        assert other.count_sets() == 0


def spreadsheet_round_trip(source: Path, out: Path, separator: int) -> Path:
    """Open and save ``source`` with LibreOffice Calc, as a user would, in a fresh profile."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    home = out / "home"
    home.mkdir(parents=True)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{separator},34,76",
            "--outdir",
            str(out),
            str(source),
        ],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=180,
        check=True,
    )
    return out / source.name


@pytest.mark.parametrize(("separator", "char"), [(59, ";"), (44, ",")])
def test_an_export_saved_by_libreoffice_calc_imports_cleanly(
    tmp_path: Path, separator: int, char: str
) -> None:
    sessions = [
        record(OURS, START, [8, 8]),
        record(ALSO_OURS, START + timedelta(days=3), [6, 3], partial_last=True),
    ]
    seeded(tmp_path, *sessions)
    exported = tmp_path / "history.csv"
    exported.write_text(history(tmp_path, "--format", "csv").stdout)
    saved = spreadsheet_round_trip(exported, tmp_path / "calc", separator)
    assert saved.read_text().splitlines()[0].count(char) == 10
    with Store.open(tmp_path / "back" / "stretchbreak.sqlite3") as back:
        result = back.import_csv_file(saved, ZoneInfo("Europe/Berlin"), lambda *_: None, bool)
        assert (result.added, result.skipped, result.local_time) == (2, 0, False)
        assert history(tmp_path / "back", "--format", "csv").stdout == exported.read_text()


def test_times_rewritten_without_offset_or_seconds_are_local_and_said_so(
    tmp_path: Path,
) -> None:
    seeded(tmp_path, record(OURS, START, [8]))
    text = history(tmp_path, "--format", "csv").stdout
    # What a spreadsheet set to local time writes back: Berlin is UTC+1 in November.
    text = text.replace("2026-11-02T10:01:12+00:00", "2026-11-02 11:01")
    text = text.replace("2026-11-02T10:01:57+00:00", "2026-11-02 11:01:57")
    edited = tmp_path / "local.csv"
    edited.write_bytes(b"\xef\xbb\xbf" + text.replace(",", ";").replace("\n", "\r\n").encode())
    with Store.open(tmp_path / "back" / "stretchbreak.sqlite3") as back:
        result = back.import_csv_file(edited, ZoneInfo("Europe/Berlin"), lambda *_: None, bool)
        assert (result.added, result.local_time) == (1, True)
        (done,) = back.sessions()[0].sets
    assert done.started_at == datetime(2026, 11, 2, 10, 1, tzinfo=UTC)
    assert done.completed_at == datetime(2026, 11, 2, 10, 1, 57, tzinfo=UTC)


def test_the_streamed_import_keeps_what_the_rules_rebuild(tmp_path: Path) -> None:
    """The stream adds each session up in SQL; the rules must give what they give in memory."""
    from stretchbreak.core.csv_import import parse_sets_csv

    header, *lines = history(
        seeded(
            tmp_path,
            record(OURS, START, [8, 8, 3], partial_last=True),
            record(ALSO_OURS, START + timedelta(days=1), [6, 9]),
        ),
        "--format",
        "csv",
    ).stdout.splitlines()
    # Rows of one session apart and out of order; a time with a fraction; an offset.
    lines = [lines[2], lines[3], lines[0], lines[4].replace("+00:00", ".250000+00:00", 1), lines[1]]
    lines.append(lines.pop(0).replace("10:03:00+00:00", "11:03:00+01:00"))
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join([header, *lines]) + "\n")
    with (
        Store.open(tmp_path / "streamed" / "stretchbreak.sqlite3") as streamed,
        Store.open(tmp_path / "in-memory" / "stretchbreak.sqlite3") as in_memory,
    ):
        streamed.import_csv_file(mixed, UTC, lambda *_: None, bool)
        in_memory.import_sessions(parse_sets_csv(mixed.read_bytes(), str(mixed)))
        assert streamed.sessions() == in_memory.sessions()
        assert [s.outcome for s in streamed.sessions()] == ["cancelled", "completed"]
        assert streamed.sessions()[0].target_sets == 2
