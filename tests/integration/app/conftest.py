"""The whole app built as ``launch`` builds it, with time, timers and alarms under the test's
control: one factory, so every app test composes the same App."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pytest
from PySide6.QtWidgets import QApplication

from stretchbreak.app.compose import App
from stretchbreak.app.context import Outside
from stretchbreak.infra.busy import Makers, platform_makers
from stretchbreak.infra.idle import IdleBackend
from stretchbreak.infra.paths import AppPaths
from stretchbreak.infra.resources import load_bundled_exercise
from tests.fakes import FakeAlarm, FakeClock, FakeTickers, FakeTimers


class MakeApp(Protocol):
    """Builds an App on ``paths`` (by default the ``paths`` fixture: a fresh data folder).

    Only what a test must not leave real is replaced: the clock (a new ``FakeClock``),
    the wake-up timers (new ``FakeTimers``), the tickers, the alarm (a new ``FakeAlarm``
    each time the app asks, or the one given) and idle detection (none, or ``idle``).
    Everything else is ``Outside``'s default, the tray and the busy signals included.
    """

    def __call__(
        self,
        paths: AppPaths | None = None,
        *,
        clock: FakeClock | None = None,
        timers: FakeTimers | None = None,
        alarm: FakeAlarm | None = None,
        idle: IdleBackend | None = None,
        use_tray: bool = True,
        busy_makers: Callable[[], Makers] | None = None,
    ) -> App: ...


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    """A fresh data folder under the test's own temporary folder, its folders created."""
    paths = AppPaths.under(tmp_path / "data")
    paths.create_folders()
    return paths


@pytest.fixture
def make_app(request: pytest.FixtureRequest) -> MakeApp:
    def make(
        paths: AppPaths | None = None,
        *,
        clock: FakeClock | None = None,
        timers: FakeTimers | None = None,
        alarm: FakeAlarm | None = None,
        idle: IdleBackend | None = None,
        use_tray: bool = True,
        busy_makers: Callable[[], Makers] | None = None,
    ) -> App:
        qt = QApplication.instance()
        assert isinstance(qt, QApplication)
        return App(
            qt,
            request.getfixturevalue("paths") if paths is None else paths,
            load_bundled_exercise(),
            outside=Outside(
                clock=FakeClock() if clock is None else clock,
                wake_timer=FakeTimers() if timers is None else timers,
                ticker=FakeTickers(),
                alarm=FakeAlarm if alarm is None else (lambda: alarm),
                detect_idle=None if idle is None else (lambda: idle),
                use_tray=use_tray,
                busy_makers=platform_makers if busy_makers is None else busy_makers,
            ),
        )

    return make
