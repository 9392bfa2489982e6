"""Frames per second of the animated figure and CPU of the whole process during guided reps.

    .venv/bin/python -m benchmarks.figure_rep [--reps 2] [--size 1280x800] [--json OUT]

Runs the real guided window on Xvfb with the real clock and timers: a guided session of the
recovery goal (move 2 s, hold 3 s, return 2 s), measured from the first rep's start for
``--reps`` reps. Frames are the figure's paint events; CPU is this process's user + system
time over the same wall time, as a share of one core.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import start_xvfb

REP_SECONDS = 2 + 3 + 2


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(reps: int, size: tuple[int, int]) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from stretchbreak.core.clock import SystemClock
    from stretchbreak.core.session_log import MemorySessionLog
    from stretchbreak.core.session_values import TempoMode
    from stretchbreak.core.target import Target
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.services.break_flow import BreakFlow, StartRequest
    from stretchbreak.services.session_runner import SessionRunner
    from stretchbreak.services.timers import qt_ticker, qt_wake_timer
    from stretchbreak.ui.session_window import SessionWindow

    app = QApplication(sys.argv[:1])
    exercise = load_bundled_exercise()
    runner = SessionRunner(SystemClock(), qt_wake_timer)
    ids = itertools.count(1)
    flow = BreakFlow(exercise, runner, MemorySessionLog(), lambda: f"b{next(ids)}")
    window = SessionWindow(exercise, runner, qt_ticker)
    window.start_requested.connect(flow.start)
    flow.choices_ready.connect(window.open_start)
    flow.open("recovery")
    window.resize(*size)
    window.show()
    figure = window.rep_view.figure
    assert figure is not None
    result: dict[str, float] = {}

    def begin() -> None:
        flow.start(StartRequest("recovery", Target(2, 6, 3), TempoMode.GUIDED))
        runner.ready()
        result["frames0"] = figure.frames_painted
        result["cpu0"] = cpu_seconds()
        result["wall0"] = time.monotonic()
        QTimer.singleShot(round(reps * REP_SECONDS * 1000), end)

    def end() -> None:
        wall = time.monotonic() - result["wall0"]
        result["fps"] = (figure.frames_painted - result["frames0"]) / wall
        result["cpu_percent"] = (cpu_seconds() - result["cpu0"]) / wall * 100
        result["seconds"] = wall
        # Paused: the figure must stop drawing altogether.
        runner.pause()
        result["frames_paused0"] = figure.frames_painted
        QTimer.singleShot(2000, paused_end)

    def paused_end() -> None:
        result["frames_while_paused"] = figure.frames_painted - result["frames_paused0"]
        runner.cancel()
        app.quit()

    QTimer.singleShot(1500, begin)  # let the window settle first
    app.exec()
    return {key: result[key] for key in ("fps", "cpu_percent", "seconds", "frames_while_paused")}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    server = start_xvfb(":94")
    try:
        figures = measure(args.reps, (width, height))
    finally:
        server.terminate()
        server.wait()
    print(
        f"figure: {figures['fps']:.1f} frames/s, whole process {figures['cpu_percent']:.1f} % "
        f"of one core over {figures['seconds']:.1f} s; "
        f"{figures['frames_while_paused']:g} frames while paused"
    )
    if args.json:
        args.json.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    raise SystemExit(main())
