"""Frames per second of the animated figure and CPU of the whole process during guided reps.

    .venv/bin/python -m benchmarks.figure_rep [--reps 2] [--size 1280x800] [--json OUT]
                                              [--display :94]

Runs the real guided window on Xvfb with the real clock and timers: a guided session of the
recovery goal (move 2 s, hold 3 s, return 2 s), measured from the first rep's start for
``--reps`` reps. Frames are the figure's paint events: the frame rate is counted while the
figure moves (the move and return phases); the hold, where only a slow breath moves it, is
reported apart, as repaints per second. CPU is this process's user + system time over the
same wall time, as a share of one core; the X server's own CPU is reported beside it.
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


def server_cpu_seconds(pid: int) -> float:
    """User + system time of another process (the X server), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(reps: int, size: tuple[int, int], server_pid: int) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from stretchbreak.app.windows import wire_session_window
    from stretchbreak.core.clock import SystemClock
    from stretchbreak.core.session_log import MemorySessionLog
    from stretchbreak.core.session_values import Phase, SessionView, TempoMode
    from stretchbreak.core.target import Target
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.services.break_flow import BreakFlow, StartRequest, connect_runner
    from stretchbreak.services.session_runner import SessionRunner
    from stretchbreak.services.timers import qt_ticker, qt_wake_timer
    from stretchbreak.ui.session_window import SessionWindow

    app = QApplication(sys.argv[:1])
    exercise = load_bundled_exercise()
    runner = SessionRunner(SystemClock(), qt_wake_timer)
    ids = itertools.count(1)
    flow = BreakFlow(exercise, MemorySessionLog(), lambda: f"b{next(ids)}")
    connect_runner(flow, runner)
    window = SessionWindow(exercise, runner, qt_ticker)
    wire_session_window(window, runner, flow)
    flow.choices_ready.connect(window.open_start)
    flow.open("recovery")
    window.resize(*size)
    window.show()
    figure = window.rep_view.figure
    assert figure is not None
    result: dict[str, float] = {}
    # Seconds and frames spent in each phase while measuring, and the phase now on screen.
    spent: dict[Phase, list[float]] = {}
    now_in: list[Phase] = []
    mark: dict[str, float] = {}

    def close_phase() -> None:
        if now_in:
            totals = spent.setdefault(now_in.pop(), [0.0, 0.0])
            totals[0] += time.monotonic() - mark["since"]
            totals[1] += figure.frames_painted - mark["frames"]

    def on_view(view: SessionView) -> None:
        if "wall0" in result and "seconds" not in result:
            close_phase()
            now_in.append(view.phase)
            mark.update(since=time.monotonic(), frames=figure.frames_painted)

    runner.view_changed.connect(on_view)

    def rate(*phases: Phase) -> float:
        seconds = sum(spent.get(phase, [0.0, 0.0])[0] for phase in phases)
        frames = sum(spent.get(phase, [0.0, 0.0])[1] for phase in phases)
        return frames / seconds if seconds else 0.0

    def begin() -> None:
        flow.start(StartRequest("recovery", Target(2, 6, 3), TempoMode.GUIDED))
        result["frames0"] = figure.frames_painted
        result["cpu0"] = cpu_seconds()
        result["server0"] = server_cpu_seconds(server_pid)
        result["wall0"] = time.monotonic()
        runner.ready()
        QTimer.singleShot(round(reps * REP_SECONDS * 1000), end)

    def end() -> None:
        wall = time.monotonic() - result["wall0"]
        close_phase()
        result["fps"] = rate(Phase.MOVE, Phase.RETURN)
        result["hold_fps"] = rate(Phase.HOLD)
        result["all_fps"] = (figure.frames_painted - result["frames0"]) / wall
        result["cpu_percent"] = (cpu_seconds() - result["cpu0"]) / wall * 100
        result["server_percent"] = (server_cpu_seconds(server_pid) - result["server0"]) / wall * 100
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
    keys = ("fps", "hold_fps", "all_fps", "cpu_percent", "server_percent", "seconds")
    return {key: result[key] for key in (*keys, "frames_while_paused")}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--display", default=":94", help="a free X display for its own Xvfb")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    server = start_xvfb(args.display)
    try:
        figures = measure(args.reps, (width, height), server.pid)
    finally:
        server.terminate()
        server.wait()
    print(
        f"figure: {figures['fps']:.1f} frames/s while it moves, "
        f"{figures['hold_fps']:.1f} repaints/s in the hold, {figures['all_fps']:.1f} over the "
        f"reps; whole process {figures['cpu_percent']:.1f} % of one core over "
        f"{figures['seconds']:.1f} s (X server {figures['server_percent']:.1f} %); "
        f"{figures['frames_while_paused']:g} frames while paused"
    )
    if args.json:
        args.json.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    raise SystemExit(main())
