"""One running app per user and data folder, and the local socket other launches talk to it on.

The protocol is one line of JSON each way per connection, so a shell user can debug it with
``socat`` and the client needs no event loop::

    → {"version": 1, "command": "status", "args": {}}
    ← {"version": 1, "ok": true, "state": "active", ...}
    ← {"version": 1, "ok": false, "error": "unknown command 'x'"}

The transport is a Unix socket file served with Python's ``socket`` module on the event loop
(``instance_unix``), so neither the tray nor the CLI loads QtNetwork; on Windows, which has no
AF_UNIX in Python, it is QtNetwork's named pipe (``instance_qt``, imported there alone). The
protocol, limits and errors live in ``instance_protocol`` and are re-exported here.

Who runs is decided by the data folder's lock (``instance_lock``, taken in
``instance_start``), not by the socket. ``InstanceServer.listen`` still asks first: if
something accepts a connection, another instance owns the name; if nothing does, whatever is
left at the path is a crashed instance's and is removed. A lock file beside the socket, in
the same private folder, makes that check-then-listen atomic between two servers.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
import time
from collections.abc import Collection, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QCryptographicHash, QLockFile, QObject, Signal

from stretchbreak.infra.instance_place import runtime_folder
from stretchbreak.infra.instance_protocol import (
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    PROTOCOL_VERSION,
    AlarmFactory,
    CommandHandler,
    CommandRejected,
    InstanceError,
    InstanceNotRunning,
    InstanceTimeout,
    Link,
    check_args,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    pause_length,
)
from stretchbreak.infra.paths import SOCKET_PREFIX, AppPaths

if sys.platform == "win32":
    from stretchbreak.infra import instance_qt as _transport
else:
    from stretchbreak.infra import instance_unix as _transport

__all__ = [
    "MAX_REPLY_BYTES",
    "MAX_REQUEST_BYTES",
    "PROTOCOL_VERSION",
    "CommandHandler",
    "CommandRejected",
    "InstanceError",
    "InstanceNotRunning",
    "InstanceServer",
    "InstanceTimeout",
    "decode_reply",
    "decode_request",
    "encode_reply",
    "encode_request",
    "pause_length",
    "send_command",
    "socket_name",
]

log = logging.getLogger(__name__)

#: Two launches at the same moment take turns; the check-then-listen inside takes milliseconds.
_LOCK_WAIT_S = 15.0


def socket_name(
    data_dir: Path,
    user: str | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    create: bool = False,
) -> str:
    """The socket of one user's app on one data folder, so each ``--data-dir`` is its own.

    On Linux and macOS a path in the user's private runtime folder (``instance_place``; made
    there if ``create``, which only the app does); InstanceError when no such folder can be
    trusted. The file name is a hash: a path would be too long for ``sockaddr_un``. On Windows
    a pipe name in the global namespace, where the hash keeps the data folder to itself.
    """
    who = user if user is not None else _current_user()
    folder = os.path.normcase(data_dir.expanduser().resolve())
    # Qt's own SHA-256: ``hashlib`` would load OpenSSL (~3.3 MiB RSS) into the tray process.
    data = f"{who}\0{folder}".encode()
    raw = QCryptographicHash.hash(data, QCryptographicHash.Algorithm.Sha256)
    name = f"{SOCKET_PREFIX}{bytes(raw.data()).hex()[:20]}"
    if sys.platform == "win32":
        return name
    return str(runtime_folder(name, environ, create=create) / name)


def _current_user() -> str:
    if sys.platform != "win32":
        return str(os.getuid())
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USERNAME: the home folder still tells users apart
        return str(Path.home())


def send_command(
    name: str,
    command: str,
    args: Mapping[str, object] | None = None,
    *,
    timeout_s: float = 5.0,
) -> dict[str, object]:
    """Ask the instance listening on ``name`` and return its answer; blocks up to ``timeout_s``.

    Needs no QCoreApplication and no event loop, so the CLI stays light. It blocks the calling
    thread: called on the thread whose event loop serves ``name``, it waits for itself until
    the timeout (and on Windows, where PySide holds the GIL while it waits, on any thread of
    the serving process).
    """
    return decode_reply(_transport.exchange(name, encode_request(command, args), timeout_s))


class InstanceServer(QObject):
    """Answers other launches' commands on the event loop, one handler per command.

    Handlers answer synchronously, which every command needs and which means no request can
    be left without an answer. Signals: ``request_answered(str, dict)`` with the command (empty
    for a malformed request) and the answer sent, for logs and tests.
    """

    request_answered = Signal(str, dict)

    def __init__(self, parent: QObject | None = None, *, timers: AlarmFactory) -> None:
        super().__init__(parent)
        self._listener = _transport.Listener(self._on_received, self._on_ended, timers, self)
        self._handlers: dict[str, CommandHandler] = {}
        #: The args each command takes, where the server checks them (None: the handler does).
        self._takes: dict[str, Collection[str] | None] = {}
        #: What each unanswered connection sent so far.
        self._buffers: dict[Link, bytearray] = {}
        self._holding = False

    def register(
        self, command: str, handler: CommandHandler, takes: Collection[str] | None = None
    ) -> None:
        """Answer ``command`` with ``handler``; other args than ``takes`` are refused first."""
        self._handlers[command] = handler
        self._takes[command] = takes

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
        for link in list(self._buffers):
            self._consider(link)

    @property
    def listening(self) -> bool:
        return bool(self._listener.full_name)

    @property
    def full_name(self) -> str:
        """The socket path (or pipe name), for the log and for people debugging."""
        return self._listener.full_name

    def listen(self, name: str, *, probe_timeout_s: float = 1.0) -> bool:
        """Own ``name``: True if listening now, False if another live instance answers on it.

        Raises InstanceError when the name cannot be used at all (e.g. a socket file of
        another user in the way), so the app can run without the channel and say why.
        Needs the application first: without an event dispatcher nothing would watch the
        socket, and clients would connect and never be answered.
        """
        if QCoreApplication.instance() is None:
            raise RuntimeError("create the QApplication before listening")
        lock = _take_lock(name)
        try:
            if _transport.accepts(name, probe_timeout_s):
                return False
            if _transport.remove_stale(name):
                log.info("removed a stale instance socket %s", name)
            self._listener.listen(name)
        finally:
            lock.unlock()
        log.info("listening for commands on %s", self.full_name)
        return True

    def close(self) -> None:
        """Stop listening and remove the socket, so the next launch needs no stale check."""
        self._listener.close()
        for link in list(self._buffers):
            link.abort()
        self._buffers.clear()

    def _on_received(self, link: Link, data: bytes) -> None:
        buffer = self._buffers.setdefault(link, bytearray())
        buffer += data
        if not self._holding or len(buffer) > MAX_REQUEST_BYTES:
            self._consider(link)

    def _on_ended(self, link: Link) -> None:
        self._buffers.pop(link, None)

    def _consider(self, link: Link) -> None:
        """Answer the request in ``link``'s buffer once its line is complete."""
        buffer = self._buffers[link]
        line, newline, _ = buffer.partition(b"\n")
        if newline:
            self._answer(link, *self._handle(bytes(line)))
        elif len(buffer) > MAX_REQUEST_BYTES:
            self._answer(link, "", encode_reply(error="request too long"))

    def _handle(self, line: bytes) -> tuple[str, bytes]:
        command = ""
        try:
            command, args = decode_request(line)
            handler = self._handlers.get(command)
            if handler is None:
                raise CommandRejected(f"unknown command {command!r}")
            takes = self._takes.get(command)
            if takes is not None:
                check_args(command, args, takes)
            return command, encode_reply(handler(args))
        except CommandRejected as error:
            return command, encode_reply(error=str(error))
        except Exception as error:  # a bug in one handler must not take the channel down
            log.exception("command %r failed", command)
            return command, encode_reply(error=f"internal error: {type(error).__name__}: {error}")

    def _answer(self, link: Link, command: str, reply: bytes) -> None:
        del self._buffers[link]
        link.answer(reply)
        self.request_answered.emit(command, json.loads(reply))


def _take_lock(name: str) -> QLockFile:
    """The lock for checking and taking ``name``, held by one starting launch at a time.

    Polled briefly instead of ``tryLock(timeout)``, whose back-off sleeps grow to seconds
    although the holder needs milliseconds; a dead holder's lock is removed by its pid.
    """
    socket = _transport.socket_file(name)
    lock = QLockFile(str(AppPaths.socket_lock(socket)))
    lock.setStaleLockTime(10_000)  # a hung holder
    deadline = time.monotonic() + _LOCK_WAIT_S
    while not lock.tryLock(0):
        if lock.error() != QLockFile.LockError.LockFailedError:
            raise InstanceError(f"cannot create the lock file {lock.fileName()}")
        if time.monotonic() >= deadline:
            raise InstanceError(f"another stretchbreak is still starting ({lock.fileName()})")
        time.sleep(0.005)
    return lock
