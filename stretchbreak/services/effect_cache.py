"""Loaded sound effects by name, shared by the tones and the spoken coach.

QtMultimedia is imported on first use, not at start-up: it lives in the Addons wheel, costs
start-up time, and on Linux cannot even be imported without PulseAudio's client library.

Loading an effect is what opens the audio output: with Qt 6.11 the first loaded effect opens a
stream to the sound server, and the stream stays open (its thread waking the process) until the
last effect is deleted. So effects are loaded when the guided window opens — ahead of the first
cue — and ``release`` lets them go when it closes: an idle app holds no audio stream.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Slot

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

#: Below full scale: the files already peak at -3 to -12 dBFS, and a cue should never startle.
VOLUME = 0.6


def _import_multimedia() -> ModuleType:
    """The one place QtMultimedia is imported; a function so tests can make it fail."""
    import PySide6.QtMultimedia

    return PySide6.QtMultimedia


def _has_audio_output(multimedia: ModuleType) -> bool:
    """Asking first avoids an effect per cue that could only fail, each with a Qt warning."""
    return bool(multimedia.QMediaDevices.audioOutputs())


def load_multimedia(give_up: Callable[[int, str], None]) -> ModuleType | None:
    """QtMultimedia with a device to play on, or None after ``give_up`` was told why."""
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


class EffectCache(QObject):
    """One ``QSoundEffect`` per name, made on first need and kept until ``release``.

    Whatever goes wrong (no QtMultimedia, no output device, a file Qt reports as unplayable)
    ends in ``available`` turning False, one log line (``label``: reason) for the whole run
    and ``gave_up`` being called; never an exception.
    """

    def __init__(
        self,
        owner: QObject,
        logger: logging.Logger,
        label: str,
        gave_up: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(owner)
        self._owner = owner
        self._log = logger
        self._label = label
        self._gave_up = gave_up
        self._multimedia: ModuleType | None = None
        self._reason: str | None = None
        self._effects: dict[str, QSoundEffect] = {}

    @property
    def available(self) -> bool:
        return self._reason is None

    @property
    def loaded(self) -> int:
        """How many effects are loaded now (0 once released): what holds the output open."""
        return len(self._effects)

    def multimedia(self) -> ModuleType | None:
        """QtMultimedia, imported on the first call; None when no sound can come out."""
        if self._multimedia is None and self._reason is None:
            self._multimedia = load_multimedia(self.give_up)
        return self._multimedia if self._reason is None else None

    def effect(self, name: str, path: Path) -> QSoundEffect | None:
        """The effect for ``name``, loading ``path`` the first time it is asked for."""
        found = self._effects.get(name)
        if found is not None or self._reason is not None:
            return found
        multimedia = self.multimedia()
        if multimedia is None:
            return None
        created: QSoundEffect = multimedia.QSoundEffect(self._owner)
        created.setVolume(VOLUME)
        # A bound slot, not a lambda: a lambda would hold this object alive from inside its
        # own child, and releasing it while the child is deleted has crashed the interpreter.
        created.statusChanged.connect(self._on_effect_status_changed)
        created.setSource(QUrl.fromLocalFile(str(path)))
        self._effects[name] = created
        return created

    def load(self, named_paths: Iterable[tuple[str, Path]]) -> None:
        """Loads every effect ahead of need; stops at the first that cannot be made."""
        try:
            for name, path in named_paths:
                if self.effect(name, path) is None:
                    return
        except Exception as exc:  # called from slots: never raise
            self.give_up(logging.WARNING, f"loading failed: {exc!r}")

    def play(self, name: str, path: Path) -> None:
        try:
            effect = self.effect(name, path)
            if effect is not None:
                effect.play()
        except Exception as exc:  # never raise into a slot, a timer or a button handler
            self.give_up(logging.WARNING, f"playing {name!r} failed: {exc!r}")

    def stop(self, name: str | None = None) -> None:
        """Silences ``name``, or every effect."""
        for key, effect in self._effects.items():
            if name is None or key == name:
                effect.stop()

    def release(self) -> None:
        """Stops and deletes every effect, which closes the audio stream; the next ``effect``
        loads again. Nothing plays until then."""
        effects, self._effects = self._effects, {}
        for effect in effects.values():
            effect.stop()
            effect.deleteLater()

    def give_up(self, level: int, reason: str) -> None:
        """Silence for the rest of the run, with one log line: repeating it would only be noise."""
        if self._reason is not None:
            return
        self._reason = reason
        self._log.log(level, "%s: %s", self._label, reason)
        self.release()
        if self._gave_up is not None:
            self._gave_up()

    @Slot()
    def _on_effect_status_changed(self) -> None:
        sender = self.sender()
        effect = next((e for e in self._effects.values() if e is sender), None)
        if effect is None or self._multimedia is None:
            return  # an effect already let go of
        if effect.status() == self._multimedia.QSoundEffect.Status.Error:
            # Qt reports both an undecodable file and an output that refuses to play this way.
            self.give_up(logging.INFO, f"{effect.source().toLocalFile()} cannot be played")
