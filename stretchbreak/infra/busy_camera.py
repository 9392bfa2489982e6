"""Camera in use: a process of this user holding a video device open, read from ``/proc``.

Only the user's own processes are looked at (another user's ``fd`` folder is unreadable
anyway, and a camera another user holds is not this user's call). A read costs about a
millisecond for a desktop's worth of processes, and is made only while a break waits.

PipeWire's camera portal opens the device in the PipeWire daemon, also the user's own
process; the daemon may keep it open while no one watches, so where PipeWire runs its own
word counts too (``busy_pipewire.py``): ``camera_backend`` asks both, and the camera is in
use when either says so.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from stretchbreak.infra.busy import BusyBackend, BusyUnavailable
from stretchbreak.infra.busy_pipewire import PipeWireCamera

__all__ = ["AnyCamera", "ProcCamera", "camera_backend"]

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


class AnyCamera:
    """Several camera backends read as one: busy when any is, failed only when all failed."""

    def __init__(self, backends: Sequence[BusyBackend], name: str) -> None:
        self._backends = tuple(backends)
        self.name = name

    def busy(self) -> bool | None:
        answers = [backend.busy() for backend in self._backends]
        if any(answer is True for answer in answers):
            return True
        return None if all(answer is None for answer in answers) else False

    def close(self) -> None:
        for backend in self._backends:
            backend.close()


def camera_backend(
    makers: Mapping[str, Callable[[], BusyBackend]] | None = None,
) -> BusyBackend:
    """The ``/proc`` scan and PipeWire together; the name says which ones watch and why the
    others cannot (for the settings' Calls page)."""
    if makers is None:
        makers = {"/proc": ProcCamera, "PipeWire": PipeWireCamera}
    working: list[BusyBackend] = []
    problems: list[str] = []
    for label, make in makers.items():
        try:
            working.append(make())
        except (BusyUnavailable, OSError) as error:
            problems.append(f"{label} unavailable: {error}")
    if not working:
        raise BusyUnavailable("; ".join(problems))
    if len(working) == 1 and not problems:
        return working[0]
    name = " and ".join(backend.name for backend in working)
    if problems:
        name += "; " + "; ".join(problems)
    return AnyCamera(working, name)
