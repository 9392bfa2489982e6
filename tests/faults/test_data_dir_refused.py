"""A data folder the program cannot use ends in one clear line and exit 2, never a
traceback, for the app and for ``status`` and ``history``; a history of another user's is
called what it is, not "read-only".

The real program runs as a subprocess; "cannot write" and "another user's" are real, made
with ``setpriv`` (see tests/faults/other_user.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from stretchbreak.infra.store import Store
from tests.app_process import LOG_NAME, app_command, app_env, wait_for
from tests.faults.other_user import give_away, powerless

pytestmark = pytest.mark.slow

COMMANDS = {"app": ("--no-tray",), "status": ("status",), "history": ("history",)}


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = app_env()
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("stretchbreak: error: ")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_300_character_folder_name(tmp_path: Path, name: str) -> None:
    data = tmp_path / ("a" * 300)
    done = run(app_command(data, *COMMANDS[name]))
    assert_one_clear_line(done, str(tmp_path), "300", "long")


def test_a_folder_the_user_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "theirs"
    locked.mkdir(mode=0o755)
    give_away(locked)
    for data in (locked, locked / "new"):
        done = run(powerless(data, "--no-tray"))
        assert_one_clear_line(done, str(locked), "Permission denied")
        for name in ("status", "history"):  # they need to write nothing: they answer
            asked = run(powerless(data, name))
            assert "Traceback" not in asked.stderr
            assert asked.returncode in (0, 3), asked.stderr
    assert list(locked.iterdir()) == []


def test_a_history_of_another_users_is_called_not_yours(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "stretchbreak.sqlite3"
    with Store.open(database):
        pass
    give_away(database)
    (data / LOG_NAME.parent).mkdir()
    command = powerless(data, "--no-tray")
    with subprocess.Popen(
        command, env=app_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as app:
        try:
            said = wait_for(data / LOG_NAME, "not yours", app)
            quit_done = run(powerless(data, "quit"))
            assert quit_done.returncode == 0, quit_done.stderr
            _, stderr = app.communicate(timeout=60)
        finally:
            app.kill()
    assert f"{database} is not yours: it belongs to the user nobody" in said
    assert "read-only" not in said
    assert "Traceback" not in stderr
    history = run(powerless(data, "history"))
    assert history.returncode == 1
    assert "not yours" in history.stderr
    assert database.stat().st_uid != 0, "the file still belongs to its owner"
