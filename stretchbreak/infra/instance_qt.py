"""The single-instance channel's transport on Windows: QtNetwork's local socket (a named pipe).

Python has no AF_UNIX sockets on Windows, so there, and only there, the channel pays for
QtNetwork; ``instance`` imports this module on ``win32`` alone. Same interface as
``instance_unix``: ``Listener``, ``accepts``, ``remove_stale``, ``exchange``, ``socket_file``.

Stale sockets: Qt 6 binds a server with ``UserAccessOption`` in a private temporary folder
and renames the socket into place, so ``listen`` *replaces* any existing socket, even a live
instance's, instead of failing; hence ``accepts`` is asked first, under the lock.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QDir, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from stretchbreak.infra.instance_protocol import (
    MAX_REPLY_BYTES,
    REPLY_WRITE_S,
    AlarmFactory,
    Ended,
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
    Received,
)

_NOBODY_THERE = (
    QLocalSocket.LocalSocketError.ServerNotFoundError,
    QLocalSocket.LocalSocketError.ConnectionRefusedError,
)


def socket_file(name: str) -> Path:
    """Where a socket named ``name`` would lie: the lock file goes next to it."""
    path = Path(name)
    return path if path.is_absolute() else Path(QDir.tempPath()) / name


def accepts(name: str, timeout_s: float) -> bool:
    """Whether something accepts connections on ``name``; in doubt (a timeout), assume yes."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        return socket.waitForConnected(int(timeout_s * 1000)) or _still_connecting(socket)
    finally:
        socket.abort()


def remove_stale(name: str) -> bool:
    return QLocalServer.removeServer(name)


def exchange(name: str, request: bytes, timeout_s: float) -> bytes:
    """Send one request line and return the answer line.

    PySide holds the GIL while a ``waitFor…`` call blocks: on a thread of the serving process
    this would wait for itself until the timeout.
    """
    deadline = time.monotonic() + timeout_s
    socket = QLocalSocket()
    try:
        socket.connectToServer(name)
        if not socket.waitForConnected(_ms_left(deadline)):
            if socket.error() in _NOBODY_THERE:
                raise InstanceNotRunning(f"no stretchbreak is running (socket {name})")
            if _still_connecting(socket):
                raise InstanceTimeout(f"stretchbreak did not accept within {timeout_s:g} s")
            raise InstanceError(f"cannot reach the running stretchbreak: {socket.errorString()}")
        socket.write(request)
        while socket.bytesToWrite() > 0:
            if not socket.waitForBytesWritten(_ms_left(deadline)):
                _raise_unanswered(socket, deadline, timeout_s)
        while not socket.canReadLine():
            if socket.bytesAvailable() > MAX_REPLY_BYTES:
                raise InstanceError("the running instance sent an answer that never ends")
            if not socket.waitForReadyRead(_ms_left(deadline)):
                _raise_unanswered(socket, deadline, timeout_s)
        return bytes(socket.readLine().data())
    finally:
        socket.abort()


def _ms_left(deadline: float) -> int:
    return max(0, int((deadline - time.monotonic()) * 1000))


def _raise_unanswered(socket: QLocalSocket, deadline: float, timeout_s: float) -> None:
    if socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
        raise InstanceError("the running stretchbreak closed the connection without answering")
    timed_out = socket.error() == QLocalSocket.LocalSocketError.SocketTimeoutError
    if timed_out or time.monotonic() >= deadline:
        raise InstanceTimeout(f"stretchbreak did not answer within {timeout_s:g} s")
    raise InstanceError(f"lost the connection to stretchbreak: {socket.errorString()}")


def _still_connecting(socket: QLocalSocket) -> bool:
    return (
        socket.state() == QLocalSocket.LocalSocketState.ConnectingState
        or socket.error() == QLocalSocket.LocalSocketError.SocketTimeoutError
    )


class _Connection:
    """One accepted QLocalSocket, as the server sees it."""

    def __init__(self, socket: QLocalSocket, listener: Listener) -> None:
        self.socket = socket
        self._listener = listener

    def answer(self, reply: bytes) -> None:
        self.socket.write(reply)
        self.socket.flush()
        # Deliver now: a handler may have asked the loop to quit, which would drop the answer.
        self.socket.waitForBytesWritten(int(REPLY_WRITE_S * 1000))
        self._listener.finish(self)
        self.socket.disconnectFromServer()

    def abort(self) -> None:
        self._listener.finish(self)
        self.socket.abort()


class Listener(QObject):
    """QLocalServer's connections, answered once each (Qt bounds what it buffers)."""

    def __init__(
        self, received: Received, ended: Ended, timers: AlarmFactory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._received = received
        self._ended = ended
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._connections: dict[QLocalSocket, _Connection] = {}
        #: Finished sockets, dropped (and so deleted) on the next turn of the event loop.
        self._released: list[QLocalSocket] = []
        # The named pipe server needs no back-off of its own: its one timer drops sockets.
        self._release_alarm = timers(self._released.clear)

    @property
    def full_name(self) -> str:
        return self._server.fullServerName()

    def listen(self, name: str) -> None:
        if not self._server.listen(name):
            raise InstanceError(
                f"cannot listen on {name} for other launches: {self._server.errorString()}"
            )

    def close(self) -> None:
        self._server.close()
        for connection in list(self._connections.values()):
            connection.abort()

    def finish(self, connection: _Connection) -> None:
        """Answered or aborted: no more bytes from it reach the server."""
        self._connections.pop(connection.socket, None)

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._connections[socket] = _Connection(socket, self)
            # Bound methods and sender(), not lambdas holding the socket: nothing of ours
            # may keep a socket's wrapper alive once it is forgotten (see ``_forget``).
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(self._on_disconnected)
            self._read(socket)  # bytes may have come before the connect
            if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._forget(socket)  # gone before ``disconnected`` was connected: a probe

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._forget(socket)

    def _read(self, socket: QLocalSocket) -> None:
        connection = self._connections.get(socket)
        if connection is not None:  # not yet answered: one request per connection
            self._received(connection, bytes(socket.readAll().data()))

    def _forget(self, socket: QLocalSocket) -> None:
        """Let go of a finished connection, so each costs nothing once it is over.

        Not ``deleteLater``: PySide keeps the wrapper of every socket the server made (its
        child) for as long as the server lives, about 1 KB per connection ever accepted.
        Without a parent the wrapper owns the socket, and dropping it once this signal has
        returned deletes both.
        """
        connection = self._connections.pop(socket, None)
        if connection is not None:
            self._ended(connection)
        socket.setParent(None)
        self._released.append(socket)
        self._release_alarm.arm(0)
