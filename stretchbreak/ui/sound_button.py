"""The guided window's sound button: spoken cues → tones → silent, and the truth when no sound
can play.

A screen reader meets a push button whose name is the current state ("Voice on") and whose
description is what a press does next ("Press for tones only"); the new state is announced
when it changes, as sighted users see the text change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QPushButton, QWidget

from stretchbreak.core.settings import VoiceMode
from stretchbreak.ui.text import tr


def _texts(mode: VoiceMode) -> tuple[str, str]:
    """(state, what a press does next) for a mode: the button's name and description."""
    if mode is VoiceMode.SPOKEN:
        return tr("Voice on"), tr("Press for tones only")
    if mode is VoiceMode.TONES:
        return tr("Tones only"), tr("Press for sound off")
    return tr("Sound off"), tr("Press for voice on")


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
        #: What was announced to screen readers, in order (tests read it without at-spi2).
        self.announcements: list[str] = []
        self.clicked.connect(self._on_clicked)
        self._describe()

    @property
    def mode(self) -> VoiceMode:
        return self._mode

    def set_mode(self, mode: VoiceMode) -> None:
        """Show the setting (it does not ask for it again); a change is announced."""
        self._mode = mode
        self._describe()

    def set_available(self, available: bool) -> None:
        self._available = available
        self.setEnabled(available)
        self._describe()

    def _on_clicked(self) -> None:
        self.mode_requested.emit(self._mode.next())

    def _describe(self) -> None:
        if self._available:
            name, description = _texts(self._mode)
        else:
            name = tr("No audio output")
            description = tr("Sound cues cannot play: this computer has no audio output")
        changed = name != self.text()
        self.setText(name)
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        if changed and self.isVisible():
            self._announce(f"{name}. {description}")

    def _announce(self, text: str) -> None:
        """Only while shown: a window being prepared has nothing to tell yet."""
        self.announcements.append(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))
