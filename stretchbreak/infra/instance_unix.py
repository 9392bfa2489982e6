"""The single-instance channel's transport on Linux and macOS: a Unix socket file.

Python's ``socket`` module instead of QtNetwork's QLocalServer: loading QtNetwork (and the
Kerberos libraries it links) cost the tray process ~3 MiB and every launch ~20 ms, for a few
dozen bytes now and then. The server side is ``instance_listener`` (on the event loop); the
client here is a plain blocking socket with a deadline, so it needs no event loop, and it
releases the GIL while it waits.

The socket file lies in the user's private runtime folder (``instance_place``); a bare name
still means Qt's temporary folder, as QLocalServer had it. A socket file of another user is
never removed and never talked to: it could be anyone's.
"""

from __future__ import annotations

import os
import socket
import stat
import struct
import time
from pathlib import Path

from stretchbreak.infra.instance_listener import Listener, socket_file
from stretchbreak.infra.instance_listener import reason as _reason
from stretchbreak.infra.instance_protocol import (
    MAX_REPLY_BYTES,
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
)

__all__ = ["Listener", "accepts", "exchange", "remove_stale", "socket_file"]

_CHUNK = 64 * 1024


def accepts(name: str, timeout_s: float) -> bool:
    """Whether something accepts connections on ``name``; in doubt (a timeout), assume yes."""
    path = socket_file(name)
    _refuse_strangers(path, f"cannot listen on {path}")
    try:
        _connect(path, timeout_s).close()
    except (BlockingIOError, TimeoutError):  # a full queue: a busy instance
        return True
    except OSError:
        return False
    return True


def remove_stale(name: str) -> bool:
    """Remove what lies at the socket path nobody accepts on; True if there was something.

    A crashed instance's socket, or a regular file where it was: the path is in this user's
    private folder, and only the holder of the data folder's lock gets this far. A folder
    stays: ``bind`` then fails and says so.
    """
    path = socket_file(name)
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise InstanceError(f"cannot remove the stale socket {path}: {_reason(error)}") from None
    return True


def exchange(name: str, request: bytes, timeout_s: float) -> bytes:
    """Send one request line to the instance on ``name``; its answer line, within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    path = socket_file(name)
    _refuse_strangers(path, "cannot ask the running stretchbreak")
    try:
        client = _connect(path, timeout_s)
    except (FileNotFoundError, ConnectionRefusedError):
        raise InstanceNotRunning(f"no stretchbreak is running (socket {name})") from None
    except (BlockingIOError, TimeoutError):
        raise InstanceTimeout(f"stretchbreak did not accept within {timeout_s:g} s") from None
    except OSError as error:
        raise InstanceError(f"cannot reach the running stretchbreak: {_reason(error)}") from None
    with client:
        try:
            client.settimeout(_left(deadline))
            client.sendall(request)
            return _answer_line(client, deadline)
        except TimeoutError:
            raise InstanceTimeout(f"stretchbreak did not answer within {timeout_s:g} s") from None
        except (BrokenPipeError, ConnectionResetError):
            raise _hung_up() from None
        except OSError as error:
            raise InstanceError(f"lost the connection to stretchbreak: {_reason(error)}") from None


def _answer_line(client: socket.socket, deadline: float) -> bytes:
    received = bytearray()
    while True:
        client.settimeout(_left(deadline))
        chunk = client.recv(_CHUNK)
        if not chunk:
            raise _hung_up()
        received += chunk
        end = received.find(b"\n")
        if end >= 0:
            return bytes(received[: end + 1])
        if len(received) > MAX_REPLY_BYTES:
            raise InstanceError("the running instance sent an answer that never ends")


def _hung_up() -> InstanceError:
    return InstanceError("the running stretchbreak closed the connection without answering")


def _left(deadline: float) -> float:
    """Seconds to the deadline; TimeoutError once it passed (``settimeout(0)`` would not wait)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _connect(path: Path, timeout_s: float) -> socket.socket:
    """A connected socket; a listener with a full queue is waited for up to ``timeout_s``.

    Blocking with ``SO_SNDTIMEO``, not ``settimeout``: a non-blocking connect to a full Unix
    socket queue fails at once with EAGAIN, a blocking one waits for room (Linux).
    """
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        seconds, micros = divmod(max(int(timeout_s * 1_000_000), 1), 1_000_000)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", seconds, micros))
        client.connect(str(path))
    except BaseException:
        client.close()
        raise
    return client


def _refuse_strangers(path: Path, doing: str) -> None:
    """InstanceError if the socket file at ``path`` belongs to another user."""
    try:
        owner = os.lstat(path).st_uid
    except OSError:
        return  # nothing there (or unreadable): connecting or binding says what is wrong
    if owner != os.getuid():
        raise InstanceError(f"{doing}: {path} belongs to another user")
