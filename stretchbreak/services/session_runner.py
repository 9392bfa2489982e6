"""Drives one break session on the event loop and announces what happened as Qt signals."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.clock import Clock
from stretchbreak.core.history import Feeling
from stretchbreak.core.session import BreakSession
from stretchbreak.core.session_values import (
    FeelingRated,
    InvalidTransition,
    PauseChanged,
    PhaseChanged,
    SessionEnded,
    SessionPlan,
    SessionStarted,
    SessionView,
    SetAbandoned,
    SetCompleted,
)
from stretchbreak.services.timers import WakeTimerFactory

log = logging.getLogger(__name__)


class SessionRunner(QObject):
    """Owns the current ``BreakSession`` and the single timer that wakes it at its deadline.

    Signals: ``view_changed(SessionView)``, ``session_started(SessionStarted)``,
    ``phase_changed(PhaseChanged)``, ``pause_changed(bool)``, ``set_completed(CompletedSet)``,
    ``set_abandoned(CompletedSet)``, ``session_ended(SessionSummary)``,
    ``feeling_rated(FeelingRated)``.
    """

    view_changed = Signal(object)
    session_started = Signal(object)
    phase_changed = Signal(object)
    pause_changed = Signal(bool)
    set_completed = Signal(object)
    set_abandoned = Signal(object)
    session_ended = Signal(object)
    feeling_rated = Signal(object)

    def __init__(
        self, clock: Clock, wake_timer: WakeTimerFactory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timer = wake_timer(self._on_timer_timeout)
        self._session: BreakSession | None = None

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def session(self) -> BreakSession | None:
        return self._session

    def view(self) -> SessionView | None:
        return None if self._session is None else self._session.view()

    def start(self, plan: SessionPlan) -> None:
        """Replace any finished session with a new one and leave its overview at once."""
        if self._session is not None and not self._session.phase.finished:
            raise InvalidTransition("a session is already running; cancel it first")
        self._session = BreakSession(plan, self._clock)
        self._command(self._session.begin)

    # Each intent returns whether it applied, so keys pressed at a phase edge are harmless.
    def next_cue(self) -> bool:
        return self._forward(lambda s: s.next_cue)

    def ready(self) -> bool:
        return self._forward(lambda s: s.ready)

    def advance(self) -> bool:
        return self._forward(lambda s: s.advance)

    def pause(self) -> bool:
        return self._forward(lambda s: s.pause)

    def resume(self) -> bool:
        return self._forward(lambda s: s.resume)

    def toggle_pause(self) -> bool:
        session = self._session
        if session is None:
            return False
        return self.resume() if session.paused else self.pause()

    def skip_rest(self) -> bool:
        return self._forward(lambda s: s.skip_rest)

    def extend_rest(self) -> bool:
        return self._forward(lambda s: s.extend_rest)

    def cancel(self) -> bool:
        return self._forward(lambda s: s.cancel)

    def rate(self, feeling: Feeling) -> bool:
        return self._forward(lambda s: lambda: s.rate(feeling))

    def tick(self) -> None:
        if self._session is not None:
            self._command(self._session.tick)

    def _on_timer_timeout(self) -> None:
        self.tick()

    def _forward(self, pick: Callable[[BreakSession], Callable[[], None]]) -> bool:
        if self._session is None:
            return False
        try:
            self._command(pick(self._session))
        except InvalidTransition as refused:
            log.debug("ignored: %s", refused)
            return False
        return True

    def _command(self, command: Callable[[], None]) -> None:
        session = self._session
        assert session is not None
        try:
            command()
        finally:
            # Even a refused command may have caught up on deadlines first.
            self._publish(session)

    def _publish(self, session: BreakSession) -> None:
        for event in session.drain_events():
            if isinstance(event, SessionStarted):
                self.session_started.emit(event)
            elif isinstance(event, PhaseChanged):
                self.phase_changed.emit(event)
            elif isinstance(event, PauseChanged):
                self.pause_changed.emit(event.paused)
            elif isinstance(event, SetCompleted):
                self.set_completed.emit(event.record)
            elif isinstance(event, SetAbandoned):
                self.set_abandoned.emit(event.record)
            elif isinstance(event, SessionEnded):
                self.session_ended.emit(event.summary)
            elif isinstance(event, FeelingRated):
                self.feeling_rated.emit(event)
        view = session.view()
        if view.deadline is None:
            self._timer.disarm()
        else:
            self._timer.arm(view.deadline - self._clock.monotonic())
        self.view_changed.emit(view)
