"""One running app per user and data folder, and the local socket other launches talk to it on.

The protocol is one line of JSON each way per connection, so a shell user can debug it with
``socat`` and the client needs no event loop::

    → {"version": 1, "command": "status", "args": {}}
    ← {"version": 1, "ok": true, "state": "active", ...}
    ← {"version": 1, "ok": false, "error": "unknown command 'x'"}

Stale sockets: Qt 6 binds a server with ``UserAccessOption`` in a private temporary folder and
renames the socket into place, so ``listen`` *replaces* any existing socket, even a live
instance's, instead of failing with ``AddressInUseError``. ``InstanceServer.listen`` therefore
asks first: if something accepts a connection, another instance owns the name; if nothing
does, whatever file is left is a crashed instance's and is removed. A lock file makes that
check-then-listen atomic between two launches started at the same moment.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QCryptographicHash,
    QDir,
    QLockFile,
    QObject,
    QTimer,
    Signal,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
#: Longer lines are garbage or abuse; real requests are a few dozen bytes.
MAX_REQUEST_BYTES = 64 * 1024
MAX_REPLY_BYTES = 1024 * 1024
#: Two launches at the same moment take turns; the check-then-listen inside takes milliseconds.
_LOCK_WAIT_S = 15.0

#: Gets the request's ``args``; returns extra fields for the answer, or raises CommandRejected.
CommandHandler = Callable[[dict[str, object]], Mapping[str, object] | None]

_NOBODY_THERE = (
    QLocalSocket.LocalSocketError.ServerNotFoundError,
    QLocalSocket.LocalSocketError.ConnectionRefusedError,
)


class InstanceError(Exception):
    """The running instance could not be asked; the message says why, for one stderr line."""


class InstanceNotRunning(InstanceError):
    """Nothing listens on the name (no socket, or a crashed instance's leftover)."""


class InstanceTimeout(InstanceError):
    """Something listens but did not answer in time: a hung or very busy instance."""


class CommandRejected(InstanceError):
    """The instance understood the request and said no; raised by handlers and by the client."""


def socket_name(data_dir: Path, user: str | None = None) -> str:
    """A short name per user and data folder, so each ``--data-dir`` is its own instance.

    The name is hashed: Qt puts it in the shared temporary folder (a global pipe namespace on
    Windows), where a path would be too long for ``sockaddr_un`` and would tell other users
    where your data is.
    """
    who = user if user is not None else _current_user()
    folder = os.path.normcase(data_dir.expanduser().resolve())
    # Qt's own SHA-256: ``hashlib`` would load OpenSSL (~3.3 MiB RSS) into the tray process.
    data = f"{who}\0{folder}".encode()
    raw = QCryptographicHash.hash(data, QCryptographicHash.Algorithm.Sha256)
    digest = bytes(raw.data()).hex()[:20]
    return f"stretchbreak-{digest}"


def _current_user() -> str:
    if sys.platform != "win32":
        return str(os.getuid())
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USERNAME: the home folder still tells users apart
        return str(Path.home())


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


def send_command(
    name: str,
    command: str,
    args: Mapping[str, object] | None = None,
    *,
    timeout_s: float = 5.0,
) -> dict[str, object]:
    """Ask the instance listening on ``name`` and return its answer; blocks up to ``timeout_s``.

    Needs no QCoreApplication and no event loop, so the CLI pays only for importing QtNetwork.
    PySide holds the GIL while a ``waitFor…`` call blocks: never call this on a thread of the
    process whose Python code has to answer, it would wait for itself until the timeout.
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
        socket.write(encode_request(command, args))
        while socket.bytesToWrite() > 0:
            if not socket.waitForBytesWritten(_ms_left(deadline)):
                _raise_unanswered(socket, deadline, timeout_s)
        while not socket.canReadLine():
            if socket.bytesAvailable() > MAX_REPLY_BYTES:
                raise InstanceError("the running instance sent an answer that never ends")
            if not socket.waitForReadyRead(_ms_left(deadline)):
                _raise_unanswered(socket, deadline, timeout_s)
        return decode_reply(bytes(socket.readLine().data()))
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


class InstanceServer(QObject):
    """Answers other launches' commands on the event loop, one handler per command.

    Handlers answer synchronously, which every command needs and which means no request can
    be left without an answer. Signals: ``request_answered(str, dict)`` with the command (empty
    for a malformed request) and the answer sent, for logs and tests.
    """

    request_answered = Signal(str, dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._handlers: dict[str, CommandHandler] = {}
        self._buffers: dict[QLocalSocket, bytearray] = {}
        #: Finished sockets, dropped (and so deleted) on the next turn of the event loop.
        self._released: list[QLocalSocket] = []
        self._holding = False

    def register(self, command: str, handler: CommandHandler) -> None:
        self._handlers[command] = handler

    def hold(self) -> None:
        """Keep requests waiting, unanswered, until ``release``.

        A start listens (to be the only instance) before its handlers exist; a request that
        came in between would otherwise be told "unknown command".
        """
        self._holding = True

    @property
    def waiting(self) -> int:
        """Complete requests held back by ``hold``."""
        return sum(1 for buffer in self._buffers.values() if b"\n" in buffer)

    def release(self) -> None:
        """Answer what waits, then every request as it comes."""
        self._holding = False
        for socket in list(self._buffers):
            self._consider(socket)

    @property
    def full_name(self) -> str:
        """The socket path (or pipe name), for the log and for people debugging."""
        return self._server.fullServerName()

    def listen(self, name: str, *, probe_timeout_s: float = 1.0) -> bool:
        """Own ``name``: True if listening now, False if another live instance answers on it.

        Raises InstanceError when the name cannot be used at all (e.g. a socket file of
        another user in the way), so the app can run without the channel and say why.
        Needs the application first: a server made before it accepts connections and then
        drops them, having no event dispatcher to watch its socket with.
        """
        if QCoreApplication.instance() is None:
            raise RuntimeError("create the QApplication before listening")
        lock = _take_lock(name)
        try:
            if _accepts(name, probe_timeout_s):
                return False
            if QLocalServer.removeServer(name):
                log.info("removed a stale instance socket %s", name)
            if not self._server.listen(name):
                raise InstanceError(
                    f"cannot listen on {name} for other launches: {self._server.errorString()}"
                )
        finally:
            lock.unlock()
        log.info("listening for commands on %s", self.full_name)
        return True

    def close(self) -> None:
        """Stop listening and remove the socket, so the next launch needs no stale check."""
        self._server.close()
        for socket in list(self._buffers):
            socket.abort()

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            # Bound methods and sender(), not lambdas holding the socket: nothing of ours
            # may keep a socket's wrapper alive once it is forgotten (see ``_forget``).
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(self._on_socket_disconnected)
            self._read(socket)  # bytes may have come before the connect
            if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._forget(socket)  # gone before ``disconnected`` was connected: a probe

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_socket_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._forget(socket)

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:  # already answered: one request per connection
            return
        buffer += bytes(socket.readAll().data())
        if not self._holding or len(buffer) > MAX_REQUEST_BYTES:
            self._consider(socket)

    def _consider(self, socket: QLocalSocket) -> None:
        """Answer the request in ``socket``'s buffer once its line is complete."""
        buffer = self._buffers[socket]
        line, newline, _ = buffer.partition(b"\n")
        if newline:
            self._answer(socket, *self._handle(bytes(line)))
        elif len(buffer) > MAX_REQUEST_BYTES:
            self._answer(socket, "", encode_reply(error="request too long"))

    def _handle(self, line: bytes) -> tuple[str, bytes]:
        command = ""
        try:
            command, args = decode_request(line)
            handler = self._handlers.get(command)
            if handler is None:
                raise CommandRejected(f"unknown command {command!r}")
            return command, encode_reply(handler(args))
        except CommandRejected as error:
            return command, encode_reply(error=str(error))
        except Exception as error:  # a bug in one handler must not take the channel down
            log.exception("command %r failed", command)
            return command, encode_reply(error=f"internal error: {type(error).__name__}: {error}")

    def _answer(self, socket: QLocalSocket, command: str, reply: bytes) -> None:
        del self._buffers[socket]
        socket.write(reply)
        socket.flush()
        # Deliver now: a handler may have asked the loop to quit, which would drop the answer.
        socket.waitForBytesWritten(1000)
        socket.disconnectFromServer()
        self.request_answered.emit(command, json.loads(reply))

    def _forget(self, socket: QLocalSocket) -> None:
        """Let go of a finished connection, so each costs nothing once it is over.

        Not ``deleteLater``: PySide keeps the wrapper of every socket the server made (its
        child) for as long as the server lives, about 1 KB per connection ever accepted.
        Without a parent the wrapper owns the socket, and dropping it once this signal has
        returned deletes both.
        """
        self._buffers.pop(socket, None)
        socket.setParent(None)
        self._released.append(socket)
        QTimer.singleShot(0, self._released.clear)


def _accepts(name: str, timeout_s: float) -> bool:
    """Whether something accepts connections on ``name``; in doubt (a timeout), assume yes."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        return socket.waitForConnected(int(timeout_s * 1000)) or _still_connecting(socket)
    finally:
        socket.abort()


def _still_connecting(socket: QLocalSocket) -> bool:
    return (
        socket.state() == QLocalSocket.LocalSocketState.ConnectingState
        or socket.error() == QLocalSocket.LocalSocketError.SocketTimeoutError
    )


def _take_lock(name: str) -> QLockFile:
    """The lock for checking and taking ``name``, held by one starting launch at a time.

    Polled briefly instead of ``tryLock(timeout)``, whose back-off sleeps grow to seconds
    although the holder needs milliseconds; a dead holder's lock is removed by its pid.
    """
    lock = QLockFile(_lock_path(name))
    lock.setStaleLockTime(10_000)  # a hung holder
    deadline = time.monotonic() + _LOCK_WAIT_S
    while not lock.tryLock(0):
        if lock.error() != QLockFile.LockError.LockFailedError:
            raise InstanceError(f"cannot create the lock file {lock.fileName()}")
        if time.monotonic() >= deadline:
            raise InstanceError(f"another stretchbreak is still starting ({lock.fileName()})")
        time.sleep(0.005)
    return lock


def _lock_path(name: str) -> str:
    """Next to the socket, where Qt puts a relative name: the temporary folder."""
    socket = Path(name) if Path(name).is_absolute() else Path(QDir.tempPath()) / name
    return str(socket.with_name(socket.name + ".lock"))
