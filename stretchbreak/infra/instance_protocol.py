"""The single-instance channel's line protocol and errors, shared by its transports.

Kept apart from ``instance`` so the two transports (a Unix socket, or QtNetwork's named pipe
on Windows) can raise the same errors without importing the server they serve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

PROTOCOL_VERSION = 1
#: Longer lines are garbage or abuse; real requests are a few dozen bytes.
MAX_REQUEST_BYTES = 64 * 1024
MAX_REPLY_BYTES = 1024 * 1024
#: How long the server waits for a client to take its answer before hanging up anyway.
REPLY_WRITE_S = 1.0

#: Gets the request's ``args``; returns extra fields for the answer, or raises CommandRejected.
CommandHandler = Callable[[dict[str, object]], Mapping[str, object] | None]


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
    import json  # here: a start that only listens never needs it

    try:
        request = json.loads(line)
    except (UnicodeDecodeError, ValueError) as error:
        raise CommandRejected(f"malformed request: {error}") from None
    if not isinstance(request, dict):
        raise CommandRejected("malformed request: not a JSON object")
    version = request.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CommandRejected("malformed request: no protocol version")
    if version > PROTOCOL_VERSION:
        raise CommandRejected(
            f"protocol version {version} is newer than this instance understands "
            f"({PROTOCOL_VERSION}); quit stretchbreak and start it again"
        )
    command, args = request.get("command"), request.get("args", {})
    if not isinstance(command, str) or not command:
        raise CommandRejected("malformed request: no command")
    if not isinstance(args, dict):
        raise CommandRejected("malformed request: args must be an object")
    return command, args


def encode_reply(fields: Mapping[str, object] | None = None, error: str | None = None) -> bytes:
    reply: dict[str, object] = dict(fields or {})
    reply.update(version=PROTOCOL_VERSION, ok=error is None)
    if error is not None:
        reply["error"] = error
    return _line(reply)


def decode_reply(line: bytes) -> dict[str, object]:
    """The answer of a successful command; a refusal becomes CommandRejected."""
    import json  # here: a start that only listens never needs it

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
    import json  # here: a start that only listens never needs it

    # json.dumps escapes newlines inside strings, so the message is always exactly one line.
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"
