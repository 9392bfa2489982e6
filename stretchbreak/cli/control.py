"""The commands that steer a running stretchbreak: status, pause, resume, quit, and the
hand-over of ``break``/``settings`` to an instance that already runs.

Only the instance channel is loaded: a Unix socket and QtCore (no QtNetwork, no widgets,
no display needed); QtNetwork's named pipe on Windows.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from stretchbreak.infra.instance import (
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
    send_command,
    socket_name,
)
from stretchbreak.infra.instance_lock import DataFolderLock
from stretchbreak.infra.instance_start import spare_lock

EXIT_NOT_RUNNING = 3
STEERING = ("status", "pause", "resume", "quit")


def hand_over(data_dir: Path, command: str, args: dict[str, object]) -> int | None:
    """Pass a launch's wish to the running instance: 0 once it took it; None when none runs
    (start one, which settles who runs through the data folder's lock); 1 after saying in one
    line that the app that holds the data folder cannot be reached."""
    try:
        send_command(socket_name(data_dir), command, args)
    except InstanceNotRunning:
        return None
    except InstanceTimeout as error:
        print(f"stretchbreak: error: {_unreachable(data_dir, str(error))}", file=sys.stderr)
        return 1
    except InstanceError:
        return None  # e.g. no private folder to look in: the start says what it can
    return 0


def steer(data_dir: Path, command: str, args: dict[str, object], as_json: bool = False) -> int:
    """Run a steering command against the running instance and print its answer."""
    try:
        reply = send_command(socket_name(data_dir), command, args)
    except InstanceNotRunning:
        if _holder_of(data_dir) is not None:
            why = "it does not listen for commands (its socket is gone)"
            print(f"stretchbreak: error: {_unreachable(data_dir, why)}", file=sys.stderr)
            return 1
        print("stretchbreak: error: stretchbreak is not running", file=sys.stderr)
        return EXIT_NOT_RUNNING if command == "status" else 1
    except InstanceTimeout as error:
        print(f"stretchbreak: error: {_unreachable(data_dir, str(error))}", file=sys.stderr)
        return 1
    except InstanceError as error:
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return 1
    if command == "status":
        status = {key: reply.get(key) for key in ("state", "next_prompt_at", "paused_until")}
        status["deferred_by"] = reply.get("deferred_by") or []  # an older app sends none
        print(json.dumps(status) if as_json else _status_text(status))
    return 0


def _holder_of(data_dir: Path) -> DataFolderLock | None:
    """The data folder's lock when an app holds it (looked at, never created)."""
    lock = DataFolderLock(data_dir, spare_lock(data_dir, os.environ, create=False))
    return lock if lock.held_elsewhere() else None


def _unreachable(data_dir: Path, why: str) -> str:
    lock = _holder_of(data_dir)
    pid = lock.holder() if lock is not None else None
    holder = f" (process {pid})" if pid is not None else ""
    why = why.removeprefix("stretchbreak ")
    return f"stretchbreak already runs on {data_dir}{holder}, but {why}"


def _status_text(status: dict[str, object]) -> str:
    state = str(status["state"])
    parts = {
        "active": "active",
        "paused": "paused",
        "outside_hours": "outside working hours",
        "in_break": "in a break",
    }
    lines = [f"stretchbreak is {parts.get(state, state)}"]
    if status["paused_until"]:
        lines.append(f"paused until {_local(str(status['paused_until']))}")
    waiting = status.get("deferred_by")
    if isinstance(waiting, list) and waiting:
        lines.append(f"a break is waiting ({', '.join(map(str, waiting))})")
    if status["next_prompt_at"]:
        lines.append(f"next break at {_local(str(status['next_prompt_at']))}")
    return "; ".join(lines)


def _local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%a %H:%M")
