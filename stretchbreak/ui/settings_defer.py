"""The settings dialog's "Calls" page: which signs hold a break back, and what each can see.

Each sign shows what watches it on this desktop ("Microphone: watching through PulseAudio")
or why nothing can ("Microphone: unavailable: no PulseAudio or PipeWire sound server"), so
a box that is ticked but can see nothing is never a silent promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from stretchbreak.ui.settings_fields import Inputs, spin
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label

#: Settings key, ``BusyReason`` value, check box text, sign name.
SIGNS = (
    ("microphone", "microphone", "Another program records from the microphone", "Microphone"),
    ("camera", "camera", "A program uses the camera", "Camera"),
    ("fullscreen", "fullscreen", "A window fills the screen (presenting, a video)", "Fullscreen"),
    ("do_not_disturb", "do-not-disturb", "Do not disturb is on", "Do not disturb"),
)


class SignState(NamedTuple):
    """What watches one sign here (``source``), or why nothing can (``problem``)."""

    reason: str
    source: str | None
    problem: str | None = None


def state_text(name: str, state: SignState | None) -> str:
    if state is None:
        return tr("{sign}: not checked yet").format(sign=tr(name))
    if state.source is not None:
        return tr("{sign}: watching through {source}").format(sign=tr(name), source=state.source)
    return tr("{sign}: unavailable: {why}").format(
        sign=tr(name), why=state.problem or tr("not supported here")
    )


class DeferPage(QWidget):
    """Check boxes for the four signs, their states, the grace and the limit."""

    def __init__(self, states: Sequence[SignState] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        intro = label(
            tr(
                "A break that falls due while you are in a call or presenting waits, and comes "
                "once after the last of these signs has ended."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        by_reason = {state.reason: state for state in states}
        self.signs: dict[str, QCheckBox] = {}
        self.sign_states: dict[str, QLabel] = {}
        for key, reason, text, name in SIGNS:
            box = QCheckBox(tr(text))
            self.signs[key] = box
            form.addRow(box)
            status = label(state_text(name, by_reason.get(reason)))
            status.setObjectName("signState")
            status.setWordWrap(True)
            self.sign_states[key] = status
            form.addRow(status)
        self.grace = spin(
            "defer.grace_minutes", tr(" min"), tr("Wait after the call"), tooltip=False
        )
        form.addRow(tr("Wait after the call"), self.grace)
        self.max_hours = spin(
            "defer.max_hours", tr(" h"), tr("Give up waiting after"), tooltip=False
        )
        form.addRow(tr("Give up waiting after"), self.max_hours)

    @property
    def inputs(self) -> Inputs:
        """The page's fields by settings key, for the dialog to show and read."""
        fields: Inputs = {f"defer.{key}": box for key, box in self.signs.items()}
        fields["defer.grace_minutes"] = self.grace
        fields["defer.max_hours"] = self.max_hours
        return fields
