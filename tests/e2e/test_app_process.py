"""The real program as a subprocess: it starts offscreen, logs ready, and quits on signals."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_process import wait_for


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_the_app_starts_and_quits_cleanly_on_a_signal(tmp_path: Path, how: signal.Signals) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data = tmp_path / "new-folder"
    command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data), "break"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        log = data / "logs" / "stretchbreak.log"
        try:
            wait_for(log, "ready", process)
            process.send_signal(how)
            _, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert f"quitting on signal {int(how)}" in log.read_text()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
