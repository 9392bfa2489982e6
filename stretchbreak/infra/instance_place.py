"""Where the single-instance socket lies: a folder only this user can create or enter.

A socket in the shared temporary folder under a name anyone can compute can be planted by
another local user first, to hijack the channel or to block it. So the socket goes, in order:

1. in ``$XDG_RUNTIME_DIR``, the user's private runtime folder (``/run/user/<uid>``), but only
   when it is a real folder (not a symbolic link), owned by this user, and closed to group
   and others (mode 0700);
2. else in ``<state folder>/run`` (``~/.local/state/stretchbreak/run``), created 0700 inside
   the user's own home, where nobody else can create anything;
3. else, only when that path would be too long for a socket address, in a per-user folder
   ``<temporary folder>/stretchbreak-<uid>``, created 0700 and used only while it is a real
   folder of this user's own.

A folder that fails its checks is never used: the reason is an InstanceError, and the app
runs without its command channel (still the only one on its data folder, see
``instance_lock``) and says why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from stretchbreak.infra.instance_protocol import InstanceError

APP_NAME = "stretchbreak"
#: ``sockaddr_un`` holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
MAX_SOCKET_PATH_BYTES = 103


def runtime_folder(
    socket_name: str, environ: Mapping[str, str] = os.environ, *, create: bool = False
) -> Path:
    """The private folder for ``socket_name`` (see the module's order); InstanceError if none.

    ``create`` makes a missing fallback folder (the app does; a client only looks, and a
    missing folder is no error for it: nothing listens there).
    """
    xdg = environ.get("XDG_RUNTIME_DIR", "")
    if xdg and Path(xdg).is_absolute() and _private(Path(xdg)) is None:
        return Path(xdg)
    state = _state_home(environ) / APP_NAME / "run"
    if len(os.fsencode(state / socket_name)) <= MAX_SOCKET_PATH_BYTES:
        return checked_folder(state, create=create)
    temporary = Path(environ.get("TMPDIR") or "/tmp") / f"{APP_NAME}-{os.getuid()}"
    if len(os.fsencode(temporary / socket_name)) > MAX_SOCKET_PATH_BYTES:
        raise InstanceError(
            f"both {state} and {temporary} are too long a path for the command socket"
        )
    return checked_folder(temporary, create=create)


def checked_folder(folder: Path, *, create: bool) -> Path:
    """``folder`` once it is a private folder of this user's (made 0700 if ``create``)."""
    if create:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        try:
            for made in reversed(missing):
                made.mkdir(mode=0o700)  # each level, so no parent is open under umask 000
        except FileExistsError:
            pass  # checked below, whoever made it
        except OSError as error:
            raise InstanceError(f"cannot create {folder}: {error.strerror or error}") from None
        _close(folder)
    elif not os.path.lexists(folder):
        return folder  # nothing can listen in it: a client finds no socket there
    flaw = _private(folder)
    if flaw is not None:
        raise InstanceError(f"will not put the command socket in {folder}: {flaw}")
    return folder


def _close(folder: Path) -> None:
    """Take group and other access away from our own real folder (a mode set by hand)."""
    try:
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
            folder.chmod(0o700)
    except OSError:
        pass  # the check that follows says what is wrong


def _private(folder: Path) -> str | None:
    """None if ``folder`` is a real folder of this user's closed to others; else what is wrong."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return "it does not exist"
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != os.getuid():
        return "it belongs to another user"
    if info.st_mode & 0o077:
        return f"others may enter it (mode {stat.S_IMODE(info.st_mode):o}, not 700)"
    return None


def _state_home(environ: Mapping[str, str]) -> Path:
    """``$XDG_STATE_HOME`` or ``~/.local/state`` (the same on macOS: a private home folder)."""
    chosen = environ.get("XDG_STATE_HOME", "")
    if chosen and Path(chosen).is_absolute():
        return Path(chosen)
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "state"
