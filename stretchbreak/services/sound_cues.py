"""Soft sounds at the moments of a stretch a person waits for, and silence when there is no audio.

QtMultimedia is imported on first use, not at start-up: it lives in the Addons wheel, costs
start-up time, and on Linux cannot even be imported without PulseAudio's client library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from stretchbreak.core.clock import Clock
from stretchbreak.core.session_values import Phase, PhaseChanged
from stretchbreak.core.sound_cue import SoundCue, cue_for, is_fresh

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)

#: Below full scale: the files already peak at -12 dBFS, and a cue should never startle.
VOLUME = 0.6


def _import_multimedia() -> ModuleType:
    """The one place QtMultimedia is imported; a function so tests can make it fail."""
    import PySide6.QtMultimedia

    return PySide6.QtMultimedia


def _has_audio_output(multimedia: ModuleType) -> bool:
    """Asking first avoids a QSoundEffect per cue that could only fail, each with a Qt warning."""
    return bool(multimedia.QMediaDevices.audioOutputs())


def load_multimedia(give_up: Callable[[int, str], None]) -> ModuleType | None:
    """QtMultimedia with a device to play on, or None after ``give_up`` was told why: the one
    way the tones and the voice find out whether they can sound at all."""
    try:
        multimedia = _import_multimedia()
    except (ImportError, OSError) as exc:
        # Typically libpulse.so.0 missing on Linux: a normal state on a server or in CI.
        give_up(logging.INFO, f"QtMultimedia cannot be loaded ({exc})")
        return None
    if not _has_audio_output(multimedia):
        give_up(logging.INFO, "no audio output device")
        return None
    return multimedia


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
        self._multimedia: ModuleType | None = None
        self._unavailable_reason: str | None = None
        self._effects: dict[SoundCue, QSoundEffect] = {}

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, enabled: bool) -> None:
        self._enabled = enabled

    @property
    def available(self) -> bool:
        """False once it is known that no sound can come out, e.g. to grey out a setting."""
        return self._unavailable_reason is None

    def check_available(self) -> bool:
        """Find out now whether sound can come out (an audio output exists), so the guided
        window can say so before the first cue: loads QtMultimedia if not loaded yet."""
        try:
            self._load_multimedia()
        except Exception as exc:  # never raise into the window that asks
            self._give_up(logging.WARNING, f"checking for audio failed: {exc!r}")
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
        try:
            effect = self._effect(cue)
            if effect is not None:
                effect.play()
        except Exception as exc:  # never raise into a slot or a button handler
            self._give_up(logging.WARNING, f"playing {cue} failed: {exc!r}")
        self.played.emit(cue.value)

    def prepare(self) -> None:
        """Imports QtMultimedia and loads every cue ahead of the first one that is needed.

        Idempotent and cheap after the first call; decoding takes a few milliseconds, which
        would otherwise delay the first cue of a session.
        """
        try:
            for cue in SoundCue:
                if self._effect(cue) is None:
                    return
        except Exception as exc:  # called from slots too: never raise
            self._give_up(logging.WARNING, f"loading the sound cues failed: {exc!r}")

    # ------------------------------------------------------------------ internals
    def _effect(self, cue: SoundCue) -> QSoundEffect | None:
        effect = self._effects.get(cue)
        if effect is not None or self._unavailable_reason is not None:
            return effect
        multimedia = self._load_multimedia()
        if multimedia is None:
            return None
        path = self._sounds_dir / cue.file_name
        if not path.is_file():
            self._give_up(logging.WARNING, f"sound file {path} is missing")
            return None
        created: QSoundEffect = multimedia.QSoundEffect(self)
        created.setVolume(VOLUME)
        # A bound slot, not a lambda: a lambda would hold this object alive from inside its
        # own child, and releasing it while the child is deleted has crashed the interpreter.
        created.statusChanged.connect(self._on_effect_status_changed)
        created.setSource(QUrl.fromLocalFile(str(path)))
        self._effects[cue] = created
        return created

    def _load_multimedia(self) -> ModuleType | None:
        if self._multimedia is not None:
            return self._multimedia
        if not self._sounds_dir.is_dir():
            self._give_up(logging.WARNING, f"sounds folder {self._sounds_dir} is missing")
            return None
        self._multimedia = load_multimedia(self._give_up)
        return self._multimedia

    @Slot()
    def _on_effect_status_changed(self) -> None:
        sender = self.sender()
        effect = next((e for e in self._effects.values() if e is sender), None)
        if effect is None or self._multimedia is None:
            return  # an effect already let go of
        if effect.status() == self._multimedia.QSoundEffect.Status.Error:
            # Qt reports both an undecodable file and an output that refuses to play this way.
            self._give_up(logging.INFO, f"{effect.source().toLocalFile()} cannot be played")

    def _give_up(self, level: int, reason: str) -> None:
        """Silence for the rest of the run, with one log line: repeating it would only be noise."""
        if self._unavailable_reason is not None:
            return
        self._unavailable_reason = reason
        log.log(level, "sound cues off: %s", reason)
        for effect in self._effects.values():
            effect.stop()
            effect.deleteLater()
        self._effects.clear()
        self.availability_changed.emit(False)
