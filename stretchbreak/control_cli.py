"""The commands that steer a running stretchbreak: status, pause, resume, quit, and the
hand-over of ``break``/``settings`` to an instance that already runs.

Only the instance channel is loaded: a Unix socket and QtCore (no QtNetwork, no widgets,
no display needed); QtNetwork's named pipe on Windows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stretchbreak.infra.instance import (
    InstanceError,
    InstanceNotRunning,
    send_command,
    socket_name,
)

EXIT_NOT_RUNNING = 3
STEERING = ("status", "pause", "resume", "quit")


def hand_over(data_dir: Path, command: str, args: dict[str, object]) -> bool:
    """Pass a launch's wish to the running instance; False when none runs (start one)."""
    try:
        send_command(socket_name(data_dir), command, args)
    except InstanceNotRunning:
        return False
    except InstanceError:
        return False
    return True


def steer(data_dir: Path, command: str, args: dict[str, object], as_json: bool = False) -> int:
    """Run a steering command against the running instance and print its answer."""
    import json  # here: a start that only listens never needs it

    try:
        reply = send_command(socket_name(data_dir), command, args)
    except InstanceNotRunning:
        print("stretchbreak: error: stretchbreak is not running", file=sys.stderr)
        return EXIT_NOT_RUNNING if command == "status" else 1
    except InstanceError as error:
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return 1
    if command == "status":
        status = {key: reply.get(key) for key in ("state", "next_prompt_at", "paused_until")}
        status["deferred_by"] = reply.get("deferred_by") or []  # an older app sends none
        print(json.dumps(status) if as_json else _status_text(status))
    return 0


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
    from datetime import datetime  # only here: a launch that hands over never needs it

    return datetime.fromisoformat(iso).astimezone().strftime("%a %H:%M")
