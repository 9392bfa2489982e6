"""What the shortcut strip lists and what screen readers hear, per view and session state."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt

from stretchbreak.core.session_values import Phase, SessionView, TempoMode
from stretchbreak.ui.guided_views import counter_text
from stretchbreak.ui.text import tr

Keys = list[tuple[str, str]]

#: Keys 1 to 4 answer "How did it feel?" on the summary, in the order the buttons show.
FEELING_KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
FEELING_WORDS = ("Easy", "Just right", "Hard", "Painful")

PHASE_WORDS = {
    Phase.SETUP: "Setup",
    Phase.MOVE: "Sit back",
    Phase.HOLD: "Hold",
    Phase.RETURN: "Return",
    Phase.REST: "Rest",
    Phase.DONE: "Session complete",
    Phase.CANCELLED: "Session ended",
}


class Page(Enum):
    START = "start"
    SETUP = "setup"
    REP = "rep"
    REST = "rest"
    DONE = "done"
    TIPS = "tips"


def keys_for(page: Page, view: SessionView | None, confirming: bool) -> Keys:
    """The keys that work right now, in the order a user would reach for them."""
    if confirming:
        return [("Enter", tr("End session")), ("Esc", tr("Keep going"))]
    if page is Page.TIPS:
        return [("Enter / Esc / F1", tr("Close tips"))]
    if page is Page.START:
        return [("Enter", tr("Start")), ("F1", tr("Tips")), ("Esc", tr("Close"))]
    if page is Page.DONE:
        feelings = [(str(n), tr(word)) for n, word in enumerate(FEELING_WORDS, start=1)]
        return [("Enter", tr("Done")), *feelings, ("F1", tr("Tips")), ("Esc", tr("Close"))]
    return [*_session_keys(page, view), ("F1", tr("Tips")), ("Esc", tr("End"))]


def _session_keys(page: Page, view: SessionView | None) -> Keys:
    if view is not None and view.paused:
        return [("Enter / Space", tr("Resume"))]
    keys: Keys = []
    if page is Page.SETUP:
        keys.append(("Enter", tr("Ready")))
    elif page is Page.REST:
        keys += [("Enter / S", tr("Skip rest")), ("+", tr("15 s more"))]
    if view is not None and view.tempo is TempoMode.SELF_PACED:
        keys += [("Space", tr("Next")), ("P", tr("Pause"))]
    else:
        keys.append(("Space", tr("Pause")))
    return keys


def announcement(previous: SessionView | None, view: SessionView) -> str | None:
    """A spoken line when the set, the rep, the phase or the pause changed; else None."""

    def moment(v: SessionView) -> tuple[object, ...]:
        return (v.phase, v.set_number, v.rep_number, v.paused)

    if previous is not None and moment(previous) == moment(view):
        return None
    words = tr("Paused") if view.paused else tr(PHASE_WORDS.get(view.phase, ""))
    return f"{counter_text(view)}. {words}" if view.phase.in_rep else words
