"""A fixed reminder time prompts in the real app, although its alarm always rings a bit late.

The app runs under libfaketime, started a few seconds before a minute boundary, so the test
waits seconds, not a minute, for the fixed time; the wait itself is on the app's log.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.app_process import ALL_DAY, LOG_NAME, app_command, app_env, quit_app, wait_for


def _faketime() -> Path:
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
    if not found:
        pytest.skip("libfaketime is not installed (Debian package faketime)")
    return found[0]


def test_a_fixed_time_one_minute_ahead_prompts_once(tmp_path: Path) -> None:
    library = _faketime()
    now = datetime.now().astimezone()
    # Start 4 s before the next minute boundary, so the fixed time is that minute.
    boundary = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    offset = (boundary - timedelta(seconds=4) - now).total_seconds()
    fixed = boundary.strftime("%H:%M")
    (tmp_path / "settings.toml").write_text(
        f'[reminders]\ninterval_minutes = 240\nfixed_times = ["{fixed}"]\n'
        f"heads_up_seconds = 0\nlull_seconds = 0\n"
        f"[reminders.working_hours]\n{ALL_DAY}\n",
        encoding="utf-8",
    )
    env = {
        **app_env(),
        "LD_PRELOAD": str(library),
        "FAKETIME": f"{offset:+.3f}",
        "TZ": os.environ.get("TZ", "UTC"),
    }
    with subprocess.Popen(
        app_command(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as app:
        try:
            log = wait_for(tmp_path / LOG_NAME, "prompt shown", app, seconds=60)
        finally:
            if app.poll() is None:
                quit_app(tmp_path, app)
    assert log.count("prompt shown") == 1
