"""Test setup shared by every group: offscreen Qt, a fake clock, and a private home folder."""

from __future__ import annotations

import gc
import os
from pathlib import Path

# Qt aborts the whole process when it finds no display and no platform: set it before any
# test module can import PySide6.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest
from hypothesis import settings

from stretchbreak.infra.qt_binding import lighten_feature_check

# The same PySide as users run: ``cli/main.py`` swaps in the cheap feature check before Qt loads.
lighten_feature_check()

from tests.fakes import FakeClock  # noqa: E402  # after the swap, as cli/main.py orders it

# The property tests check what the code answers, never how fast: on a busy machine an
# example taking longer than Hypothesis's 200 ms deadline is no failure of the app.
settings.register_profile("stretchbreak", deadline=None)
settings.load_profile("stretchbreak")


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user folder at a temporary one, so no test touches the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.delenv("STRETCHBREAK_DATA_DIR", raising=False)
    return home


@pytest.fixture(autouse=True)
def collect_garbage_between_tests() -> None:
    """Collect what earlier tests left before each test starts.

    Python's collector runs whenever allocations pass its threshold, which can fall inside
    a Qt call: PySide then destroys a dead test's QObjects while Qt holds its signal lock
    (seen in ``QObject::disconnect`` from pytest-qt's ``waitSignal``), and the two wait for
    each other for ever. Collected here, between tests, that garbage is gone first.
    """
    gc.collect()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
