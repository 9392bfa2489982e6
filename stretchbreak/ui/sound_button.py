"""The guided window's sound button: spoken cues → tones → silent, and the truth when no sound
can play."""

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


class SoundButton(QPushButton):
    """Each press asks for the next mode (``VoiceMode.next``); the app answers with
    ``set_mode``. It never claims a sound when no audio output exists: then it says so and
    cannot be pressed (the setting itself is kept).

    Signals: ``mode_requested(VoiceMode)`` when the user pressed it, never when the app set it.
    """

    mode_requested = Signal(object)

    def __init__(self, mode: VoiceMode = VoiceMode.SPOKEN, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = mode
        self._available = True
        self.clicked.connect(self._on_clicked)
        self._describe()

    @property
    def mode(self) -> VoiceMode:
        return self._mode

    def set_mode(self, mode: VoiceMode) -> None:
        """Show the setting without announcing it back as a change."""
        self._mode = mode
        self._describe()

    def set_available(self, available: bool) -> None:
        self._available = available
        self.setEnabled(available)
        self._describe()

    def _on_clicked(self) -> None:
        self.mode_requested.emit(self._mode.next())

    def _describe(self) -> None:
        if not self._available:
            self.setText(tr("No audio output"))
            self.setAccessibleName(tr("No audio output: sound cues cannot play"))
            return
        text, name = _texts(self._mode)
        self.setText(text)
        self.setAccessibleName(name)
