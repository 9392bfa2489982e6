"""The spoken coach: plays pre-rendered cues at the moments ``core.cue_schedule`` plans.

Every change of the session view re-plans the current phase from its deadline; one wake
timer fires at the next cue's due time; a paused session is silent and plans nothing, and on
resume the next cue comes at its moment. Like ``SoundCues``, it keeps its clips in an
``EffectCache``: any audio failure ends in silence and one log line, never an exception;
``prepare`` loads the clips (opening the audio output) when the guided window opens, and
``release`` lets them go when it closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from stretchbreak.core.clock import Clock
from stretchbreak.core.cue_schedule import (
    EVERY_SESSION,
    PlannedCue,
    decide,
    plan_phase,
    resolve,
)
from stretchbreak.core.session_values import SessionView
from stretchbreak.infra.voice_files import VoiceLibrary
from stretchbreak.services.effect_cache import EffectCache
from stretchbreak.services.timers import WakeTimerFactory

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
        self._skipped: set[str] = set()
        self._phase: _PhaseId | None = None
        self._started = 0.0
        self._playing: PlannedCue | None = None
        self._cache = EffectCache(self, log, "spoken cues off")

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
        return self._cache.available

    @property
    def loaded(self) -> int:
        """Clips loaded now: while any is, the audio output stays open."""
        return self._cache.loaded

    @Slot(object)
    def on_session_started(self, _event: object = None) -> None:
        """A new session: every cue may be said again."""
        self._done.clear()
        self._skipped.clear()
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
        """Loads the clips every session says, ahead of its first cue: loading opens the audio
        output, so the first cue is on time. Called when the guided window opens and as a
        session starts. A set's or rest's phrase loads when first said: once the output is
        open that costs no measurable delay (docs/performance.md), and the window does not
        hold every rest length in memory."""
        library = self._voice()
        if library is None or not self.enabled:
            return
        wanted = (*self._setup_titles, *EVERY_SESSION)
        self._cache.load((key, library.clips[key].path) for key in wanted if key in library.clips)

    def release(self) -> None:
        """Silence, and let every clip go (the guided window closed): the stream closes."""
        self._silence()
        self._cache.release()

    # ------------------------------------------------------------------ internals
    def _playing_now(self, now: float) -> PlannedCue | None:
        playing = self._playing
        return playing if playing is not None and playing.end > now else None

    def _silence(self) -> None:
        self._timer.disarm()
        self._plan = []
        self._cache.stop()
        self._playing = None

    def _on_timer_timeout(self) -> None:
        self._run(self._clock.monotonic())

    def _run(self, now: float) -> None:
        decision = decide(self._plan, now, self._done, self._skipped)
        self._done.update(cue.key for cue in decision.skipped)
        self._skipped.update(cue.key for cue in decision.skipped)
        if decision.play is not None:
            self._done.add(decision.play.key)
            self._play(decision.play)
        if decision.wake_at is None:
            self._timer.disarm()
        else:
            self._timer.arm(decision.wake_at - self._clock.monotonic())

    def _play(self, cue: PlannedCue) -> None:
        if self._playing is not None:
            self._cache.stop(self._playing.text)  # a higher-priority cue cuts a lower one short
        library = self._voice()
        clip = None if library is None else library.clips.get(cue.text)
        if clip is not None:
            self._cache.play(cue.text, clip.path)
        self._playing = cue
        self.spoken.emit(cue.text)
