"""A broken settings.toml never stops the app: it runs, says what is wrong, keeps the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_process import wait_for


@pytest.mark.slow
def test_the_app_runs_on_an_unparsable_settings_file_and_keeps_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    broken = b'[reminders]\ninterval_minutes = 50\nworking_hours = "oops\n'
    (data / "settings.toml").write_bytes(broken)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "break"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            wait_for(data / "logs" / "stretchbreak.log", "ready", process)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0, stderr
    moved = list(data.glob("settings.toml.bad-*"))
    assert len(moved) == 1
    assert moved[0].read_bytes() == broken
    assert not (data / "settings.toml").exists()
    log = (data / "logs" / "stretchbreak.log").read_text()
    assert "line 3" in log
