"""Prompt → guided window: the time from clicking Start on a break prompt to the first paint.

    .venv/bin/python -m benchmarks.prompt_window [--runs 5] [--json FILE]

Each run is a fresh app process under Xvfb with ``trayer`` as tray host, real scheduler and
real X11 idle time, at ``--speed 100`` with a 5-minute interval, so the first prompt comes
after 3 s (its heads-up ~0.6 s before). One second after the prompt has painted (a quick
user), Start is clicked and the time to the guided window's first paint is taken. "As
shipped" lets the app prepare the window when the break draws near; "built on click" turns
that off, which is what every first break cost before. The floor is a plain window of the
same size shown by ``floor_tray.py --paint``: ``show()`` to first paint.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import start_tray_host, start_xvfb

SETTINGS = """\
[reminders]
interval_minutes = 5
heads_up_seconds = 60
lull_seconds = 0

[reminders.working_hours]
mon = ["00:00-23:59"]
tue = ["00:00-23:59"]
wed = ["00:00-23:59"]
thu = ["00:00-23:59"]
fri = ["00:00-23:59"]
sat = ["00:00-23:59"]
sun = ["00:00-23:59"]

[away]
enabled = false

[system]
notifications = false
"""
SPEED = 100
FLOOR = Path(__file__).with_name("floor_tray.py")


def one_run(prepared: bool) -> float:
    """In this process: the app until its first prompt, then Start → first paint, in ms."""
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject
    from PySide6.QtWidgets import QApplication

    from stretchbreak.app import App
    from stretchbreak.infra.paths import AppPaths
    from stretchbreak.infra.resources import load_bundled_exercise
    from stretchbreak.ui.session_window import SessionWindow

    qt = QApplication(sys.argv[:1])
    qt.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory(prefix="sb-prompt-") as folder:
        paths = AppPaths.under(Path(folder))
        paths.create_folders()
        paths.settings.write_text(SETTINGS)
        app = App(qt, paths, load_bundled_exercise(), SPEED)
        if not prepared:
            app._prepare_session_window = lambda: None  # type: ignore[method-assign]
        clock = QElapsedTimer()
        painted: list[int] = []

        class FirstPaint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if (
                    event.type() == QEvent.Type.Paint
                    and isinstance(watched, SessionWindow)
                    and not painted
                ):
                    painted.append(clock.nsecsElapsed())
                return False

        spy = FirstPaint()
        qt.installEventFilter(spy)
        deadline = time.monotonic() + 60
        while (app.reminders.prompt is None or not app.reminders.prompt.isVisible()) and (
            time.monotonic() < deadline
        ):
            qt.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        prompt = app.reminders.prompt
        if prompt is None:
            sys.exit("no prompt within 60 s")
        # A quick user: one second after the prompt appeared. (Not qt.exec(): quitting the
        # loop would quit the app.)
        settle = time.monotonic() + 1
        while time.monotonic() < settle:
            qt.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        painted.clear()  # a prepared window may have painted itself offscreen already
        clock.start()
        prompt.start_button.click()
        deadline = time.monotonic() + 30
        while not painted:
            if time.monotonic() > deadline:
                sys.exit("the guided window did not paint within 30 s")
            qt.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        app.close()
    return painted[0] / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--one", choices=("prepared", "on-click"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(f"{one_run(args.one == 'prepared'):.3f}", flush=True)
        # The run is measured; the interpreter's teardown of a QApplication that loaded
        # QtMultimedia (in no set order, unlike the app's own quit) is not, and may crash.
        os._exit(0)
    server = start_xvfb(":94")
    host = start_tray_host()
    try:
        results: dict[str, list[float]] = {"prepared": [], "on-click": [], "floor": []}
        for _ in range(args.runs):
            for mode in ("prepared", "on-click"):
                answer = subprocess.run(
                    [sys.executable, "-m", "benchmarks.prompt_window", "--one", mode],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=Path(__file__).resolve().parents[1],
                )
                results[mode].append(float(answer.stdout.strip().splitlines()[-1]))
            floor = subprocess.run(
                [sys.executable, str(FLOOR), "--paint"],
                capture_output=True,
                text=True,
                check=True,
            )
            painted = [line for line in floor.stdout.splitlines() if line.startswith("painted")]
            results["floor"].append(float(painted[0].split()[1]))
    finally:
        host.terminate()
        server.terminate()
        host.wait()
        server.wait()
    figures = {
        "prompt_to_paint_ms": statistics.median(results["prepared"]),
        "prompt_to_paint_all_ms": results["prepared"],
        "built_on_click_ms": statistics.median(results["on-click"]),
        "built_on_click_all_ms": results["on-click"],
        "floor_window_paint_ms": statistics.median(results["floor"]),
        "floor_window_paint_all_ms": results["floor"],
    }
    for key, value in figures.items():
        print(f"{key:<26} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
