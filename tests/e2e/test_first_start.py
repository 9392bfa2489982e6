"""The real program on a fresh data folder: the welcome comes once, never twice; a bad
settings value is reported in the app itself, not only on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_process import LOG_NAME, quit_app, running_app
from tests.waiting import until_file_says

STARTED = "started (monotonic"  # logged once the whole app is built


@pytest.mark.slow
def test_a_fresh_data_folder_is_welcomed_once(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    log = data / LOG_NAME
    with running_app(data) as app:
        first = until_file_says(log, lambda text: "welcome shown" in text, app, 30)
        assert first is not None, "the first start shows the welcome"
        quit_app(data, app)
    assert (data / "welcome-shown").is_file()
    log.rename(log.with_name("first-run.log"))  # so the second run's log is its own
    with running_app(data) as app:
        second = until_file_says(log, lambda text: STARTED in text, app, 30)
        assert second is not None
        quit_app(data, app)
    text = log.read_text(encoding="utf-8")
    assert "welcome" not in text, "the second start does not show it again"


@pytest.mark.slow
def test_a_bad_settings_value_is_reported_in_the_app(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('[reminders.working_hours]\nmon = ["9-17"]\n')
    with running_app(data) as app:
        said = until_file_says(
            data / LOG_NAME, lambda text: "settings problem reported in the app" in text, app, 30
        )
        assert said is not None
        quit_app(data, app)
