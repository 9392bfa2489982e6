"""The real program on a history it cannot open yet: it says why, keeps trying, and opens it
as soon as it can, without a traceback and without a restart.

Three ways a history is out of reach for a while: another program holds a write lock on it
(a real ``sqlite3`` connection in another process), it is a link into a folder that is not
there yet (a synced folder not mounted), and its ``-wal`` is a folder. Each is put right while
the app runs; the app's log must then say the history can be written again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stretchbreak.infra.store import Store
from tests.app_process import LOG_NAME, quit_app, running_app, wait_for
from tests.faults.sqlite_lock import HeldLock

pytestmark = pytest.mark.slow

DB_NAME = "stretchbreak.sqlite3"
AGAIN = "can be written again"


def an_existing_history(data: Path) -> Path:
    with Store.open(data / DB_NAME):
        pass
    return data / DB_NAME


def test_a_lock_held_at_start_is_waited_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = an_existing_history(data)
    with HeldLock(database) as lock, running_app(data, "--no-tray") as app:
        said = wait_for(data / LOG_NAME, "in use by another program", app)
        assert str(database) in said
        lock.release()
        wait_for(data / LOG_NAME, AGAIN, app, seconds=120)
        _, stderr = quit_app(data, app)
    assert "Traceback" not in stderr
    assert "Traceback" not in (data / LOG_NAME).read_text()


def test_a_link_into_a_folder_not_mounted_yet(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    synced = tmp_path / "synced"
    (data / DB_NAME).symlink_to(synced / DB_NAME)
    with running_app(data, "--no-tray") as app:
        said = wait_for(data / LOG_NAME, "does not exist", app)
        assert str(synced) in said
        synced.mkdir()  # the synced folder appears
        wait_for(data / LOG_NAME, AGAIN, app, seconds=120)
        _, stderr = quit_app(data, app)
    assert "Traceback" not in stderr
    assert "Traceback" not in (data / LOG_NAME).read_text()
    assert (synced / DB_NAME).is_file(), "the history lives where the link points"
    assert (data / DB_NAME).is_symlink()


def test_a_folder_in_place_of_the_wal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = an_existing_history(data)
    wal = data / f"{DB_NAME}-wal"
    wal.mkdir()
    with running_app(data, "--no-tray") as app:
        said = wait_for(data / LOG_NAME, "is a folder", app)
        assert str(wal) in said
        wal.rmdir()
        wait_for(data / LOG_NAME, AGAIN, app, seconds=120)
        _, stderr = quit_app(data, app)
    assert "Traceback" not in stderr
    assert "Traceback" not in (data / LOG_NAME).read_text()
    assert database.is_file()
