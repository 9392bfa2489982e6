"""Under umask 000 every folder the app creates is 0700 and every file 0600, as by default."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.app_process import (
    LOG_NAME,
    app_command,
    app_env,
    quit_app,
    wait_for,
    wait_until_answering,
)
from tests.waiting import until_file_says


def _modes(top: Path) -> dict[str, str]:
    found = {}
    for path in [top, *top.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            found[str(path.relative_to(top.parent))] = oct(mode)
    return found


def _run_and_quit(env: dict[str, str], data: Path, *args: str) -> None:
    with subprocess.Popen(
        app_command(data, *args) if args else app_command(data),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.umask(0),
    ) as app:
        try:
            wait_for(data / LOG_NAME, "started", app)
            wait_until_answering(data, app)
        finally:
            if app.poll() is None:
                quit_app(data, app)


def test_a_data_dir_and_its_missing_parents_are_private_under_umask_000(tmp_path: Path) -> None:
    data = tmp_path / "made" / "by" / "the-app"
    _run_and_quit(app_env(), data)
    assert _modes(tmp_path / "made") == {}


def test_the_per_user_folders_are_private_under_umask_000(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = {k: v for k, v in app_env().items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    env.pop("STRETCHBREAK_DATA_DIR", None)
    command = [sys.executable, "-m", "stretchbreak"]
    shown = subprocess.run(
        [*command, "paths", "--json"], env=env, capture_output=True, text=True, check=True
    )
    where = json.loads(shown.stdout)
    log = Path(where["logs"]) / "stretchbreak.log"
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.umask(0),
    ) as app:
        try:
            until_file_says(log, lambda text: "started" in text, app, 60)
        finally:
            app.terminate()
            app.communicate(timeout=60)
    assert _modes(home) == {}
