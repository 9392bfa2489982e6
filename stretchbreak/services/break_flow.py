"""From "open a break" to a running session, and every finished set into the log at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.history import CompletedSet, Feeling, Source
from stretchbreak.core.progression import Suggestion, smaller_target, suggest_target
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


@dataclass(frozen=True)
class StartDefaults:
    """What the start view offers when the log has no last session, from the settings."""

    goal: str = DEFAULT_GOAL
    tempo: TempoMode = TempoMode.GUIDED
    rest_seconds: float = DEFAULT_REST_SECONDS


class BreakFlow(QObject):
    """Prepares the start view's choices, plans sessions, and hands results to the log.

    It connects to nothing itself: whoever builds it connects it (``connect_runner``).
    Signals: ``choices_ready(StartChoices)`` when a break is opened, ``start_requested(
    SessionPlan)`` when the user starts one, ``logged()`` after a finished set or a session's
    end was handed to the log (written, or refused), ``log_failed(str)`` when the log refused
    a record (the session goes on regardless), ``summary_ready(SessionSummary, Suggestion |
    None)`` when a session ended and again after each answer to "How did it feel?": the
    suggestion is the smaller target to try next time, only after "Painful".
    """

    choices_ready = Signal(object)
    start_requested = Signal(object)
    logged = Signal()
    log_failed = Signal(str)
    summary_ready = Signal(object, object)

    def __init__(
        self,
        exercise: Exercise,
        session_log: SessionLog,
        new_id: Callable[[], str],
        *,
        defaults: StartDefaults = StartDefaults(),
        speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._exercise = exercise
        self._log = session_log
        self._new_id = new_id
        self._defaults = defaults
        self._speed = speed
        self._source = Source.MANUAL
        self._ended: SessionSummary | None = None

    @property
    def exercise(self) -> Exercise:
        return self._exercise

    @property
    def defaults(self) -> StartDefaults:
        return self._defaults

    def configure(self, defaults: StartDefaults) -> None:
        """New defaults from the settings; a session already running keeps its own."""
        self._defaults = defaults

    def open(self, goal: str | None = None, source: Source = Source.MANUAL) -> StartChoices:
        """Compute fresh choices (the log may have grown) and announce them."""
        last = self._log.last_session(self._exercise.id)
        known = {g.id for g in self._exercise.goals}
        chosen = next(
            g
            for g in (
                goal,
                last.goal if last else None,
                self._defaults.goal,
                self._exercise.goals[0].id,
            )
            if g in known
        )
        suggestions = {g.id: self.suggest(g.id) for g in self._exercise.goals}
        choices = StartChoices(
            goal=chosen,
            tempo=last.tempo if last else self._defaults.tempo,
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
            rest_seconds=self._defaults.rest_seconds,
            speed=self._speed,
        )
        self.start_requested.emit(plan)

    def _guard(self, what: str, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as error:  # the log reports; the session must go on
            # Whoever hears ``log_failed`` reports the message; a traceback is for debugging.
            log.debug("could not log %s", what, exc_info=error)
            self.log_failed.emit(
                tr("Could not save {what}: {error}").format(what=what, error=error)
            )

    def record_started(self, started: SessionStarted) -> None:
        self._guard(tr("the session"), lambda: self._log.record_session_started(started))

    def record_set(self, record: CompletedSet) -> None:
        """A set finished or abandoned: into the log, then ``logged``."""
        self._guard(
            tr("set {number}").format(number=record.set_index), lambda: self._log.record_set(record)
        )
        self.logged.emit()

    def record_ended(self, summary: SessionSummary) -> None:
        self._guard(tr("the session's end"), lambda: self._log.record_session_ended(summary))
        self.logged.emit()
        self._ended = summary
        self._announce_summary(summary)

    def record_feeling(self, rated: FeelingRated) -> None:
        self._guard(
            tr("your answer"), lambda: self._log.record_feeling(rated.session_id, rated.feeling)
        )
        ended = self._ended
        if ended is not None and ended.session_id == rated.session_id:
            self._ended = replace(ended, feeling=rated.feeling)
            self._announce_summary(self._ended)

    def _announce_summary(self, summary: SessionSummary) -> None:
        """The summary with what to try next time: a smaller target, only after "Painful"
        (decided here, so that no window decides it)."""
        suggestion = None
        if summary.feeling is Feeling.PAINFUL:
            suggestion = smaller_target(self._exercise.goal(summary.goal), summary.target)
        self.summary_ready.emit(summary, suggestion)


def connect_runner(flow: BreakFlow, runner: SessionRunner) -> None:
    """The connections every builder of a flow makes (the app's root, the tests, the
    screenshots, the benchmarks): the flow's plans start the runner, and each of the runner's
    results goes to the log through the flow. Connected before anyone else listens to the
    runner, so a listener that reads the log finds the result there; the app's history
    listens to ``flow.logged`` instead and so does not depend on that order."""
    flow.start_requested.connect(runner.start)
    runner.session_started.connect(flow.record_started)
    runner.set_completed.connect(flow.record_set)
    runner.set_abandoned.connect(flow.record_set)
    runner.session_ended.connect(flow.record_ended)
    runner.feeling_rated.connect(flow.record_feeling)
