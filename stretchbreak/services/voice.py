"""The spoken coach: plays pre-rendered cues at the moments ``core.cue_schedule`` plans.

Every change of the session view re-plans the current phase from its deadline; one wake
timer fires at the next cue's due time; a paused session is silent and plans nothing, and on
resume the next cue comes at its moment. Like ``SoundCues``, any audio failure ends in
silence and one log line, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from stretchbreak.core.clock import Clock
from stretchbreak.core.cue_schedule import PlannedCue, decide, plan_phase, resolve
from stretchbreak.core.session_values import SessionView
from stretchbreak.infra.voice_files import VoiceLibrary
from stretchbreak.services.sound_cues import VOLUME, load_multimedia
from stretchbreak.services.timers import WakeTimerFactory

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)

_PhaseId = tuple[str, int, int, int]


class VoiceCoach(QObject):
    """Speaks the session: "Sit back", "Hold", "three, two, one", "Return", and so on.

    Signals: ``spoken(str)`` — a cue's text each time it was due and sent to the speakers
    (emitted with or without a device, so tests and benchmarks can follow the schedule).
    """

    spoken = Signal(str)

    def __init__(
        self,
        library: VoiceLibrary | Callable[[], VoiceLibrary | None] | None,
        clock: Clock,
        wake_timer: WakeTimerFactory,
        setup_titles: tuple[str, ...] = (),
        speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # A loader is called on first need: reading the manifest is no part of start-up.
        self._load = library if callable(library) else (lambda: library)
        self._loaded = False
        self._library: VoiceLibrary | None = None
        self._clock = clock
        self._timer = wake_timer(self._on_timer_timeout)
        self._setup_titles = setup_titles
        self._speed = speed
        self.enabled = True
        self._plan: list[PlannedCue] = []
        self._done: set[str] = set()
        self._phase: _PhaseId | None = None
        self._started = 0.0
        self._playing: PlannedCue | None = None
        self._effects: dict[str, QSoundEffect] = {}
        self._multimedia: ModuleType | None = None
        self._unavailable_reason: str | None = None

    @property
    def has_voice(self) -> bool:
        """False when this language ships no spoken cues; the app then uses tones."""
        return self._voice() is not None

    def _voice(self) -> VoiceLibrary | None:
        if not self._loaded:
            self._loaded = True
            self._library = self._load()
        return self._library

    @property
    def available(self) -> bool:
        return self._unavailable_reason is None

    @Slot(object)
    def on_session_started(self, _event: object = None) -> None:
        """A new session: every cue may be said again."""
        self._done.clear()
        self._phase = None
        self.prepare()

    @Slot(object)
    def on_view_changed(self, view: SessionView) -> None:
        """Connected to ``SessionRunner.view_changed``: re-plan the phase, then play what is due."""
        now = self._clock.monotonic()
        phase_id: _PhaseId = (view.phase.value, view.set_number, view.rep_number, view.setup_index)
        if view.deadline is not None and view.phase_seconds is not None:
            self._started = view.deadline - view.phase_seconds
        elif phase_id != self._phase:
            self._started = now
        self._phase = phase_id
        library = self._voice()
        if not self.enabled or library is None or view.paused:
            self._silence()
            return
        planned = plan_phase(view, self._started, library.seconds, self._setup_titles, self._speed)
        self._plan = resolve(planned, self._playing_now(now))
        self._run(now)

    def stop(self) -> None:
        """Silence now (window closed, setting changed); the plan is dropped until the next view."""
        self._silence()

    def prepare(self) -> None:
        """Loads every clip ahead of the first cue, so the first one is on time."""
        library = self._voice()
        if library is None or not self.enabled:
            return
        try:
            for key in library.clips:
                if self._effect(key) is None:
                    return
        except Exception as exc:  # called from slots: never raise
            self._give_up(logging.WARNING, f"loading the spoken cues failed: {exc!r}")

    # ------------------------------------------------------------------ internals
    def _playing_now(self, now: float) -> PlannedCue | None:
        playing = self._playing
        return playing if playing is not None and playing.end > now else None

    def _silence(self) -> None:
        self._timer.disarm()
        self._plan = []
        for effect in self._effects.values():
            effect.stop()
        self._playing = None

    def _on_timer_timeout(self) -> None:
        self._run(self._clock.monotonic())

    def _run(self, now: float) -> None:
        decision = decide(self._plan, now, self._done)
        self._done.update(cue.key for cue in decision.skipped)
        if decision.play is not None:
            self._done.add(decision.play.key)
            self._play(decision.play)
        if decision.wake_at is None:
            self._timer.disarm()
        else:
            self._timer.arm(decision.wake_at - self._clock.monotonic())

    def _play(self, cue: PlannedCue) -> None:
        try:
            if self._playing is not None:
                previous = self._effects.get(self._playing.text)
                if previous is not None:
                    previous.stop()  # a higher-priority cue cuts a lower one short
            effect = self._effect(cue.text)
            if effect is not None:
                effect.play()
        except Exception as exc:  # never raise into a timer callback
            self._give_up(logging.WARNING, f"playing {cue.text!r} failed: {exc!r}")
        self._playing = cue
        self.spoken.emit(cue.text)

    def _effect(self, key: str) -> QSoundEffect | None:
        effect = self._effects.get(key)
        if effect is not None or self._unavailable_reason is not None:
            return effect
        multimedia = self._load_multimedia()
        library = self._voice()
        if multimedia is None or library is None:
            return None
        clip = library.clips.get(key)
        if clip is None:
            return None
        created: QSoundEffect = multimedia.QSoundEffect(self)
        created.setVolume(VOLUME)
        created.statusChanged.connect(self._on_effect_status_changed)
        created.setSource(QUrl.fromLocalFile(str(clip.path)))
        self._effects[key] = created
        return created

    def _load_multimedia(self) -> ModuleType | None:
        if self._multimedia is not None:
            return self._multimedia
        self._multimedia = load_multimedia(self._give_up)
        return self._multimedia

    @Slot()
    def _on_effect_status_changed(self) -> None:
        sender = self.sender()
        effect = next((e for e in self._effects.values() if e is sender), None)
        if effect is None or self._multimedia is None:
            return
        if effect.status() == self._multimedia.QSoundEffect.Status.Error:
            self._give_up(logging.INFO, f"{effect.source().toLocalFile()} cannot be played")

    def _give_up(self, level: int, reason: str) -> None:
        if self._unavailable_reason is not None:
            return
        self._unavailable_reason = reason
        log.log(level, "spoken cues off: %s", reason)
        for effect in self._effects.values():
            effect.stop()
            effect.deleteLater()
        self._effects.clear()
