"""How long committing one set takes, and loading a long history.

    .venv/bin/python -m benchmarks.store_commit [--sets 1000] [--sessions 20000] [--dir DIR]
        [--json FILE] [--no-history]

Commits go through ``Store.record_set`` exactly as the app makes them (WAL, synchronous=NORMAL,
one transaction per set). The history (20 000 sessions × 5 sets = 100 000 sets by default) is
inserted with ``executemany`` for speed, then read back with ``Store.sessions()`` and
``Store.session_digests()``. ``--dir`` measures on a particular disk; by default a temporary
folder is used.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import bulk_insert
from stretchbreak.core.history import CompletedSet, Source
from stretchbreak.core.session_values import SessionStarted, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_rows import to_text

T0 = datetime(2024, 1, 1, 9, tzinfo=UTC)
SETS_PER_SESSION = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sets", type=int, default=1000, help="sets to commit one by one")
    parser.add_argument("--sessions", type=int, default=20_000, help="sessions in the history")
    parser.add_argument("--dir", type=Path, help="where to put the databases")
    parser.add_argument("--json", type=Path, help="write the commit figures to this file")
    parser.add_argument("--no-history", action="store_true", help="skip the history reads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        timings = commit_timings(Path(folder) / "commits.sqlite3", args.sets)
        floor = floor_commit_timings(Path(folder) / "floor.sqlite3", args.sets)
        rows = [
            (f"record_set, {args.sets} commits", *_summary(timings)),
            (f"floor: bare INSERT + COMMIT, {args.sets} commits", *_summary(floor)),
        ]
        if not args.no_history:
            rows += measure_history(Path(folder) / "history.sqlite3", args.sessions)
    if args.json:
        figures = {
            "commit_ms": statistics.median(timings) * 1000,
            "commit_p95_ms": _p95(timings) * 1000,
            "floor_commit_ms": statistics.median(floor) * 1000,
            "commits": args.sets,
        }
        args.json.write_text(json.dumps(figures, indent=2))
    calibration = min(_repeat(lambda: sum(range(1_000_000)), 5))
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    print(f"this machine: sum(range(10**6)) takes {_ms(calibration)} (a recent laptop: ~10 ms)")
    print(f"{'measurement':<46} {'median':>10} {'p95':>10}")
    for name, median, p95 in rows:
        print(f"{name:<46} {median:>10} {p95:>10}")
    return 0


def floor_commit_timings(path: Path, count: int) -> list[float]:
    """The least SQLite can do per set: one row, one transaction, same journal and sync."""
    timings: list[float] = []
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE sets (session TEXT, idx INTEGER, reps INTEGER, at TEXT)")
    for number in range(count):
        begun = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO sets VALUES (?, ?, ?, ?)", ("s", number, 8, "t"))
        connection.execute("COMMIT")
        timings.append(time.perf_counter() - begun)
    connection.close()
    return timings


def commit_timings(path: Path, count: int) -> list[float]:
    """Time every ``record_set`` on its own: what the user waits for after each set."""
    timings: list[float] = []
    with Store.open(path) as store:
        for number in range(count):
            session, index = f"s{number // SETS_PER_SESSION}", number % SETS_PER_SESSION + 1
            at = T0 + timedelta(minutes=number)
            if index == 1:
                store.record_session_started(
                    SessionStarted(
                        session, "ex", "g", Target(5, 8, 3), TempoMode.GUIDED, Source.PROMPT, at
                    )
                )
            done = CompletedSet(
                session, "ex", "g", index, 8, 3, at, at + timedelta(seconds=45), 42.0, 3.0,
                Source.PROMPT,
            )  # fmt: skip
            begun = time.perf_counter()
            store.record_set(done)
            timings.append(time.perf_counter() - begun)
    return timings


def measure_history(path: Path, sessions: int) -> list[tuple[str, str, str]]:
    Store.open(path).close()  # the schema, exactly as the app creates it
    fill(path, sessions)
    total = sessions * SETS_PER_SESSION
    opened: list[float] = []
    for _ in range(3):
        begun = time.perf_counter()
        Store.open(path).close()
        opened.append(time.perf_counter() - begun)
    results = [(f"Store.open with {total} sets (quick_check)", *_summary(opened))]
    with Store.open(path) as store:
        last_day = (T0 + timedelta(hours=sessions)).date()
        for name, query in (
            (f"sessions(), all {total} sets", store.sessions),
            (f"session_digests(), all {total} sets", store.session_digests),
            ("sessions(), the last 30 days", lambda: store.sessions(last_day - timedelta(30))),
            ("sessions(), one day", lambda: store.sessions(date(2024, 6, 1), date(2024, 6, 1))),
            ("last_session(exercise, goal, with_sets=True)", lambda: store.last_session("ex", "g")),
        ):
            results.append((name, *_summary(_repeat(query, 5))))
    return results


def fill(path: Path, sessions: int) -> None:
    """One session an hour, each with five sets; inserted in bulk, not one commit each."""
    session_rows, set_rows = [], []
    for number in range(sessions):
        at = T0 + timedelta(hours=number)
        session_id = f"h{number:06}"
        session_rows.append(
            (session_id, "ex", "g", "prompt", "guided", 5, 8, 3, to_text(at),
             to_text(at + timedelta(minutes=5)), "completed", "just-right")
        )  # fmt: skip
        for index in range(1, SETS_PER_SESSION + 1):
            begun = at + timedelta(minutes=index)
            set_rows.append(
                (session_id, index, 8, 3, to_text(begun), to_text(begun + timedelta(seconds=45)),
                 42.0, 3.0, 0)
            )  # fmt: skip
    bulk_insert(path, session_rows, set_rows)


def _repeat(query: Callable[[], object], times: int) -> list[float]:
    timings = []
    for _ in range(times):
        begun = time.perf_counter()
        query()
        timings.append(time.perf_counter() - begun)
    return timings


def _summary(timings: list[float]) -> tuple[str, str]:
    return _ms(statistics.median(timings)), _ms(_p95(timings))


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
