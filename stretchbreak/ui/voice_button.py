"""The guided window's sound button: spoken cues → tones → silent, and honest without audio."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from stretchbreak.core.settings import VoiceMode
from stretchbreak.ui.text import tr


def _texts(mode: VoiceMode) -> tuple[str, str]:
    """(button text, accessible name) for a mode; the name says what a press does next."""
    if mode is VoiceMode.SPOKEN:
        return tr("Voice on"), tr("Spoken cues; press for tones only")
    if mode is VoiceMode.TONES:
        return tr("Tones only"), tr("Tones only; press for silence")
    return tr("Sound off"), tr("Silent; press for spoken cues")


class VoiceButton(QPushButton):
    """Each press asks for the next mode; the app answers with ``show_mode``.

    Signals: ``mode_requested(VoiceMode)``.
    """

    mode_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = VoiceMode.SPOKEN
        self._audio = True
        self.clicked.connect(self._on_clicked)
        self.show_mode(VoiceMode.SPOKEN)

    @property
    def mode(self) -> VoiceMode:
        return self._mode

    def show_mode(self, mode: VoiceMode, audio: bool = True) -> None:
        """Show the setting; without an audio output the button says so and stays usable,
        so the choice is kept for when a device appears."""
        self._mode, self._audio = mode, audio
        text, name = _texts(mode)
        if not audio and mode is not VoiceMode.SILENT:
            text = tr("No audio output")
            name = tr("No audio output: nothing can be heard; press to change the cues")
        self.setText(text)
        self.setAccessibleName(name)

    def _on_clicked(self) -> None:
        self.mode_requested.emit(self._mode.next())
