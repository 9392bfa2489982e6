"""Render every view of the guided window to PNG files, in a light and a dark palette.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1280x800]

Runs offscreen (no display needed); time is a fake clock, so every picture is the same each run.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QScrollArea

from stretchbreak.app.windows import wire_session_window
from stretchbreak.core.history import (
    CompletedSet,
    Feeling,
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionRecord,
    Source,
)
from stretchbreak.core.session_log import MemorySessionLog
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import Settings
from stretchbreak.core.target import Target
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.services.break_flow import BreakFlow, StartRequest, connect_runner
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import Ticker, WakeTimer
from stretchbreak.ui.contrast import readable_palette
from stretchbreak.ui.face import FORCED
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.prompt import PromptInfo, PromptWindow
from stretchbreak.ui.session_window import SessionWindow
from stretchbreak.ui.settings_defer import SignState
from stretchbreak.ui.settings_dialog import SettingsDialog
from stretchbreak.ui.status_window import StatusWindow
from stretchbreak.ui.tray import TrayIntents, TrayState, TrayStatus


class StillClock:
    def __init__(self) -> None:
        self.wall = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
        self.mono = 100.0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


class ManualTimer:
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.armed = False

    def arm(self, seconds: float) -> None:
        self.armed = True

    def disarm(self) -> None:
        self.armed = False


class StillTicker:
    running = False

    def start(self) -> None:
        """Pictures need no animation."""

    def stop(self) -> None:
        """Pictures need no animation."""


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1f2125",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#2a2d32",
        QPalette.ColorRole.AlternateBase: "#33373d",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2f3238",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#5aa2e0",
        QPalette.ColorRole.HighlightedText: "#10161c",
        QPalette.ColorRole.Mid: "#50545b",
        QPalette.ColorRole.Light: "#5c6068",
        QPalette.ColorRole.Midlight: "#464a51",
        QPalette.ColorRole.Dark: "#141518",
        QPalette.ColorRole.Shadow: "#0b0c0e",
        QPalette.ColorRole.PlaceholderText: "#9a9ea6",
        QPalette.ColorRole.ToolTipBase: "#2a2d32",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#8cc4ff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6d7078"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6d7078"))
    return palette


def themed(theme: str) -> QPalette:
    """The palette as the app sets it at launch: the theme's, with readable highlights."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    base = dark_palette() if theme == "dark" else app.style().standardPalette()
    return readable_palette(base)


def shoot(out: Path, size: tuple[int, int], theme: str) -> list[Path]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    clock = StillClock()
    timers: list[ManualTimer] = []

    def timer(callback: Callable[[], None]) -> WakeTimer:
        made = ManualTimer(callback)
        timers.append(made)
        return made

    def ticker(interval: int, callback: Callable[[], None]) -> Ticker:
        return StillTicker()

    exercise = load_bundled_exercise()
    runner = SessionRunner(clock, timer)
    numbers = itertools.count(1)
    flow = BreakFlow(exercise, MemorySessionLog(), lambda: f"shot-{next(numbers)}")
    connect_runner(flow, runner)
    window = SessionWindow(exercise, runner, ticker)
    wire_session_window(window, runner, flow)
    flow.choices_ready.connect(window.open_start)
    flow.open("mobility")
    window.resize(*size)
    window.show()
    saved: list[Path] = []

    def save(name: str) -> None:
        app.processEvents()
        path = out / f"{name}-{theme}.png"
        window.grab().save(str(path))
        saved.append(path)

    def run_for(seconds: float) -> None:
        clock.advance(seconds)
        runner.tick()

    save("start")
    window.set_sound_available(False)  # the disabled "No audio output" still reads at 4.5:1
    save("start-no-audio")
    window.set_sound_available(True)
    window.start_view.goal_cards["recovery"].click()
    flow.start(StartRequest("recovery", Target(3, 8, 4), TempoMode.GUIDED))
    run_for(6)
    save("setup")
    runner.ready()
    run_for(1.2)  # set 1, rep 1, the hips on their way back
    save("rep-move")
    run_for(8 * 3 + 2 + 0.4)  # set 1, rep 4, 2.4 s into the hold
    save("rep-hold")
    run_for(8 * 4 + 2.4 + 2 + 1.0)  # 1 s into the rest
    save("rest")
    window.toggle_tips()
    save("tips")
    window.toggle_tips()
    save("rep-paused" if window.rep_view.isVisible() else "rest-paused")
    runner.resume()
    runner.skip_rest()
    run_for(8 * 8 + 9)
    runner.skip_rest()
    run_for(8 * 8)
    window.done_view.feeling_chosen.emit(Feeling.PAINFUL)
    save("done-painful")
    # The next session, ended two reps into its first set: its reps count, no feeling chosen.
    flow.start(StartRequest("recovery", Target(2, 6, 4), TempoMode.GUIDED))
    runner.ready()
    run_for(8 * 2 + 3)
    runner.cancel()
    save("done-ended-early")
    window.close()
    return saved


def seeded_history(folder: Path, clock: StillClock) -> Store:
    """About four months of plausible desk breaks, the same every run."""
    store = Store.open(folder / "stretchbreak.sqlite3", tz=UTC)
    rng = random.Random(7)
    goals = ("desk-reset", "desk-reset", "desk-reset", "mobility", "recovery", "warmup")
    records = []
    for back in range(120, -1, -1):
        day = clock.now() - timedelta(days=back)
        if day.weekday() >= 5 and rng.random() < 0.8:
            continue
        for number in range(rng.choice((0, 1, 2, 2, 3))):
            goal = rng.choice(goals)
            start = day.replace(hour=9 + 2 * number, minute=rng.randrange(60)) - timedelta(hours=3)
            sets = 1 if goal in ("desk-reset", "warmup") else 2
            done = tuple(
                CompletedSet(
                    f"{back}-{number}",
                    "dynamic-back-stretch",
                    goal,
                    i,
                    6 + rng.randrange(3),
                    2,
                    start + timedelta(minutes=i),
                    start + timedelta(minutes=i, seconds=40),
                    40.0,
                    0.0,
                    Source.PROMPT if number else Source.MANUAL,
                )
                for i in range(1, sets + 1)
            )
            records.append(
                SessionRecord(
                    f"{back}-{number}",
                    "dynamic-back-stretch",
                    goal,
                    done[0].source,
                    "guided",
                    sets,
                    done[0].reps,
                    2,
                    start,
                    start + timedelta(minutes=3),
                    Outcome.COMPLETED,
                    rng.choice((Feeling.EASY, Feeling.JUST_RIGHT, None)),
                    done,
                )
            )
    # Today: one session ended two reps into its set, one ended before its first rep was over.
    early = clock.now() - timedelta(hours=1)
    cut = CompletedSet(
        "today-cut", "dynamic-back-stretch", "recovery", 1, 2, 4, early,
        early + timedelta(seconds=20), 20.0, 0.0, Source.MANUAL, partial=True,
    )  # fmt: skip
    for session_id, kept in (("today-cut", (cut,)), ("today-empty", ())):
        ended = early + timedelta(seconds=30)
        record = SessionRecord(
            session_id, "dynamic-back-stretch", "recovery", Source.MANUAL, "guided",
            2, 6, 4, early, ended, Outcome.CANCELLED, None, kept,
        )  # fmt: skip
        records.append(record)
        early += timedelta(minutes=5)
    store.import_sessions(records)
    for record in records[-40:]:
        if record.source is not Source.PROMPT:
            continue
        due = record.started_at - timedelta(seconds=30)
        if rng.random() < 0.25:  # held back by a call first, then taken
            store.record_prompt(
                PromptRecord(due, None, PromptOutcome.DEFERRED, due, reason="microphone")
            )
        store.record_prompt(PromptRecord(due, due, PromptOutcome.STARTED, record.started_at))
    return store


def shoot_history(out: Path, size: tuple[int, int], theme: str) -> Path:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    clock = StillClock()
    with tempfile.TemporaryDirectory() as folder:
        store = seeded_history(Path(folder), clock)
        window = HistoryWindow(
            HistoryBook(store, clock, lambda: UTC, write_file=write_export), load_bundled_exercise()
        )
        window.open()  # fitted to the offscreen screen; the picture shows the asked size
        window.resize(*size)
        app.processEvents()
        path = out / f"history-{theme}.png"
        window.grab().save(str(path))
        # Scrolled down to the session table: one line per row, long goals elided.
        for area in window.findChildren(QScrollArea):
            area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        app.processEvents()
        window.grab().save(str(out / f"history-sessions-{theme}.png"))
        window.close()
        store.close()
    return path


def shoot_history_import(out: Path, theme: str) -> list[Path]:
    """The history window at 800×600 while a CSV import runs, and with its result banner."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    clock = StillClock()
    saved = []
    with tempfile.TemporaryDirectory() as folder:
        store = seeded_history(Path(folder), clock)
        window = HistoryWindow(
            HistoryBook(store, clock, lambda: UTC, write_file=write_export), load_bundled_exercise()
        )
        window.resize(800, 600)
        window.open()
        window.import_bar.started(Path("stretchbreak-history-2026-11-24.csv"))
        window.import_bar.advanced(42, 100)
        window.import_button.setEnabled(False)
        app.processEvents()
        path = out / f"history-import-{theme}.png"
        window.grab().save(str(path))
        saved.append(path)
        window.import_bar.setVisible(False)
        window.import_button.setEnabled(True)
        window.notice.setText(
            "Imported 212 sessions; 3 already in your log. "
            "Times without a UTC offset were read as local time."
        )
        window.notice.setVisible(True)
        app.processEvents()
        path = out / f"history-imported-{theme}.png"
        window.grab().save(str(path))
        saved.append(path)
        window.close()
        store.close()
    return saved


def shoot_settings(out: Path, theme: str) -> list[Path]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    states = [
        SignState("microphone", "PulseAudio"),
        SignState("camera", "open video devices (/proc) and PipeWire"),
        SignState("fullscreen", "X11 window manager (EWMH)"),
        SignState("do-not-disturb", None, "the desktop shows no do-not-disturb setting"),
    ]
    dialog = SettingsDialog(
        Settings(),
        load_bundled_exercise(),
        Path("~/.local/share/stretchbreak"),
        defer_states=states,
    )
    dialog.resize(640, 560)
    dialog.show()
    saved = []
    calls = dialog.tabs.indexOf(dialog.defer_page)
    for index, name in ((0, "reminders"), (1, "break"), (calls, "calls")):
        dialog.tabs.setCurrentIndex(index)
        app.processEvents()
        path = out / f"settings-{name}-{theme}.png"
        dialog.grab().save(str(path))
        saved.append(path)
    dialog.close()
    return saved


def shoot_tray_faces(out: Path, theme: str) -> list[Path]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    prompt = PromptWindow()
    prompt.show_prompt(PromptInfo("Desk-break reset", "1 set × 6 reps · 1 s hold", 1))
    status = TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)
    goals = [("desk-reset", "Desk-break reset")]
    window = StatusWindow(lambda: status, lambda: goals, TrayIntents(), FORCED)
    window.resize(560, 130)
    window.show()
    waiting_status = TrayStatus(TrayState.WAITING, "Break waiting — you're in a call", False)
    waiting = StatusWindow(lambda: waiting_status, lambda: goals, TrayIntents(), FORCED)
    waiting.resize(560, 130)
    waiting.show()
    app.processEvents()
    saved = []
    shots = (("prompt", prompt), ("status-window", window), ("status-waiting", waiting))
    for name, widget in shots:
        path = out / f"{name}-{theme}.png"
        widget.grab().save(str(path))
        saved.append(path)
        widget.hide()
    return saved


def shoot_welcome(out: Path, theme: str) -> list[Path]:
    """The welcome (as on a first start on a weekday morning) and About."""
    from stretchbreak.ui.about import AboutWindow
    from stretchbreak.ui.welcome import WelcomeInfo, WelcomeWindow, where_text

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(themed(theme))
    where = where_text(QRect(1250, 4, 22, 22), QRect(0, 0, 1280, 800))
    info = WelcomeInfo(
        "Your first break comes today at 10:50 (in 50 min).",
        "Mon–Fri 09:00–12:30, 13:30–17:30",
        where,
    )
    welcome = WelcomeWindow(info)
    about = AboutWindow("0.1.0", Path("~/.local/share/stretchbreak"), Path("README.md"))
    saved = []
    welcome.open_calmly()
    about.open_now()
    for name, widget in (("welcome", welcome), ("about", about)):
        widget.show()
        app.processEvents()
        path = out / f"{name}-{theme}.png"
        widget.grab().save(str(path))
        saved.append(path)
        widget.hide()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--size", default="1280x800")
    parser.add_argument(
        "--only", choices=("welcome",), help="draw only these windows (the welcome and About)"
    )
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    for theme in ("light", "dark"):
        for path in shoot_welcome(args.out, theme):
            print(path)
        if args.only == "welcome":
            continue
        for path in shoot(args.out, (width, height), theme):
            print(path)
        print(shoot_history(args.out, (width, height), theme))
        for path in shoot_history_import(args.out, theme):
            print(path)
        for path in shoot_settings(args.out, theme):
            print(path)
        for path in shoot_tray_faces(args.out, theme):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
