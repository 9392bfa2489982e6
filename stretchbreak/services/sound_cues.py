"""Soft sounds at the moments of a stretch a person waits for, and silence when there is no audio.

The effects live in an ``EffectCache`` (shared with the spoken coach): QtMultimedia is imported
on first use, effects are loaded ahead of the first cue and released when the window closes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from stretchbreak.core.clock import Clock
from stretchbreak.core.session_values import Phase, PhaseChanged
from stretchbreak.core.sound_cue import SoundCue, cue_for, is_fresh
from stretchbreak.services.effect_cache import EffectCache

log = logging.getLogger(__name__)


class SoundCues(QObject):
    """Plays a short cue when a hold starts, when it runs out, and when a rest runs out.

    Sound is a nicety: whatever goes wrong (no QtMultimedia, no audio library, no output
    device, a missing or unreadable file) ends in silence, ``available`` turning False and a
    single log line for the whole run, never an exception or a dialog.

    Signals: ``played(str)`` — a cue's name each time one was due and sent to the speakers;
    emitted with or without audio, so tests and the UI can follow along without a device.
    ``availability_changed(bool)`` — False once it turns out no sound can come out.
    """

    played = Signal(str)
    availability_changed = Signal(bool)

    def __init__(
        self,
        sounds_dir: Path,
        clock: Clock,
        enabled: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sounds_dir = sounds_dir
        self._clock = clock
        self._enabled = enabled
        self._previous: Phase | None = None
        self._cache = EffectCache(self, log, "sound cues off", self._on_cache_gave_up)

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, enabled: bool) -> None:
        self._enabled = enabled

    @property
    def available(self) -> bool:
        """False once it is known that no sound can come out, e.g. to grey out a setting."""
        return self._cache.available

    def check_available(self) -> bool:
        """Find out now whether sound can come out (an audio output exists), so the guided
        window can say so before the first cue: loads QtMultimedia if not loaded yet."""
        try:
            self._multimedia_ready()
        except Exception as exc:  # never raise into the window that asks
            self._cache.give_up(logging.WARNING, f"checking for audio failed: {exc!r}")
        return self.available

    @Slot(object)
    def on_phase_changed(self, event: PhaseChanged) -> None:
        """Connected to ``SessionRunner.phase_changed``; it sees every change, sounding or not.

        The previous phase is tracked even while disabled, so turning sounds on mid-session
        cannot mistake the next change for another one.
        """
        previous, self._previous = self._previous, event.phase
        if not self._enabled:
            return
        try:
            # Loading when the session starts moving keeps the first hold's cue on time.
            self.prepare()
            cue = cue_for(previous, event)
            if cue is None:
                return
            if not is_fresh(event.at, self._clock.now()):
                log.debug("%s not played: the %s change is stale (%s)", cue, event.phase, event.at)
                return
            self.play(cue)
        except Exception:  # a sound must never break the session that emitted the event
            log.exception("sound cue for %s failed", event.phase)

    def play(self, cue: SoundCue) -> None:
        """Sounds ``cue`` now, ``enabled`` or not: a settings preview asks for it explicitly."""
        if self._multimedia_ready():
            self._cache.play(cue.value, self._sounds_dir / cue.file_name)
        self.played.emit(cue.value)

    def prepare(self) -> None:
        """Imports QtMultimedia and loads every cue ahead of the first one that is needed.

        Idempotent and cheap after the first call; loading opens the audio output, which
        would otherwise delay the first cue of a session.
        """
        if self._multimedia_ready():
            self._cache.load((cue.value, self._sounds_dir / cue.file_name) for cue in SoundCue)

    def release(self) -> None:
        """Lets every loaded cue go (the guided window closed): the audio stream closes."""
        self._cache.release()

    # ------------------------------------------------------------------ internals
    def _multimedia_ready(self) -> bool:
        """Whether sound can come out, checking the folder and the files once."""
        if self._cache.loaded or not self._cache.available:
            return self._cache.available
        if not self._sounds_dir.is_dir():
            self._cache.give_up(logging.WARNING, f"sounds folder {self._sounds_dir} is missing")
            return False
        for cue in SoundCue:
            path = self._sounds_dir / cue.file_name
            if not path.is_file():
                self._cache.give_up(logging.WARNING, f"sound file {path} is missing")
                return False
        return self._cache.multimedia() is not None

    def _on_cache_gave_up(self) -> None:
        self.availability_changed.emit(False)
