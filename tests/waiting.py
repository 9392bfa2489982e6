"""Waiting on what the kernel can tell us, instead of sleeping between looks.

A child process's end is a pidfd that becomes readable; a file's growth is an inotify event
on its folder. Both are waited for with ``select`` and a deadline, so a test wakes the
moment something happens and never sleeps a fixed time (Linux, where the tests run).
"""

from __future__ import annotations

import ctypes
import os
import select
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

_IN_MODIFY, _IN_CLOSE_WRITE, _IN_CREATE, _IN_MOVED_TO = 0x2, 0x8, 0x100, 0x80
_MASK = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_CREATE | _IN_MOVED_TO
_libc = ctypes.CDLL(None, use_errno=True)


def first_to_end(processes: Sequence[subprocess.Popen[str]], timeout_s: float) -> int | None:
    """The index of the first process to end within ``timeout_s``, or None."""
    fds = [os.pidfd_open(process.pid) for process in processes]
    try:
        ready, _, _ = select.select(fds, [], [], timeout_s)
        if not ready:
            return None
        index = fds.index(ready[0])
        processes[index].wait()
        return index
    finally:
        for fd in fds:
            os.close(fd)


def until_file_says(
    path: Path, holds: Callable[[str], bool], process: subprocess.Popen[str], timeout_s: float
) -> str | None:
    """Wait until ``holds(text of path)``; None at the deadline or once ``process`` ended."""
    watch = _libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if watch < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1 failed")
    ended = os.pidfd_open(process.pid)
    try:
        watched: set[Path] = set()
        deadline = time.monotonic() + timeout_s
        while True:
            # The file's folder may not exist yet: watch the nearest folder that does, and
            # the closer ones as they appear (creating them here would change their modes).
            nearest = next(folder for folder in (path.parent, *path.parents) if folder.is_dir())
            if nearest not in watched:
                if _libc.inotify_add_watch(watch, os.fsencode(nearest), _MASK) < 0:
                    raise OSError(ctypes.get_errno(), f"cannot watch {nearest}")
                watched.add(nearest)
            text = path.read_text() if path.exists() else ""
            if holds(text):
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([watch, ended], [], [], left)
            if ended in ready:
                text = path.read_text() if path.exists() else ""
                return text if holds(text) else None
            if watch in ready:
                os.read(watch, 65536)  # the events only say "look again"
    finally:
        os.close(watch)
        os.close(ended)
