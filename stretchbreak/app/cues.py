"""The composition root's sound half: soft tones, the spoken coach, and which of them plays.

``[break] voice`` picks spoken cues, tones or silence (``sound = false`` silences all); a
language without recorded cues gets the tones instead, which is only known once its files
are read — when the guided window is first built or a session starts, never at start-up.

The cues' audio follows the guided window: shown, the cues of the chosen mode are loaded, which
opens the audio output ahead of the first cue (docs/performance.md: the first cue of a
session); closed, every loaded cue is let go, so an idle app holds no audio stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject
from PySide6.QtWidgets import QWidget

from stretchbreak.core.clock import Clock
from stretchbreak.core.exercise import Exercise
from stretchbreak.core.settings import BreakSettings, VoiceMode
from stretchbreak.infra.resources import resources_dir
from stretchbreak.infra.voice_files import VoiceLibrary, load_voice
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.sound_cues import SoundCues
from stretchbreak.services.timers import WakeTimerFactory
from stretchbreak.services.voice import VoiceCoach

if TYPE_CHECKING:
    from stretchbreak.ui.session_window import SessionWindow


class BreakCues:
    """Owns ``sounds`` (tones) and ``voice`` (the spoken coach) and keeps one of them on."""

    def __init__(
        self, exercise: Exercise, clock: Clock, wake_timer: WakeTimerFactory, speed: float
    ) -> None:
        self.sounds = SoundCues(resources_dir() / "sounds", clock)
        titles = tuple(cue.title for cue in exercise.setup)
        self.voice = VoiceCoach(_voice_loader(), clock, wake_timer, titles, speed)
        self._breaks = BreakSettings()
        self._window: SessionWindow | None = None
        self._follower: _WindowFollower | None = None

    def connect(self, runner: SessionRunner) -> None:
        runner.phase_changed.connect(self.sounds.on_phase_changed)
        # First: a language without a voice switches to tones before the first cue is due.
        runner.session_started.connect(self._on_runner_session_started)
        runner.session_started.connect(self.voice.on_session_started)
        runner.view_changed.connect(self.voice.on_view_changed)

    def attach(self, window: SessionWindow) -> None:
        """The guided window shows the setting and whether any sound can come out at all."""
        window.set_sound_available(self.sounds.check_available())
        self.sounds.availability_changed.connect(window.set_sound_available)
        self._window = window
        self._follower = _WindowFollower(self.warm, self.release, window)
        window.installEventFilter(self._follower)
        self.apply(self._breaks)

    def warm(self) -> None:
        """Loads the cues that will play (the window opened): the audio output opens now, not
        at the first cue. Nothing is heard."""
        if self.voice.enabled:
            self.voice.prepare()
        elif self.sounds.enabled:
            self.sounds.prepare()

    def release(self) -> None:
        """Lets every loaded cue go (the window closed): the audio stream closes."""
        self.voice.release()
        self.sounds.release()

    def apply(self, breaks: BreakSettings) -> None:
        self._breaks = breaks
        self.voice.enabled = breaks.cues is VoiceMode.SPOKEN
        if not self.voice.enabled:
            self.voice.release()
        self.sounds.enabled = breaks.cues is VoiceMode.TONES
        if not self.sounds.enabled:
            self.sounds.release()
        if self._window is not None:  # the window reads the voice files: no cost at start
            self._fall_back_to_tones()
            self._window.set_voice(breaks.cues, breaks.reduced_motion)
            if self._window.isVisible():
                self.warm()

    def _on_runner_session_started(self, _event: object = None) -> None:
        self._fall_back_to_tones()

    def _fall_back_to_tones(self) -> None:
        if self._breaks.cues is VoiceMode.SPOKEN and not self.voice.has_voice:
            self.voice.enabled = False
            self.sounds.enabled = True


class _WindowFollower(QObject):
    """Calls ``shown`` when the guided window is shown and ``hidden`` when it is closed or
    hidden (not when minimised: a minimised window still runs its session)."""

    def __init__(
        self, shown: Callable[[], None], hidden: Callable[[], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._shown, self._hidden = shown, hidden

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Show:
            self._shown()
        elif kind == QEvent.Type.Hide and not (
            isinstance(watched, QWidget) and watched.isVisible()
        ):
            self._hidden()
        return False


def _voice_loader() -> Callable[[], VoiceLibrary | None]:
    """Reads the spoken cues of the desktop's language when first needed, not at start-up."""

    def load() -> VoiceLibrary | None:
        return load_voice(resources_dir() / "voice", QLocale.system().name())

    return load
