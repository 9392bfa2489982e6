"""The data folder's lock: one holder at a time across processes, and a spare place for it.

The holder is a real second process (the lock is per open file, so a second lock in this
process would say nothing about another one); it is let go by closing its stdin.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchbreak.infra.instance import InstanceError
from stretchbreak.infra.instance_lock import DataFolderLock
from stretchbreak.infra.paths import LOCK_NAME
from tests.app_process import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock")

HOLDER = """
import sys
from pathlib import Path
from stretchbreak.infra.instance_lock import DataFolderLock
lock = DataFolderLock(Path(sys.argv[1]), Path(sys.argv[2]))
print("held" if lock.acquire() else "refused", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "data"), str(tmp_path / "spare")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as process:
        assert process.stdout is not None
        yield process
        process.kill()


def test_one_process_holds_it_and_the_next_is_told_who(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    (tmp_path / "data").mkdir()
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    mine = DataFolderLock(tmp_path / "data", tmp_path / "spare")
    assert mine.held_elsewhere()
    assert mine.acquire() is False
    assert mine.holder() == holder.pid
    assert (tmp_path / "data" / LOCK_NAME).stat().st_mode & 0o777 == 0o600

    holder.kill()  # SIGKILL: the kernel lets go of the lock
    holder.wait(30)
    assert not mine.held_elsewhere()
    assert mine.acquire() is True
    assert mine.holder() is not None
    mine.release()


def test_a_data_folder_that_cannot_hold_the_lock_uses_the_spare(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    (tmp_path / "data" / LOCK_NAME).mkdir(parents=True)  # in the way: cannot be opened
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    assert (tmp_path / "spare").exists()
    mine = DataFolderLock(tmp_path / "data", tmp_path / "spare")
    assert mine.held_elsewhere()
    assert mine.holder() == holder.pid
    assert mine.acquire() is False


def test_without_a_spare_a_lock_that_cannot_be_taken_is_an_error(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).mkdir()
    with pytest.raises(InstanceError, match="cannot open the lock file"):
        DataFolderLock(tmp_path).acquire()
