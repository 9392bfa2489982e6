"""How long the history takes to open with a long log, in the window and on the command line.

    .venv/bin/python -m benchmarks.history_open [--sessions 20000] [--runs 7] [--xvfb]
                                                [--tz Europe/Berlin] [--dir DIR] [--no-cli]

A temporary database gets ``--sessions`` sessions of five sets each (100 000 sets by
default), one every 52 minutes, so they span about two years, with a mix of goals, sources,
feelings, cancelled sessions with a partial last set, and a prompt for every prompted
session; it is filled with ``executemany``, not set by set (the store's triggers still run
for every set). Offscreen unless ``--xvfb`` (or a ``DISPLAY`` is already set), each figure is
the median, min and max of ``--runs`` runs of:

* ``Store.sessions()``, whole records as the window loaded them once, for scale;
* ``HistoryBook.snapshot()`` by a new book (nothing computed yet), and by a book that has
  computed it before from the same, unchanged log;
* first open, cold: a new process per run that starts as the app does (Qt, the store, the
  book, the exercise) and shows a menu as the tray does, then from the request on imports
  the window's module, builds the window and ``open()``s it, up to its first Paint event
  ("first paint") and up to the end of the event-loop pass that painted it ("frame done");
* first open in a warm process: the same on a new store, book and window each run, in this
  process, so the libraries are already loaded;
* reopen: ``open()`` on a window already built and hidden, as the tray's second click, on
  an unchanged log and after one more set was recorded while it was hidden (the usual case:
  the snapshot must be computed again);
* sorting: the first sort by another column than the time after such a reopen (it reads
  every session the table had not needed yet), then a sort by each column;

and, as a subprocess, ``stretchbreak --data-dir DIR history --format csv > /dev/null``.
The file is in the system's cache, having just been written, as it usually is for the app.
Targets: open with 100 000 sets within 300 ms, the CSV within 1 s. ``--tz`` sets ``TZ`` for
every process, so local days are computed the way a user away from UTC gets them.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shared import bulk_insert, start_xvfb  # noqa: E402

T0 = datetime(2024, 1, 1, 8, tzinfo=UTC)
SETS_PER_SESSION = 5
SPACING = timedelta(minutes=52)
GOALS = ("warmup", "mobility", "recovery", "desk-reset")
FEELINGS = ("easy", "just-right", "hard", None)
EXERCISE = "dynamic-back-stretch"

Rows = list[tuple[str, list[float]]]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20_000, help="sessions of five sets")
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    parser.add_argument("--xvfb", action="store_true", help="measure on a real X server (Xvfb)")
    parser.add_argument("--tz", default="Europe/Berlin", help="the user's time zone (TZ)")
    parser.add_argument("--dir", type=Path, help="where to put the database")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line timing")
    parser.add_argument("--json", type=Path, help="also write the headline figures here")
    parser.add_argument(
        "--cold-child", nargs=2, metavar=("DATABASE", "NOW"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    os.environ["TZ"] = args.tz
    time.tzset()
    if args.cold_child:
        _quiet_qt()
        database, now = Path(args.cold_child[0]), datetime.fromisoformat(args.cold_child[1])
        print(json.dumps(cold_open(database, now)))
        return 0
    server = start_xvfb(":96") if args.xvfb else None
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            data_dir = Path(folder)
            database = data_dir / "stretchbreak.sqlite3"
            begun = time.perf_counter()
            last = fill(database, args.sessions)
            filled = time.perf_counter() - begun
            now = last + timedelta(hours=2)
            rows = measure_cold(database, now, args.runs)
            rows += measure_window(database, now, args.runs)
            if not args.no_cli:
                rows.append(measure_cli(data_dir, args.runs))
                rows.append(measure_floor_csv(database, args.runs))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    sets = args.sessions * SETS_PER_SESSION
    calibration = min(_repeat(lambda: sum(range(1_000_000)), 5))
    print(f"{args.sessions} sessions, {sets} sets (filled in {filled:.1f} s); TZ={args.tz}")
    print(f"this machine: sum(range(10**6)) takes {_ms(calibration)} (a recent laptop: ~10 ms)")
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, ", end="")
    print(f"platform {os.environ.get('QT_QPA_PLATFORM', 'default')}, {args.runs} runs each")
    if args.json:
        args.json.write_text(json.dumps(headline(rows), indent=2))
    print(f"{'measurement':<62} {'median':>10} {'min':>10} {'max':>10}")
    for name, timings in rows:
        print(
            f"{name:<62} {_ms(statistics.median(timings)):>10} {_ms(min(timings)):>10}"
            f" {_ms(max(timings)):>10}"
        )
    return 0


def fill(path: Path, sessions: int) -> datetime:
    """Create the schema as the app does, then insert the whole history in one transaction."""
    from stretchbreak.infra.store import Store
    from stretchbreak.infra.store_rows import to_text

    Store.open(path).close()
    session_rows: list[tuple[object, ...]] = []
    set_rows: list[tuple[object, ...]] = []
    prompt_rows: list[tuple[object, ...]] = []
    at = T0
    for number in range(sessions):
        at = T0 + number * SPACING
        session_id = f"h{number:06}"
        cut = number % 9 == 4  # cancelled during its last set, which is kept as partial
        source = "prompt" if number % 3 else "manual"
        feeling = None if cut else FEELINGS[number % len(FEELINGS)]
        session_rows.append(
            (session_id, EXERCISE, GOALS[number % len(GOALS)], source, "guided", 5, 8, 3,
             to_text(at), to_text(at + timedelta(minutes=6)), "cancelled" if cut else "completed",
             feeling)
        )  # fmt: skip
        for index in range(1, SETS_PER_SESSION + 1):
            begun = at + timedelta(minutes=index, microseconds=number % 1000)
            partial = cut and index == SETS_PER_SESSION
            set_rows.append(
                (session_id, index, 3 if partial else 6 + number % 4, 3, to_text(begun),
                 to_text(begun + timedelta(seconds=45)), 42.0 + index / 8, 3.0, int(partial))
            )  # fmt: skip
        if source == "prompt":
            due = to_text(at - timedelta(seconds=30))
            prompt_rows.append((due, due, "started", to_text(at - timedelta(seconds=5))))
    bulk_insert(path, session_rows, set_rows, prompt_rows)
    return at


def _quiet_qt() -> None:
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "does not support raise()" not in message:  # the offscreen platform, every open
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return time.monotonic()


def _paint_spy() -> Any:
    """An event filter that notes the time of the first Paint event after each ``reset``."""
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    return FirstPaint()


def _until_painted(spy: Any, action: Callable[[], object]) -> tuple[float, float]:
    """Seconds from the start of ``action`` to the first paint, and to that frame's end."""
    from PySide6.QtWidgets import QApplication

    spy.at = None
    begun = time.perf_counter()
    action()
    while spy.at is None:
        QApplication.processEvents()
    return spy.at - begun, time.perf_counter() - begun


def cold_open(database: Path, now: datetime) -> dict[str, float]:
    """One first open in a fresh process, after a start-up like the app's (not timed).

    Importing ``stretchbreak.app.compose`` loads what the running app has loaded before the first
    click on "History"; the window's own modules are loaded lazily by the app, so they are
    part of what is timed here, as they are for the user.
    """
    from PySide6.QtWidgets import QApplication

    import stretchbreak.app.compose  # noqa: F401
    from stretchbreak.infra.export_file import write_export
    from stretchbreak.infra.local_time import local_zone
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.infra.store import Store
    from stretchbreak.services.history_book import HistoryBook

    app = QApplication(sys.argv[:1])
    zone = local_zone()
    store = Store.open(database, tz=zone)
    book = HistoryBook(store, _Clock(now), lambda: zone, write_file=write_export)
    exercise = load_bundled_exercise()
    _show_a_menu(app)
    spy = _paint_spy()
    built = []

    def request() -> None:
        from stretchbreak.ui.history_window import HistoryWindow

        window = HistoryWindow(book, exercise)
        window.installEventFilter(spy)
        built.append(window)
        window.open()

    paint, frame = _until_painted(spy, request)
    built[0].close()
    store.close()
    return {"paint": paint, "frame": frame}


def _show_a_menu(app: Any) -> None:
    """Show and close a menu, as the tray's is before its "History" is clicked.

    The first text a process lays out loads its fonts; in the app a menu or window always
    did that before the history is asked for, so it is not part of the window's time.
    """
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    menu.addAction("History")
    menu.popup(menu.pos())
    while not menu.isVisible():
        app.processEvents()
    for _ in range(5):
        app.processEvents()
    menu.close()
    app.processEvents()


def measure_cold(database: Path, now: datetime, runs: int) -> Rows:
    """``cold_open`` in a new process per run."""
    command = [sys.executable, "-m", "benchmarks.history_open", "--cold-child"]
    command += [str(database), now.isoformat()]
    found: list[dict[str, float]] = []
    for _ in range(runs):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        found.append(json.loads(done.stdout.splitlines()[-1]))
    return [
        ("first open, cold process, to first paint", [f["paint"] for f in found]),
        ("first open, cold process, to frame done", [f["frame"] for f in found]),
    ]


def measure_window(database: Path, now: datetime, runs: int) -> Rows:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtWidgets import QApplication

    from stretchbreak.core.history import CompletedSet, Source
    from stretchbreak.infra.export_file import write_export
    from stretchbreak.infra.local_time import local_zone
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.infra.store import Store
    from stretchbreak.services.history_book import HistoryBook
    from stretchbreak.ui.history_window import HistoryWindow

    _quiet_qt()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    exercise = load_bundled_exercise()
    zone = local_zone()
    clock = _Clock(now)
    spy = _paint_spy()

    def discard(window: HistoryWindow) -> None:
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        app.processEvents()

    store = Store.open(database, tz=zone)
    try:
        records = _repeat(store.sessions, runs)
        fresh = _repeat(
            lambda: HistoryBook(store, clock, lambda: zone, write_file=write_export).snapshot(),
            runs,
        )
        book = HistoryBook(store, clock, lambda: zone, write_file=write_export)
        shown = book.snapshot().sessions
        assert len(shown) > 0, "the benchmark database is empty"
        unchanged = _repeat(book.snapshot, runs)

        first_paint: list[float] = []
        first_frame: list[float] = []
        for _ in range(runs):
            own = Store.open(database, tz=zone)
            own_book = HistoryBook(own, clock, lambda: zone, write_file=write_export)
            built: list[HistoryWindow] = []

            def build_and_open(
                own_book: HistoryBook = own_book, built: list[HistoryWindow] = built
            ) -> None:
                made = HistoryWindow(own_book, exercise)
                made.installEventFilter(spy)
                built.append(made)
                made.open()

            paint, frame = _until_painted(spy, build_and_open)
            first_paint.append(paint)
            first_frame.append(frame)
            discard(built.pop())
            own.close()

        window = HistoryWindow(book, exercise)
        window.installEventFilter(spy)
        _until_painted(spy, window.open)
        assert window.proxy.rowCount() == len(shown)
        reopen_paint: list[float] = []
        reopen_frame: list[float] = []
        changed_paint: list[float] = []
        changed_frame: list[float] = []
        first_sort: list[float] = []
        for run in range(runs):
            window.hide()
            app.processEvents()
            paint, frame = _until_painted(spy, window.open)
            reopen_paint.append(paint)
            reopen_frame.append(frame)
            window.hide()
            app.processEvents()
            begun = now - timedelta(minutes=30 - run)
            store.record_set(
                CompletedSet(f"extra{run}", EXERCISE, "warmup", 1, 8, 3, begun,
                             begun + timedelta(seconds=45), 42.0, 0.0, Source.MANUAL)
            )  # fmt: skip
            book.notify_changed()  # as the app does; a hidden window does not read yet
            paint, frame = _until_painted(spy, window.open)
            changed_paint.append(paint)
            changed_frame.append(frame)
            begun_at = time.perf_counter()  # the first sort by another column reads them all
            window.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
            first_sort.append(time.perf_counter() - begun_at)
            window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        assert window.proxy.rowCount() == len(shown) + runs
        sorting: list[float] = []
        for column in range(window.model.columnCount()):
            begun_at = time.perf_counter()
            window.table.sortByColumn(column, window.table.horizontalHeader().sortIndicatorOrder())
            sorting.append(time.perf_counter() - begun_at)
        discard(window)
    finally:
        store.close()
    count = len(shown)
    return [
        (f"first open, warm process, to first paint ({count} rows)", first_paint),
        ("first open, warm process, to frame done", first_frame),
        ("reopen, unchanged log, to first paint", reopen_paint),
        ("reopen, unchanged log, to frame done", reopen_frame),
        ("reopen after one more set, to first paint", changed_paint),
        ("reopen after one more set, to frame done", changed_frame),
        ("HistoryBook.snapshot(), new book", fresh),
        ("HistoryBook.snapshot(), unchanged log", unchanged),
        ("for scale: Store.sessions(), every set as a value", records),
        ("after a reopen, the first sort by goal (reads every session)", first_sort),
        ("then a sort by each column, once", sorting),
    ]


def headline(rows: Rows) -> dict[str, float]:
    """The figures docs/performance.md reports, by the start of their row's name."""
    wanted = {
        "open_ms": "first open, cold process, to first paint",
        "open_frame_ms": "first open, cold process, to frame done",
        "reopen_ms": "reopen, unchanged log, to first paint",
        "csv_s": "stretchbreak history --format csv",
        "floor_csv_s": "floor: one SELECT",
    }
    figures = {}
    for key, start in wanted.items():
        for name, timings in rows:
            if name.startswith(start):
                scale = 1 if key.endswith("_s") else 1000
                figures[key] = statistics.median(timings) * scale
    return figures


def measure_floor_csv(database: Path, runs: int) -> tuple[str, list[float]]:
    """The least a Python process can do for the same export: one SELECT into csv.writer."""
    script = (
        "import csv, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "w = csv.writer(sys.stdout)\n"
        "w.writerows(c.execute('SELECT * FROM sets JOIN sessions ON sessions.id = sets.session_id'"
        " ' ORDER BY sets.session_id, sets.set_index'))\n"
    )
    timings = []
    for _ in range(runs):
        begun = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", script, str(database)], stdout=subprocess.DEVNULL, check=True
        )
        timings.append(time.perf_counter() - begun)
    return "floor: one SELECT into csv.writer (subprocess)", timings


def measure_cli(data_dir: Path, runs: int) -> tuple[str, list[float]]:
    command = [
        sys.executable,
        "-m",
        "stretchbreak",
        "--data-dir",
        str(data_dir),
        "history",
        "--format",
        "csv",
    ]
    timings = []
    for _ in range(runs):
        begun = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        timings.append(time.perf_counter() - begun)
    return "stretchbreak history --format csv (subprocess)", timings


def _repeat(action: Callable[[], object], times: int) -> list[float]:
    timings = []
    for _ in range(times):
        begun = time.perf_counter()
        action()
        timings.append(time.perf_counter() - begun)
    return timings


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
