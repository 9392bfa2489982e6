"""The single-instance channel's transport on Linux and macOS: a Unix socket file.

Python's ``socket`` module, watched by a ``QSocketNotifier`` per socket on the event loop,
instead of QtNetwork's QLocalServer: loading QtNetwork (and the Kerberos libraries it links)
cost the tray process ~3 MiB and every launch ~20 ms, for a few dozen bytes now and then.
The client is a plain blocking socket with a deadline, so it needs no event loop, and it
releases the GIL while it waits.

The socket file lies where QLocalServer put it, so a name means what it always meant: a
relative name in Qt's temporary folder (``TMPDIR`` or ``/tmp``), an absolute one as given.
It is made private (mode 0600) between ``bind`` and ``listen``, when nobody can connect yet.
A socket file of another user is never removed and never talked to: it could be anyone's.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import struct
import time
from pathlib import Path

from PySide6.QtCore import QDir, QObject, QSocketNotifier, QTimer

from stretchbreak.infra.instance_protocol import (
    MAX_REPLY_BYTES,
    REPLY_WRITE_S,
    Ended,
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
    Received,
)

log = logging.getLogger(__name__)

#: Connections the kernel queues while the event loop is busy (a burst of CLI calls).
_BACKLOG = 128
_CHUNK = 64 * 1024
_READ = QSocketNotifier.Type.Read


def socket_file(name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else Path(QDir.tempPath()) / name


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
    """Remove a socket file nobody accepts on (a crashed instance's); True if there was one.

    Anything else in the way (a folder, a file) stays: ``bind`` then fails and says so.
    """
    path = socket_file(name)
    try:
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
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


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


class _Connection:
    """One accepted client: its socket and the notifier that says it has bytes or hung up."""

    def __init__(self, client: socket.socket, listener: Listener) -> None:
        self.socket = client
        self.fd = client.fileno()
        self.notifier = QSocketNotifier(self.fd, _READ)
        self._listener = listener

    def answer(self, reply: bytes) -> None:
        # Delivered now, blocking briefly: a handler may have asked the loop to quit.
        try:
            self.socket.settimeout(REPLY_WRITE_S)
            self.socket.sendall(reply)
        except OSError as error:
            log.info("an answer could not be delivered: %s", _reason(error))
        self._listener.finish(self)

    def abort(self) -> None:
        self._listener.finish(self)


class Listener(QObject):
    """The listening socket and its connections, served on the event loop."""

    def __init__(self, received: Received, ended: Ended, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._received = received
        self._ended = ended
        self._socket: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path: Path | None = None
        self._inode = 0
        self._connections: dict[int, _Connection] = {}
        #: Finished notifiers, dropped on the next turn: never deleted inside their own signal.
        self._released: list[QSocketNotifier] = []

    @property
    def full_name(self) -> str:
        return "" if self._path is None else str(self._path)

    def listen(self, name: str) -> None:
        """Bind and listen on ``name``'s socket file, private to this user; InstanceError if not."""
        path = socket_file(name)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(str(path))
        except OSError as error:
            server.close()
            raise InstanceError(
                f"cannot listen on {path} for other launches: {_reason(error)}"
            ) from None
        try:
            path.chmod(0o600)  # before listen(): until then, nobody can connect
            server.listen(_BACKLOG)
            server.setblocking(False)
            self._inode = path.stat().st_ino
        except OSError as error:
            server.close()
            path.unlink(missing_ok=True)
            raise InstanceError(
                f"cannot listen on {path} for other launches: {_reason(error)}"
            ) from None
        self._socket, self._path = server, path
        self._notifier = QSocketNotifier(server.fileno(), _READ, self)
        self._notifier.activated.connect(self._on_acceptable)

    def close(self) -> None:
        """Stop listening, remove the socket file if it is still ours, drop every connection."""
        for connection in list(self._connections.values()):
            self.finish(connection)
        if self._socket is None or self._path is None or self._notifier is None:
            return
        self._notifier.setEnabled(False)
        self._release(self._notifier)
        self._socket.close()
        try:
            if self._path.stat().st_ino == self._inode:
                self._path.unlink()
        except OSError:
            pass  # already gone
        self._socket = self._notifier = self._path = None

    def finish(self, connection: _Connection) -> None:
        """Let go of a connection: closed at once, its notifier on the next turn."""
        if self._connections.pop(connection.fd, None) is None:
            return
        connection.notifier.setEnabled(False)
        connection.socket.close()
        self._release(connection.notifier)

    def _release(self, notifier: QSocketNotifier) -> None:
        self._released.append(notifier)
        QTimer.singleShot(0, self._released.clear)

    def _on_acceptable(self) -> None:
        while self._socket is not None:
            try:
                client, _ = self._socket.accept()
            except BlockingIOError:
                return
            except OSError as error:  # out of file descriptors: the client waits or gives up
                log.warning("cannot accept a command connection: %s", _reason(error))
                return
            client.setblocking(False)
            connection = _Connection(client, self)
            self._connections[connection.fd] = connection
            # sender(), not a lambda or bound method of the connection: no reference cycle
            # through Qt keeps a finished connection alive.
            connection.notifier.activated.connect(self._on_readable)

    def _on_readable(self) -> None:
        notifier = self.sender()
        if not isinstance(notifier, QSocketNotifier):
            return
        connection = self._connections.get(int(notifier.socket()))
        while connection is not None and self._connections.get(connection.fd) is connection:
            try:
                chunk = connection.socket.recv(_CHUNK)
            except BlockingIOError:
                return
            except OSError:  # reset by the client
                chunk = b""
            if not chunk:  # hung up before an answer (e.g. ``accepts`` probing)
                self.finish(connection)
                self._ended(connection)
                return
            self._received(connection, chunk)  # may answer, which finishes the connection
