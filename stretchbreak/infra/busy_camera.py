"""Camera in use: a process of this user holding a video device open, read from ``/proc``.

Only the user's own processes are looked at (another user's ``fd`` folder is unreadable
anyway, and a camera another user holds is not this user's call). A read costs about a
millisecond for a desktop's worth of processes, and is made only while a break waits.

PipeWire's camera portal opens the device in the PipeWire daemon, which is also the user's
own process, so a call through PipeWire is seen here too (as the daemon holding the device).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from stretchbreak.infra.busy import BusyUnavailable

__all__ = ["ProcCamera"]

log = logging.getLogger(__name__)


class ProcCamera:
    """Looks for an open ``/dev/video*`` (or ``device_prefix``) among the user's processes."""

    name = "open video devices (/proc)"

    def __init__(
        self,
        proc: Path = Path("/proc"),
        device_prefix: str = "/dev/video",
        uid: int | None = None,
        own_pid: int | None = None,
    ) -> None:
        if not (proc / "self" / "fd").is_dir():
            raise BusyUnavailable(f"no process table at {proc}")
        self._proc = proc
        self._prefix = device_prefix
        self._uid = os.getuid() if uid is None else uid
        self._own_pid = str(os.getpid() if own_pid is None else own_pid)

    def busy(self) -> bool | None:
        try:
            entries = os.scandir(self._proc)
        except OSError as error:
            log.debug("cannot list %s: %s", self._proc, error)
            return None
        with entries:
            for entry in entries:
                if not entry.name.isdigit() or entry.name == self._own_pid:
                    continue
                try:
                    if entry.stat(follow_symlinks=False).st_uid != self._uid:
                        continue
                except OSError:  # the process ended meanwhile
                    continue
                if self._holds_device(entry.path):
                    return True
        return False

    def _holds_device(self, process: str) -> bool:
        try:
            folder = os.open(f"{process}/fd", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:  # gone, or not ours after all
            return False
        try:
            for name in os.listdir(folder):  # noqa: PTH208 - a directory fd, not a path
                try:
                    target = os.readlink(name, dir_fd=folder)
                except OSError:
                    continue
                if target.startswith(self._prefix):
                    return True
            return False
        finally:
            os.close(folder)

    def close(self) -> None:
        """Nothing is kept open between reads."""
