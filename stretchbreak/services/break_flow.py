"""From "open a break" to a running session, and every finished set into the log at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import CompletedSet, Source
from stretchbreak.core.progression import Suggestion, suggest_target
from stretchbreak.core.session_log import SessionLog
from stretchbreak.core.session_values import (
    DEFAULT_REST_SECONDS,
    FeelingRated,
    SessionPlan,
    SessionStarted,
    SessionSummary,
    TempoMode,
)
from stretchbreak.core.target import Target
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.translate import tr

log = logging.getLogger(__name__)

DEFAULT_GOAL = "desk-reset"


@dataclass(frozen=True)
class StartChoices:
    """What the start view offers: the goal to preselect and a suggested target for each goal."""

    goal: str
    tempo: TempoMode
    suggestions: Mapping[str, Suggestion]
    source: Source


@dataclass(frozen=True)
class StartRequest:
    goal: str
    target: Target
    tempo: TempoMode


class BreakFlow(QObject):
    """Prepares the start view's choices, starts sessions, and hands results to the log.

    Signals: ``choices_ready(StartChoices)`` when a break is opened,
    ``log_failed(str)`` when the log refused a record (the session goes on regardless).
    """

    choices_ready = Signal(object)
    log_failed = Signal(str)

    def __init__(
        self,
        exercise: Exercise,
        runner: SessionRunner,
        session_log: SessionLog,
        new_id: Callable[[], str],
        *,
        default_goal: str = DEFAULT_GOAL,
        rest_seconds: float = DEFAULT_REST_SECONDS,
        speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._exercise = exercise
        self._runner = runner
        self._log = session_log
        self._new_id = new_id
        self._default_goal = default_goal
        self._default_tempo = TempoMode.GUIDED
        self._rest_seconds = rest_seconds
        self._speed = speed
        self._source = Source.MANUAL
        runner.session_started.connect(self._on_runner_session_started)
        runner.set_completed.connect(self._on_runner_set_finished)
        runner.set_abandoned.connect(self._on_runner_set_finished)
        runner.session_ended.connect(self._on_runner_session_ended)
        runner.feeling_rated.connect(self._on_runner_feeling_rated)

    @property
    def exercise(self) -> Exercise:
        return self._exercise

    def configure(self, default_goal: str, default_tempo: TempoMode, rest_seconds: float) -> None:
        """New defaults from the settings; a session already running keeps its own."""
        self._default_goal = default_goal
        self._default_tempo = default_tempo
        self._rest_seconds = rest_seconds

    def open(self, goal: str | None = None, source: Source = Source.MANUAL) -> StartChoices:
        """Compute fresh choices (the log may have grown) and announce them."""
        last = self._log.last_session(self._exercise.id)
        known = {g.id for g in self._exercise.goals}
        chosen = next(
            g
            for g in (
                goal,
                last.goal if last else None,
                self._default_goal,
                self._exercise.goals[0].id,
            )
            if g in known
        )
        suggestions = {g.id: self.suggest(g.id) for g in self._exercise.goals}
        choices = StartChoices(
            goal=chosen,
            tempo=last.tempo if last else self._default_tempo,
            suggestions=suggestions,
            source=source,
        )
        self._source = source
        self.choices_ready.emit(choices)
        return choices

    def suggest(self, goal_id: str) -> Suggestion:
        goal = self._exercise.goal(goal_id)
        last = self._log.last_session(self._exercise.id, goal_id, with_sets=True)
        if last is None:
            return suggest_target(goal, [])
        return suggest_target(goal, self._log.session_sets(last.session_id), last.feeling)

    def start(self, request: StartRequest) -> None:
        plan = SessionPlan(
            session_id=self._new_id(),
            exercise=self._exercise,
            goal=self._exercise.goal(request.goal),
            target=request.target,
            tempo=request.tempo,
            source=self._source,
            rest_seconds=self._rest_seconds,
            speed=self._speed,
        )
        self._runner.start(plan)

    def _guard(self, what: str, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as error:  # the log reports; the session must go on
            # Whoever hears ``log_failed`` reports the message; a traceback is for debugging.
            log.debug("could not log %s", what, exc_info=error)
            self.log_failed.emit(
                tr("Could not save {what}: {error}").format(what=what, error=error)
            )

    def _on_runner_session_started(self, started: SessionStarted) -> None:
        self._guard(tr("the session"), lambda: self._log.record_session_started(started))

    def _on_runner_set_finished(self, record: CompletedSet) -> None:
        self._guard(
            tr("set {number}").format(number=record.set_index), lambda: self._log.record_set(record)
        )

    def _on_runner_session_ended(self, summary: SessionSummary) -> None:
        self._guard(tr("the session's end"), lambda: self._log.record_session_ended(summary))

    def _on_runner_feeling_rated(self, rated: FeelingRated) -> None:
        self._guard(
            tr("your answer"), lambda: self._log.record_feeling(rated.session_id, rated.feeling)
        )
