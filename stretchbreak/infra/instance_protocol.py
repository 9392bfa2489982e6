"""The single-instance channel's line protocol and errors, shared by its transports.

Kept apart from ``instance`` so the two transports (a Unix socket, or QtNetwork's named pipe
on Windows) can raise the same errors without importing the server they serve.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Collection, Mapping
from typing import Protocol

_log = logging.getLogger("stretchbreak.infra.instance")

PROTOCOL_VERSION = 1
#: Longer lines are garbage or abuse; real requests are a few dozen bytes. Small, because every
#: connection may hold this much until its line ends (see ``instance_listener``).
MAX_REQUEST_BYTES = 4 * 1024
#: A message that keeps coming (a flood, no descriptors) is logged once per this many seconds.
LOG_EVERY_S = 60.0
#: Command names are short words; a longer one is not a command this app could know.
MAX_COMMAND_CHARS = 32
PAUSE_MINUTES = (1, 24 * 60)
_REQUEST_FIELDS = frozenset({"version", "command", "args"})
MAX_REPLY_BYTES = 1024 * 1024
#: How long the server waits for a client to take its answer before hanging up anyway.
REPLY_WRITE_S = 1.0

#: Gets the request's ``args``; returns extra fields for the answer, or raises CommandRejected.
CommandHandler = Callable[[dict[str, object]], Mapping[str, object] | None]


class Alarm(Protocol):
    """A re-armable single-shot wake-up (``services.timers.QtWakeTimer`` in the app)."""

    def arm(self, seconds: float) -> None: ...

    def disarm(self) -> None: ...


#: Makes an alarm that calls its argument: the server's only source of timers.
AlarmFactory = Callable[[Callable[[], None]], Alarm]


class InstanceError(Exception):
    """The running instance could not be asked; the message says why, for one stderr line."""


class InstanceNotRunning(InstanceError):
    """Nothing listens on the name (no socket, or a crashed instance's leftover)."""


class InstanceTimeout(InstanceError):
    """Something listens but did not answer in time: a hung or very busy instance."""


class CommandRejected(InstanceError):
    """The instance understood the request and said no; raised by handlers and by the client."""


class Link(Protocol):
    """One accepted connection, as a transport hands it to the server."""

    def answer(self, reply: bytes) -> None:
        """Deliver ``reply`` (waiting up to REPLY_WRITE_S), then hang up: one request each."""

    def abort(self) -> None:
        """Hang up without answering."""


#: A transport calls these: bytes arrived on a link; a link ended before it was answered.
Received = Callable[[Link, bytes], None]
Ended = Callable[[Link], None]


def encode_request(command: str, args: Mapping[str, object] | None = None) -> bytes:
    return _line({"version": PROTOCOL_VERSION, "command": command, "args": dict(args or {})})


def decode_request(line: bytes) -> tuple[str, dict[str, object]]:
    """The command and its args, or CommandRejected saying what is wrong with the line."""
    try:
        request = json.loads(line)
    except (UnicodeDecodeError, ValueError) as error:
        raise CommandRejected(f"malformed request: {error}") from None
    if not isinstance(request, dict):
        raise CommandRejected("malformed request: not a JSON object")
    unknown = sorted(set(request) - _REQUEST_FIELDS)
    if unknown:
        raise CommandRejected(f"malformed request: unknown field {unknown[0]!r}")
    version = request.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CommandRejected("malformed request: no protocol version")
    if version < 1:
        raise CommandRejected(
            f"malformed request: version must be a whole number from 1, not {version}"
        )
    if version > PROTOCOL_VERSION:
        raise CommandRejected(
            f"protocol version {version} is newer than this instance understands "
            f"({PROTOCOL_VERSION}); quit stretchbreak and start it again"
        )
    command, args = request.get("command"), request.get("args", {})
    if not isinstance(command, str) or not 0 < len(command) <= MAX_COMMAND_CHARS:
        raise CommandRejected("malformed request: no command")
    if not isinstance(args, dict):
        raise CommandRejected("malformed request: args must be an object")
    return command, args


def check_args(command: str, args: Mapping[str, object], allowed: Collection[str]) -> None:
    """CommandRejected naming the first argument ``command`` does not take."""
    for key in sorted(args):
        if key not in allowed:
            raise CommandRejected(f"{command} takes no {key!r}")


def pause_length(args: Mapping[str, object]) -> int | None:
    """Minutes to pause, or None for "until tomorrow"; CommandRejected naming a wrong field.

    Exactly what ``stretchbreak pause`` sends: ``minutes`` (a whole number in range) or
    ``until_tomorrow: true``, never both.
    """
    check_args("pause", args, ("minutes", "until_tomorrow"))
    low, high = PAUSE_MINUTES
    tomorrow = args.get("until_tomorrow", False)
    if not isinstance(tomorrow, bool):
        raise CommandRejected(f"until_tomorrow must be true or false, not {tomorrow!r}")
    if "minutes" in args and "until_tomorrow" in args:
        raise CommandRejected("pause takes either minutes or until_tomorrow, not both")
    if tomorrow:
        return None
    if "minutes" not in args:
        raise CommandRejected(f"pause needs minutes ({low} to {high}) or until_tomorrow")
    minutes = args["minutes"]
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not low <= minutes <= high:
        raise CommandRejected(
            f"minutes must be a whole number from {low} to {high}, not {minutes!r}"
        )
    return minutes


def encode_reply(fields: Mapping[str, object] | None = None, error: str | None = None) -> bytes:
    reply: dict[str, object] = dict(fields or {})
    reply.update(version=PROTOCOL_VERSION, ok=error is None)
    if error is not None:
        reply["error"] = error
    return _line(reply)


def decode_reply(line: bytes) -> dict[str, object]:
    """The answer of a successful command; a refusal becomes CommandRejected."""
    try:
        reply = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        raise InstanceError("the running instance sent a garbled answer") from None
    if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
        raise InstanceError("the running instance sent a garbled answer")
    if not reply["ok"]:
        raise CommandRejected(str(reply.get("error") or "the running instance refused"))
    return reply


def _line(message: Mapping[str, object]) -> bytes:
    # json.dumps escapes newlines inside strings, so the message is always exactly one line.
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


class Throttled:
    """Logs a message once per LOG_EVERY_S for each kind, then how many were left out.

    Without it a failure that repeats on every turn of the event loop filled the log at
    16 KB/s until every rotated file held nothing else.
    """

    def __init__(self) -> None:
        self._seen: dict[str, tuple[float, int]] = {}

    def warning(self, kind: str, message: str, level: int = logging.WARNING) -> None:
        now = time.monotonic()
        last, left_out = self._seen.get(kind, (float("-inf"), 0))
        if now - last < LOG_EVERY_S:
            self._seen[kind] = (last, left_out + 1)
            return
        more = f" ({left_out} more like this since)" if left_out else ""
        _log.log(level, "%s%s", message, more)
        self._seen[kind] = (now, 0)
