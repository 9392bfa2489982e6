"""The guided window's pages: the view for each phase of a session, stacked in one place.

The window decides when to change page; this module knows which page shows a phase and
fills it from the ``SessionView`` the runner reports.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.progression import Suggestion
from stretchbreak.core.session_values import Phase, SessionSummary, SessionView
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.timers import TickerFactory
from stretchbreak.ui.done_view import DoneView
from stretchbreak.ui.figure import make_figure
from stretchbreak.ui.guided_views import RepView, RestView, SetupView
from stretchbreak.ui.session_keys import Page
from stretchbreak.ui.start_view import StartView
from stretchbreak.ui.tips_panel import TipsPanel


class SessionPages:
    """The start, setup, rep, rest, summary and tips pages in one stack, in ``Page``'s order."""

    def __init__(self, exercise: Exercise, runner: SessionRunner, ticker: TickerFactory) -> None:
        self.stack = QStackedWidget()
        self.start_view = StartView(exercise, make_figure(exercise, runner.clock, ticker))
        self.setup_view = SetupView(exercise, runner, ticker)
        self.rep_view = RepView(runner, ticker, exercise)
        self.rest_view = RestView(runner, ticker, exercise)
        self.done_view = DoneView(exercise)
        self.tips_panel = TipsPanel(exercise)
        views: list[QWidget] = [self.start_view, self.setup_view, self.rep_view, self.rest_view]
        views += [self.done_view, self.tips_panel]
        for page in views:
            self.stack.addWidget(page)
        self._pages = dict(zip(views, Page, strict=True))  # in Page's order: START … TIPS

    def kind(self, page: QWidget | None) -> Page:
        """Which page ``page`` is; no page at all counts as the start."""
        return self._pages[page] if page is not None else Page.START

    def page_for(self, view: SessionView | None) -> QWidget:
        """The page that shows ``view``, filled with it; the start page before a session."""
        if view is None or view.phase is Phase.OVERVIEW:
            return self.start_view
        if view.phase is Phase.SETUP:
            self.setup_view.show_view(view)
            return self.setup_view
        if view.phase.in_rep:
            self.rep_view.show_view(view)
            return self.rep_view
        if view.phase is Phase.REST:
            self.rest_view.show_view(view)
            return self.rest_view
        return self.done_view

    def show_summary(self, summary: SessionSummary, suggestion: Suggestion | None) -> None:
        """Fill the summary with the smaller target the flow suggests, if any."""
        self.done_view.show_summary(summary, suggestion)

    def set_reduced_motion(self, reduced: bool) -> None:
        """Still or moving figures on every page that has one."""
        for view in (self.start_view, self.setup_view, self.rep_view, self.rest_view):
            if view.figure is not None:
                view.figure.set_reduced_motion(reduced)
