"""The guided window's sound button: the sound setting, and the truth when no sound can play."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from stretchbreak.ui.text import tr


class SoundButton(QPushButton):
    """A checkable button for the sound setting that never claims sound is on when no audio
    output exists: then it says so and cannot be pressed (the setting itself is kept).

    Signals: ``sound_toggled(bool)`` when the user pressed it, never when the app set it.
    """

    sound_toggled = Signal(bool)

    def __init__(self, on: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._available = True
        self.setCheckable(True)
        self.setChecked(on)
        self.toggled.connect(self._on_toggled)
        self._describe()

    def set_sound(self, on: bool) -> None:
        """Show the sound setting without announcing it back as a change."""
        self.blockSignals(True)
        self.setChecked(on)
        self.blockSignals(False)
        self._describe()

    def set_available(self, available: bool) -> None:
        self._available = available
        self.setEnabled(available)
        self._describe()

    def _on_toggled(self, on: bool) -> None:
        self._describe()
        self.sound_toggled.emit(on)

    def _describe(self) -> None:
        on = self.isChecked()
        if not self._available:
            self.setText(tr("No audio output"))
            self.setAccessibleName(tr("No audio output: sound cues cannot play"))
            return
        self.setText(tr("Sound on") if on else tr("Sound off"))
        self.setAccessibleName(
            tr("Sound cues are on; press to turn them off")
            if on
            else tr("Sound cues are off; press to turn them on")
        )
