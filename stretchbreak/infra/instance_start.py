"""A launch becomes the one app on its data folder, or hands its wish to the app that runs.

The data folder's lock decides (``instance_lock``): whoever holds it is the app, listens on
the socket and serves other launches. A launch that cannot take it asks the holder over the
socket, for up to 5 s in all (the README's promise for every command): a holder that is still
starting gets its socket within that time; one that is stopped, hung, or lost its socket is
reported in one line, and the launch ends without ever becoming a second writer.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from stretchbreak.infra.instance import InstanceServer, send_command, socket_name
from stretchbreak.infra.instance_lock import DataFolderLock
from stretchbreak.infra.instance_protocol import (
    CommandRejected,
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
)
from stretchbreak.infra.paths import AppPaths

log = logging.getLogger(__name__)

#: How long a launch may spend reaching the app that holds the data folder.
REACH_S = 5.0
#: Between looks at the lock and the socket while the holder is starting (milliseconds' work).
_POLL_S = 0.02


class AlreadyRunning(InstanceError):
    """Another app holds the data folder and could not be reached; the message says why."""


def claim(
    server: InstanceServer,
    data_dir: Path,
    command: str,
    args: Mapping[str, object],
    *,
    timeout_s: float = REACH_S,
    environ: Mapping[str, str] = os.environ,
) -> DataFolderLock | None:
    """The data folder's lock once this process is the app; None once the app took the wish.

    As the app, ``server`` listens unless the channel cannot be made (logged: the app runs,
    still the only one). AlreadyRunning when another process holds the folder and does not
    answer within ``timeout_s``; InstanceError when the lock file cannot be used at all.
    """
    lock = DataFolderLock(data_dir, spare_lock(data_dir, environ, create=True))
    deadline = time.monotonic() + timeout_s
    while True:
        if lock.acquire():
            if _listen(server, data_dir, environ):
                return lock
            lock.release()  # an older app without the lock answers on our socket
        try:
            send_command(
                socket_name(data_dir, environ=environ), command, args, timeout_s=_left(deadline)
            )
        except CommandRejected:
            raise
        except InstanceNotRunning:
            if time.monotonic() >= deadline:
                why = "it does not listen for commands (its socket is gone)"
                raise AlreadyRunning(_unreachable(lock, why)) from None
        except InstanceTimeout:
            raise AlreadyRunning(
                _unreachable(lock, f"did not answer within {timeout_s:g} s")
            ) from None
        except InstanceError as error:
            raise AlreadyRunning(_unreachable(lock, str(error))) from None
        else:
            return None
        time.sleep(_POLL_S)  # the holder is starting, or has lost its socket


def spare_lock(data_dir: Path, environ: Mapping[str, str], *, create: bool) -> Path | None:
    """Where the data folder's lock goes when the folder cannot hold it: beside the socket."""
    if sys.platform == "win32":
        return None  # a pipe name is no folder
    try:
        return AppPaths.spare_data_lock(Path(socket_name(data_dir, environ=environ, create=create)))
    except InstanceError:
        return None


def _listen(server: InstanceServer, data_dir: Path, environ: Mapping[str, str]) -> bool:
    """Listen as the holder of the lock; False if a live app (without the lock) answers."""
    try:
        return server.listen(socket_name(data_dir, environ=environ, create=True))
    except InstanceError as error:
        log.warning("%s; other launches cannot reach this one", error)
        return True


def _left(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.05)


def _unreachable(lock: DataFolderLock, why: str) -> str:
    pid = lock.holder()
    holder = f" (process {pid})" if pid is not None else ""
    return f"stretchbreak already runs on {lock.path.parent}{holder}, but {why}"


def launch_request(
    goal: str | None, settings_only: bool, opens_window: bool
) -> tuple[str, dict[str, object]]:
    """What a launch asks of an instance that already runs."""
    if settings_only:
        return "settings", {}
    if opens_window:
        return "break", ({"goal": goal} if goal else {})
    return "show", {}
