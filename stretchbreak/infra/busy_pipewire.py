"""Camera in use, as PipeWire sees it: a video source node (a camera) in the running state.

Read from ``pw-dump`` (package pipewire-bin), PipeWire's own JSON listing of its graph. One
run is a short-lived client: it connects, lists, and exits, in a few milliseconds on a small
graph. It is made only while a break waits, with a timeout, because the look runs on the GUI
thread; after a timeout PipeWire is not asked again for a minute, so a hung daemon costs one
half-second wait a minute, not one per look. A library binding (libpipewire through ctypes)
would need its own event loop for the same list; the command is the cheaper honest way.

The ``/proc`` scan (``busy_camera.py``) sees a camera that a program opens directly; this
sees one that PipeWire drives for a program (the camera portal, libcamera), where the device
may be held by the daemon the whole time and only the node's state says it streams.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from typing import Any

from stretchbreak.infra.busy import BusyUnavailable

__all__ = ["CAMERA_CLASSES", "PipeWireCamera", "running_camera"]

log = logging.getLogger(__name__)

#: ``media.class`` of camera nodes: real devices and virtual cameras (OBS and the like).
CAMERA_CLASSES = frozenset({"Video/Source", "Video/Source/Virtual"})
#: How long one ``pw-dump`` may take before the read counts as failed.
TIMEOUT_S = 0.5
#: After a timeout, how long PipeWire is left alone (reads fail meanwhile).
BACKOFF_S = 60.0


def running_camera(dump: object) -> bool:
    """Whether ``pw-dump``'s list holds a camera node that is streaming now."""
    if not isinstance(dump, list):
        raise ValueError("pw-dump did not print a list")
    for item in dump:
        if not isinstance(item, dict) or item.get("type") != "PipeWire:Interface:Node":
            continue
        info: Any = item.get("info")
        if not isinstance(info, dict):
            continue
        props = info.get("props")
        if not isinstance(props, dict) or props.get("media.class") not in CAMERA_CLASSES:
            continue
        if info.get("state") == "running":
            return True
    return False


class PipeWireCamera:
    """Runs ``pw-dump`` at each look; unavailable where the command or the daemon is missing."""

    name = "PipeWire"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        timeout: float = TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._env = dict(os.environ if env is None else env)
        command = shutil.which("pw-dump", path=self._env.get("PATH", os.defpath))
        if command is None:
            raise BusyUnavailable("pw-dump is not installed (package pipewire-bin)")
        self._command = command
        self._timeout = timeout
        self._clock = clock
        self._quiet_until = 0.0
        self._closed = False
        answer = self._read()
        if isinstance(answer, BusyUnavailable):
            raise answer
        #: The opening read answers the look that opened it (it was made a moment ago).
        self._first: bool | None = answer

    def busy(self) -> bool | None:
        first, self._first = self._first, None
        if self._closed or self._clock() < self._quiet_until:
            return None
        if first is not None:
            return first
        answer = self._read()
        return None if isinstance(answer, BusyUnavailable) else answer

    def close(self) -> None:
        """Nothing is kept open between reads; a closed backend answers nothing."""
        self._closed = True

    def _read(self) -> bool | BusyUnavailable:
        """The answer, or why there is none (for the first read, the user's reason)."""
        try:
            done = subprocess.run(
                [self._command, "--no-colors"],
                env=self._env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            log.info("pw-dump did not finish within %.1f s", self._timeout)
            self._quiet_until = self._clock() + BACKOFF_S
            return BusyUnavailable("PipeWire did not answer")
        except OSError as error:
            log.debug("cannot run pw-dump: %s", error)
            return BusyUnavailable(f"cannot run pw-dump ({error.strerror})")
        if done.returncode != 0:
            log.debug("pw-dump: %s", done.stderr.decode(errors="replace").strip())
            return BusyUnavailable("no PipeWire")
        try:
            return running_camera(json.loads(done.stdout))
        except ValueError as error:  # includes JSONDecodeError
            log.debug("pw-dump printed something else: %s", error)
            return BusyUnavailable("PipeWire's listing could not be read")
