"""Memory after many guided sessions run back to back at high speed: does anything pile up?

    .venv/bin/python -m benchmarks.many_sessions [--sessions 500] [--speed 1000] [--json FILE]

The real app (store, flow, runner, guided window) runs in this process under its own Xvfb,
with ``--speed`` shortening every timed phase. Each session is driven the way a user drives
it: open, Start, Ready after the setup cues, every set to the end (rests skipped), then the
summary window is closed. RSS is read after a few warm-up sessions and again at the end; the
difference is what 500 sessions left behind. Every set really goes into the database.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import memory_mib, start_xvfb

WARM_UP = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--speed", type=float, default=1000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    server = start_xvfb(":95")
    try:
        with tempfile.TemporaryDirectory(prefix="sb-many-") as folder:
            figures = measure(Path(folder), args.sessions, args.speed)
    finally:
        server.terminate()
        server.wait()
    for key, value in figures.items():
        print(f"{key:<30} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def measure(folder: Path, sessions: int, speed: float) -> dict[str, object]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from stretchbreak.app.compose import App
    from stretchbreak.app.context import Outside
    from stretchbreak.core.session_values import Phase
    from stretchbreak.infra.paths import AppPaths
    from stretchbreak.infra.resources import load_bundled_exercise

    qt = QApplication(sys.argv[:1])
    qt.setQuitOnLastWindowClosed(False)
    paths = AppPaths.under(folder / "data")
    paths.create_folders()
    app = App(
        qt,
        paths,
        load_bundled_exercise(),
        speed,
        outside=Outside(
            use_tray=False,
        ),
    )
    runner = app.runner
    ended: list[object] = []
    runner.session_ended.connect(ended.append)

    def on_view(view: object) -> None:
        phase = getattr(view, "phase", None)
        if phase is Phase.SETUP:
            runner.ready()
        elif phase is Phase.REST:
            runner.skip_rest()
        elif getattr(view, "waiting_for_user", False):
            runner.advance()

    runner.view_changed.connect(on_view)

    def one_session() -> None:
        ended.clear()
        app.flow.open()
        window = app.session_window()
        window.primary_action()  # Start on the start view
        deadline = time.monotonic() + 60
        while not ended:
            if time.monotonic() > deadline:
                sys.exit("a session did not end within 60 s")
            qt.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        window.primary_action()  # Done: closes the summary
        qt.processEvents()

    started = time.perf_counter()
    for _ in range(WARM_UP):
        one_session()
    gc.collect()
    qt.processEvents()
    warm_rss, _ = memory_mib(os.getpid())
    windows_before = len(qt.topLevelWidgets())
    for _ in range(sessions - WARM_UP):
        one_session()
    gc.collect()
    qt.processEvents()
    end_rss, _ = memory_mib(os.getpid())
    elapsed = time.perf_counter() - started
    sets = app.store.count_sets() if app.store is not None else None
    app.close()
    return {
        "sessions": sessions,
        "speed": speed,
        "sets_in_database": sets,
        "seconds": round(elapsed, 1),
        "rss_after_warm_up_mib": round(warm_rss, 2),
        "rss_at_end_mib": round(end_rss, 2),
        "growth_mib": round(end_rss - warm_rss, 2),
        "top_level_windows_after_warm_up": windows_before,
        "top_level_windows_at_end": len(qt.topLevelWidgets()),
    }


if __name__ == "__main__":
    raise SystemExit(main())
