"""Running the real program as a user without power over another user's files.

Tests run as root here, where file permissions stop nothing. The child then runs through
``setpriv`` without the capabilities that override them (``CAP_DAC_OVERRIDE``,
``CAP_DAC_READ_SEARCH``, ``CAP_FOWNER``): it is still uid 0, but a file of the user
``nobody`` with mode 0600 is as closed to it as to any other user. (``setpriv --reuid``
would be closer still, but the interpreter of this checkout lives in root's home, which no
other user may enter.) Elsewhere the tests that need it are skipped, saying why.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_process import app_command

DROPPED = "-dac_override,-dac_read_search,-fowner"


def nobody() -> tuple[int, int]:
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def give_away(path: Path) -> None:
    """Make ``path`` belong to the user ``nobody`` (root only)."""
    uid, gid = nobody()
    os.chown(path, uid, gid)


def powerless(data: Path, *args: str) -> list[str]:
    """The command line of ``stretchbreak --data-dir data args`` without override powers."""
    if os.geteuid() != 0:
        pytest.skip("needs root: only root can give a file to another user here")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    probe = [setpriv, f"--bounding-set={DROPPED}", sys.executable, "-c", "pass"]
    if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here (a restricted container?)")
    return [setpriv, f"--bounding-set={DROPPED}", *app_command(data, *args)]
