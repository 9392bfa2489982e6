"""A Qt child for the at-spi2 test: the app's windows on a real X display, with its clock and
views moved by commands read from stdin (one JSON answer per line; EOF ends it)."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
import tempfile
from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
app = QApplication([sys.argv[0], "-name", "stretchbreak-a11y"])
app.setApplicationName("stretchbreak-a11y")
app.setQuitOnLastWindowClosed(False)  # as the tray-resident app: closing a dialog ends nothing

spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
assert spec is not None
assert spec.loader is not None
shots = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shots)

from stretchbreak.app.windows import wire_session_window  # noqa: E402
from stretchbreak.core.history import Feeling  # noqa: E402
from stretchbreak.core.session_log import MemorySessionLog  # noqa: E402
from stretchbreak.core.session_values import TempoMode  # noqa: E402
from stretchbreak.core.settings import Settings  # noqa: E402
from stretchbreak.core.target import Target  # noqa: E402
from stretchbreak.infra.export_file import write_export  # noqa: E402
from stretchbreak.infra.resources import load_bundled_exercise  # noqa: E402
from stretchbreak.services.break_flow import BreakFlow, StartRequest, connect_runner  # noqa: E402
from stretchbreak.services.history_book import HistoryBook  # noqa: E402
from stretchbreak.services.session_runner import SessionRunner  # noqa: E402
from stretchbreak.ui.about import AboutWindow  # noqa: E402
from stretchbreak.ui.accessibility import install_window_roles  # noqa: E402
from stretchbreak.ui.history_window import HistoryWindow  # noqa: E402
from stretchbreak.ui.prompt import PromptInfo, PromptWindow  # noqa: E402
from stretchbreak.ui.session_window import SessionWindow  # noqa: E402
from stretchbreak.ui.settings_dialog import SettingsDialog  # noqa: E402
from stretchbreak.ui.status_window import StatusWindow  # noqa: E402
from stretchbreak.ui.tray import TrayIntents, TrayState, TrayStatus  # noqa: E402
from stretchbreak.ui.welcome import WelcomeInfo, WelcomeWindow  # noqa: E402

install_window_roles()
clock = shots.StillClock()
exercise = load_bundled_exercise()
runner = SessionRunner(clock, lambda callback: shots.ManualTimer(callback))
numbers = itertools.count(1)
flow = BreakFlow(exercise, MemorySessionLog(), lambda: f"a11y-{next(numbers)}")
connect_runner(flow, runner)
window = SessionWindow(exercise, runner, lambda interval, callback: shots.StillTicker())
wire_session_window(window, runner, flow)
flow.choices_ready.connect(window.open_start)
folder = tempfile.mkdtemp(prefix="sb-a11y-")
store = shots.seeded_history(Path(folder), clock)
history = HistoryWindow(HistoryBook(store, clock, lambda: UTC, write_file=write_export), exercise)
settings = SettingsDialog(Settings(), exercise, Path(folder))
status_line = TrayStatus(TrayState.ACTIVE, "Next break at 14:50 (in 23 min)", False)
status = StatusWindow(
    lambda: status_line, lambda: [("desk-reset", "Desk-break reset")], TrayIntents(), "No tray"
)
prompt = PromptWindow()
welcome = WelcomeWindow(
    WelcomeInfo(
        "Your first break comes today at 10:50 (in 50 min).",
        "Mon–Fri 09:00–12:30, 13:30–17:30",
        "The stretchbreak icon sits in the system tray.",
    )
)
about = AboutWindow("0.1.0", Path(folder), ROOT / "README.md")
#: What the welcome and About were asked by their buttons and keys, in order.
events: list[str] = []
welcome.try_requested.connect(lambda: events.append("try the stretch"))
welcome.hours_requested.connect(lambda: events.append("change working hours"))
welcome.finished.connect(lambda result: events.append(f"welcome closed {result}"))
about.welcome_requested.connect(lambda: events.append("show the welcome"))
about.finished.connect(lambda result: events.append(f"about closed {result}"))


def run_for(seconds: float) -> None:
    clock.advance(seconds)
    runner.tick()


def only(widget: object) -> None:
    for shown in (window, history, settings, status, prompt, welcome, about):
        if shown is not widget:
            shown.hide()


def start() -> dict[str, object]:
    flow.open("recovery")
    window.resize(800, 600)
    only(window)
    return {"view": "start"}


def setup() -> dict[str, object]:
    flow.start(StartRequest("recovery", Target(2, 6, 3), TempoMode.GUIDED))
    return {"view": "setup"}


def rep() -> dict[str, object]:
    runner.ready()
    run_for(2 + 1)  # into the first hold
    return {"view": "rep"}


def step() -> dict[str, object]:
    run_for(1)
    return {"view": "rep", "seconds": window.rep_view.ring.value()}


def rest() -> dict[str, object]:
    run_for(2 + 2 + 8 * 5 + 1)
    return {"view": "rest"}


def tips() -> dict[str, object]:
    window.toggle_tips()
    return {"view": "tips"}


def done() -> dict[str, object]:
    window.toggle_tips()
    runner.resume()
    runner.skip_rest()
    run_for(7 * 6)
    window.done_view.choose(Feeling.JUST_RIGHT)
    return {"view": "done"}


def show_history() -> dict[str, object]:
    history.resize(800, 600)
    history.open()
    only(history)
    return {"view": "history"}


def show_settings() -> dict[str, object]:
    settings.show()
    only(settings)
    return {"view": "settings"}


def show_status() -> dict[str, object]:
    status.show()
    only(status)
    return {"view": "status"}


def show_prompt() -> dict[str, object]:
    prompt.show_prompt(PromptInfo("Desk-break reset", "1 set × 6 reps · 1 s hold", 1))
    only(prompt)
    return {"view": "prompt"}


def show_welcome() -> dict[str, object]:
    welcome.open_now()
    only(welcome)
    return {"view": "welcome"}


def show_about() -> dict[str, object]:
    about.open_now()
    only(about)
    return {"view": "about"}


def keyboard() -> dict[str, object]:
    """Which control has the keyboard, and what was asked so far."""
    focused = app.focusWidget()
    return {"focus": focused.accessibleName() if focused else None, "events": list(events)}


def next_sound() -> dict[str, object]:
    """As the app answers a press: the next mode is shown."""
    window.set_voice(window.sound_button.mode.next())
    return {"sound": window.sound_button.text()}


def no_sound() -> dict[str, object]:
    window.set_sound_available(False)
    return {"sound": window.sound_button.text()}


COMMANDS = {
    "welcome": show_welcome,
    "about": show_about,
    "keyboard": keyboard,
    "next-sound": next_sound,
    "no-sound": no_sound,
    "status": show_status,
    "prompt": show_prompt,
    "start": start,
    "setup": setup,
    "rep": rep,
    "step": step,
    "rest": rest,
    "tips": tips,
    "done": done,
    "history": show_history,
    "settings": show_settings,
}


def on_input() -> None:
    line = sys.stdin.readline()
    if not line:
        notifier.setEnabled(False)
        app.quit()
        return
    answer = COMMANDS[line.strip()]()
    app.processEvents()
    print(json.dumps(answer), flush=True)


notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(on_input)
print(json.dumps({"ready": True}), flush=True)
app.exec()
store.close()
