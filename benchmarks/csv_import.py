"""A very large CSV import: time and peak memory, the old in-memory way against the stream.

    .venv/bin/python -m benchmarks.csv_import                 1 000 000 rows, both ways
    .venv/bin/python -m benchmarks.csv_import --rows 200000 --ways stream thread

"before" is what the history window did until the import streamed: the whole file read,
parsed into records (``parse_sets_csv``) and written with ``Store.import_sessions``, on the
GUI thread. "stream" is ``Store.import_csv_file`` alone; "thread" runs it the way the
window does, on an ``ImportJob``, and measures how late a 10 ms timer on the GUI thread
fires meanwhile. Each way runs in a fresh process into an empty log; peak RSS is that
process's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from stretchbreak.core.export import CSV_HEADER_LINE

SETS_PER_SESSION = 4


def write_file(path: Path, rows: int) -> None:
    """``rows`` sets in sessions of four, each row about 150 bytes like a real export."""
    start = datetime(2020, 1, 1, 9, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(CSV_HEADER_LINE + "\n")
        for row in range(rows):
            session, index = divmod(row, SETS_PER_SESSION)
            begin = start + timedelta(minutes=5 * session + index)
            end = begin + timedelta(seconds=40)
            out.write(
                f"{session:032x},dynamic-back-stretch,recovery,prompt,{index + 1},8,3,"
                f"{begin.isoformat()},{end.isoformat()},false,just-right\n"
            )


def gui_child(csv_path: Path) -> dict[str, float]:
    """The stream on the history window's worker thread: how late the GUI thread answers.

    A 10 ms timer on the GUI thread stands for the user's clicks and repaints; its worst
    lateness while the import runs is the longest the window could not react.
    """
    from PySide6.QtCore import QCoreApplication, QTimer

    from stretchbreak.infra.export_file import write_export
    from stretchbreak.infra.store import Store
    from stretchbreak.services.history_book import HistoryBook

    class Clock:
        def now(self) -> datetime:
            return datetime.now(UTC)

        def monotonic(self) -> float:
            return time.monotonic()

    app = QCoreApplication([])
    folder = Path(tempfile.mkdtemp(prefix="sb-import-"))
    store = Store.open(folder / "stretchbreak.sqlite3", tz=UTC)
    book = HistoryBook(store, Clock(), lambda: UTC, write_file=write_export)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    job = book.start_import(csv_path)
    ended: list[float] = []

    def on_imported(_: object) -> None:
        ended.append(time.perf_counter())
        app.quit()

    def on_failed(message: str) -> None:
        print(message, file=sys.stderr)
        app.quit()

    job.imported.connect(on_imported)
    job.failed.connect(on_failed)
    began = time.perf_counter()
    timer.start()
    job.start()
    app.exec()
    book.stop_imports()
    sets = store.count_sets()
    store.close()
    gaps.sort()
    return {
        "seconds": ended[0] - began,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "sets": sets,
        "sessions": sets // SETS_PER_SESSION,
        "gui_worst_ms": 1000 * gaps[-1],
        "gui_p99_ms": 1000 * gaps[int(0.99 * (len(gaps) - 1))],
        "gui_median_ms": 1000 * gaps[len(gaps) // 2],
    }


def child(way: str, csv_path: Path) -> None:
    if way == "thread":
        print(json.dumps({"way": way, **gui_child(csv_path)}))
        return
    from stretchbreak.core.csv_import import parse_sets_csv
    from stretchbreak.infra.store import Store

    folder = Path(tempfile.mkdtemp(prefix="sb-import-"))
    began = time.perf_counter()
    with Store.open(folder / "stretchbreak.sqlite3", tz=UTC) as store:
        if way == "before":
            records = parse_sets_csv(csv_path.read_bytes(), str(csv_path))
            locked = time.perf_counter()  # import_sessions is one write transaction
            added = store.import_sessions(records).added
            lock_s = time.perf_counter() - locked
        else:
            from stretchbreak.infra import store_import

            add = store_import._add
            spans: list[float] = []

            def timed_add(*args: Any) -> Any:  # the only part that holds the write lock
                locked = time.perf_counter()
                try:
                    return add(*args)
                finally:
                    spans.append(time.perf_counter() - locked)

            store_import._add = timed_add  # type: ignore[assignment]
            added = store.import_csv_file(csv_path, UTC, lambda *_: None, lambda: False).added
            lock_s = spans[0]
        sets = store.count_sets()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "way": way,
                "seconds": seconds,
                "peak_mib": peak,
                "sets": sets,
                "sessions": added,
                "lock_s": lock_s,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--ways", nargs="+", choices=["before", "stream", "thread"], default=["before", "thread"]
    )
    parser.add_argument("--child", nargs=2, metavar=("WAY", "CSV"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="sb-csv-") as folder:
        csv_path = Path(folder) / "history.csv"
        write_file(csv_path, args.rows)
        size = csv_path.stat().st_size / 1e6
        print(f"{args.rows} rows, {size:.0f} MB")
        for way in args.ways:
            found = subprocess.run(
                [sys.executable, "-m", "benchmarks.csv_import", "--child", way, str(csv_path)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(found.stdout)
            lock = figures.get("lock_s")
            locked = f", write lock held {lock:.1f} s" if lock == lock and lock else ""
            gui = (
                f", GUI thread answered within {figures['gui_worst_ms']:.0f} ms "
                f"(99 % within {figures['gui_p99_ms']:.0f} ms, "
                f"median {figures['gui_median_ms']:.0f} ms)"
                if "gui_worst_ms" in figures
                else ""
            )
            print(
                f"{way:>7}: {figures['seconds']:.1f} s, peak RSS {figures['peak_mib']:.0f} MiB, "
                f"{figures['sets']} sets in {figures['sessions']} sessions{locked}{gui}"
            )


if __name__ == "__main__":
    main()
