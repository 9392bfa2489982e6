"""Where the command socket lies: only in a folder that is the user's own and closed to others.

Each case is an environment (``XDG_RUNTIME_DIR``, ``XDG_STATE_HOME``, ``TMPDIR``) handed to
``runtime_folder`` and real folders on disk; "another user's" folders are given to uid 65534
with ``chown`` (the tests run as root), skipped where that is not allowed.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchbreak.infra.instance import InstanceError
from stretchbreak.infra.instance_place import MAX_SOCKET_PATH_BYTES, runtime_folder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes need no folder")

NAME = "stretchbreak-0123456789abcdef0123"
NOBODY = 65534


def private(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True)
    path.chmod(0o700)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def give_away(path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Umask 000, as a careless session has it: created folders must still be 0700."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A short temporary folder: pytest's own are too deep for a socket path in them."""
    folder = Path(tempfile.mkdtemp(prefix="sb-place-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def long_state(tmp_path: Path) -> Path:
    """A state folder so deep that a socket path in it would not fit ``sockaddr_un``."""
    return tmp_path / ("s" * (MAX_SOCKET_PATH_BYTES - len(str(tmp_path))))


def test_a_private_runtime_folder_is_used(tmp_path: Path) -> None:
    runtime = private(tmp_path / "runtime")
    assert runtime_folder(NAME, {"XDG_RUNTIME_DIR": str(runtime)}) == runtime


@pytest.mark.parametrize("flaw", ["another user's", "open to others", "a symbolic link", "a file"])
def test_an_untrusted_runtime_folder_gives_way_to_the_state_folder(
    flaw: str, tmp_path: Path, open_umask: None
) -> None:
    runtime = private(tmp_path / "runtime")
    if flaw == "another user's":
        give_away(runtime)
    elif flaw == "open to others":
        runtime.chmod(0o711)
    elif flaw == "a symbolic link":
        (tmp_path / "link").symlink_to(runtime)
        runtime = tmp_path / "link"
    else:
        runtime.rmdir()
        runtime.write_text("")
    state = tmp_path / "state"
    environ = {"XDG_RUNTIME_DIR": str(runtime), "XDG_STATE_HOME": str(state)}
    folder = runtime_folder(NAME, environ, create=True)
    assert folder == state / "stretchbreak" / "run"
    assert [mode(p) for p in (state, state / "stretchbreak", folder)] == [0o700] * 3


def test_a_client_only_looks(tmp_path: Path) -> None:
    state = tmp_path / "state"
    folder = runtime_folder(NAME, {"XDG_STATE_HOME": str(state)})
    assert folder == state / "stretchbreak" / "run"
    assert not state.exists(), "asking a running app creates nothing"


def test_an_own_fallback_folder_left_open_is_closed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    run = state / "stretchbreak" / "run"
    run.mkdir(parents=True)
    run.chmod(0o777)
    assert runtime_folder(NAME, {"XDG_STATE_HOME": str(state)}, create=True) == run
    assert mode(run) == 0o700


def test_too_long_a_state_path_falls_back_to_a_per_user_temporary_folder(
    tmp_path: Path, long_state: Path, open_umask: None
) -> None:
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    environ = {"XDG_STATE_HOME": str(long_state), "TMPDIR": str(shared)}
    folder = runtime_folder(NAME, environ, create=True)
    assert folder == shared / f"stretchbreak-{os.getuid()}"
    assert mode(folder) == 0o700
    assert len(os.fsencode(folder / NAME)) <= MAX_SOCKET_PATH_BYTES


@pytest.mark.parametrize("plant", ["another user's folder", "a symbolic link"])
def test_a_planted_temporary_folder_is_never_used(
    plant: str, tmp_path: Path, long_state: Path
) -> None:
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    planted = shared / f"stretchbreak-{os.getuid()}"
    if plant == "another user's folder":
        private(planted)
        give_away(planted)
        said = "belongs to another user"
    else:
        planted.symlink_to(private(tmp_path / "elsewhere"))
        said = "is a symbolic link"
    environ = {"XDG_STATE_HOME": str(long_state), "TMPDIR": str(shared)}
    with pytest.raises(InstanceError, match=said):
        runtime_folder(NAME, environ, create=True)
    with pytest.raises(InstanceError, match=said):
        runtime_folder(NAME, environ)


def test_no_folder_short_enough_is_an_error(tmp_path: Path, long_state: Path) -> None:
    environ = {"XDG_STATE_HOME": str(long_state), "TMPDIR": str(long_state)}
    with pytest.raises(InstanceError, match="too long a path"):
        runtime_folder(NAME, environ, create=True)
