"""Time from "open a break" to the guided window's first paint.

    .venv/bin/python benchmarks/open_window.py [--runs 30] [--xvfb]

The first open includes building the window; later opens reuse it, which is what a user gets
from the tray or a prompt after the first time. Without ``--xvfb`` it runs offscreen.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import start_xvfb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--xvfb", action="store_true", help="measure on a real X server (Xvfb)")
    args = parser.parse_args()
    server = start_xvfb(":97") if args.xvfb else None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        first, reopen = measure(args.runs)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    platform = os.environ["QT_QPA_PLATFORM"]
    print(f"platform: {platform}")
    print(f"first open (build + show + first paint): {first:7.1f} ms")
    print(
        f"reopen, median of {len(reopen)}: {statistics.median(reopen):7.1f} ms"
        f"  (min {min(reopen):.1f}, max {max(reopen):.1f})"
    )
    return 0


def measure(runs: int) -> tuple[float, list[float]]:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from stretchbreak.app.windows import wire_session_window
    from stretchbreak.core.clock import SystemClock
    from stretchbreak.core.session_log import MemorySessionLog
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.services.break_flow import BreakFlow, connect_runner
    from stretchbreak.services.session_runner import SessionRunner
    from stretchbreak.services.timers import qt_ticker, qt_wake_timer
    from stretchbreak.ui.session_window import SessionWindow

    app = QApplication(sys.argv[:1])
    exercise = load_bundled_exercise()
    runner = SessionRunner(SystemClock(), qt_wake_timer)
    ids = itertools.count(1)
    flow = BreakFlow(exercise, MemorySessionLog(), lambda: f"b{next(ids)}")
    connect_runner(flow, runner)
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    spy = FirstPaint()
    holder: list[SessionWindow] = []

    def window() -> SessionWindow:
        if not holder:
            made = SessionWindow(exercise, runner, qt_ticker)
            wire_session_window(made, runner, flow)
            made.installEventFilter(spy)
            holder.append(made)
        return holder[0]

    flow.choices_ready.connect(lambda choices: window().open_start(choices))

    def timed(action: Callable[[], object]) -> float:
        painted.clear()
        started = time.perf_counter()
        action()
        while not painted:
            app.processEvents()
        return (painted[0] - started) * 1000

    first = timed(flow.open)
    reopen = []
    for _ in range(runs):
        window().hide()
        app.processEvents()
        reopen.append(timed(flow.open))
    window().close()
    return first, reopen


if __name__ == "__main__":
    raise SystemExit(main())
