"""The Unix socket the running app listens on, served on the event loop and kept bounded.

Python's ``socket`` module watched by a ``QSocketNotifier`` per socket (no QtNetwork). What a
flood of connections or an out-of-descriptors process could do to it is bounded here:

* at most ``MAX_CONNECTIONS`` at once: past it, the oldest that has not sent a whole request
  is hung up on, so idle connections cannot keep a real command out;
* a connection that has not sent its whole request within ``IDLE_S`` is hung up on;
* when ``accept`` fails (no descriptors left, EMFILE), the socket is not watched for a while
  (``BACKOFF_S``, doubling), so a level-triggered notifier cannot spin the CPU;
* repeated warnings are logged once a minute with a count of the ones left out.

The socket file is watched too (inotify, through QFileSystemWatcher: no wake-ups while nothing
happens): removed by a temporary-file cleaner, or replaced by something else, it is made again.
Timers come from the factory the app passes in (``services.timers``).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import stat
import time
from pathlib import Path

from PySide6.QtCore import QDir, QFileSystemWatcher, QObject, QSocketNotifier

from stretchbreak.infra.instance_place import checked_folder
from stretchbreak.infra.instance_protocol import (
    REPLY_WRITE_S,
    AlarmFactory,
    Ended,
    InstanceError,
    Received,
    Throttled,
)

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 32
IDLE_S = 10.0
BACKOFF_S = (0.1, 2.0)
#: Connections the kernel queues while the event loop is busy (a burst of CLI calls).
_BACKLOG = 128
_CHUNK = 8 * 1024
_READ = QSocketNotifier.Type.Read


def socket_file(name: str) -> Path:
    """An absolute name as given; a bare one in Qt's temporary folder, as QLocalServer put it."""
    path = Path(name)
    return path if path.is_absolute() else Path(QDir.tempPath()) / name


def reason(error: OSError) -> str:
    return error.strerror or str(error)


class _Connection:
    """One accepted client: its socket, its notifier, and until when it may stay idle."""

    def __init__(self, client: socket.socket, listener: Listener) -> None:
        self.socket = client
        self.fd = client.fileno()
        self.notifier = QSocketNotifier(self.fd, _READ)
        self.idle_until = time.monotonic() + IDLE_S
        #: A whole request line came: it waits for its answer, never dropped as idle.
        self.asked = False
        self._listener = listener

    def answer(self, reply: bytes) -> None:
        # Delivered now, blocking briefly: a handler may have asked the loop to quit.
        try:
            self.socket.settimeout(REPLY_WRITE_S)
            self.socket.sendall(reply)
        except OSError as error:
            self._listener.throttled.warning(
                "answer", f"an answer could not be delivered: {reason(error)}", logging.INFO
            )
        self._listener.finish(self)

    def abort(self) -> None:
        self._listener.finish(self)


class Listener(QObject):
    """The listening socket and its connections, served on the event loop."""

    def __init__(
        self, received: Received, ended: Ended, timers: AlarmFactory, parent: QObject | None = None
    ) -> None:
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
        self._release_alarm = timers(self._released.clear)
        self._idle_alarm = timers(self._on_idle_alarm)
        self._backoff_alarm = timers(self._on_backoff_over)
        self._backoff_s = 0.0
        self._backing_off = False
        self.throttled = Throttled()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_socket_file_changed)

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
                f"cannot listen on {path} for other launches: {reason(error)}"
            ) from None
        try:
            path.chmod(0o600)  # before listen(): until then, nobody can connect
            server.listen(_BACKLOG)
            server.setblocking(False)
            inode = path.stat().st_ino
        except OSError as error:
            server.close()
            path.unlink(missing_ok=True)
            raise InstanceError(
                f"cannot listen on {path} for other launches: {reason(error)}"
            ) from None
        self._stop_listening()
        self._socket, self._path, self._inode = server, path, inode
        self._notifier = QSocketNotifier(server.fileno(), _READ, self)
        self._notifier.activated.connect(self._on_acceptable)
        self._watcher.addPath(str(path))

    def close(self) -> None:
        """Stop listening, remove the socket file if it is still ours, drop every connection."""
        for connection in list(self._connections.values()):
            self.finish(connection)
        self._idle_alarm.disarm()
        self._backoff_alarm.disarm()
        self._backing_off = False
        path, inode = self._path, self._inode
        self._stop_listening()
        self._path = None
        if path is not None:
            try:
                if path.stat().st_ino == inode:
                    path.unlink()
            except OSError:
                pass  # already gone

    def finish(self, connection: _Connection) -> None:
        """Let go of a connection: closed at once, its notifier on the next turn."""
        if self._connections.pop(connection.fd, None) is None:
            return
        connection.notifier.setEnabled(False)
        connection.socket.close()
        self._release(connection.notifier)
        self._watch_socket()

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._release(self._notifier)
        if self._socket is not None:
            self._socket.close()
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        self._socket = self._notifier = None

    def _release(self, notifier: QSocketNotifier) -> None:
        self._released.append(notifier)
        self._release_alarm.arm(0)

    def _watch_socket(self) -> None:
        """Watch the listening socket unless backing off or full of requests awaiting answers."""
        if self._notifier is None or self._backing_off:
            return
        full = len(self._connections) >= MAX_CONNECTIONS and not self._idle_connections()
        self._notifier.setEnabled(not full)

    @property
    def _notifier_enabled(self) -> bool:
        return self._notifier is not None and self._notifier.isEnabled()

    def _idle_connections(self) -> list[_Connection]:
        return [connection for connection in self._connections.values() if not connection.asked]

    def _on_acceptable(self) -> None:
        while self._socket is not None and self._notifier_enabled:
            try:
                client, _ = self._socket.accept()
            except BlockingIOError:
                return
            except OSError as error:
                if error.errno == errno.ECONNABORTED:
                    continue  # the client gave up while queued
                self._back_off(error)
                return
            self._backoff_s = 0.0
            client.setblocking(False)
            connection = _Connection(client, self)
            self._connections[connection.fd] = connection
            # sender(), not a lambda or bound method of the connection: no reference cycle
            # through Qt keeps a finished connection alive.
            connection.notifier.activated.connect(self._on_readable)
            if len(self._connections) > MAX_CONNECTIONS:
                self._hang_up_oldest_idle()
            self._arm_idle_alarm()

    def _back_off(self, error: OSError) -> None:
        """Out of descriptors (or another failure): stop watching the socket for a while."""
        low, high = BACKOFF_S
        self._backoff_s = min(max(self._backoff_s * 2, low), high)
        self.throttled.warning(
            "accept", f"cannot accept a command connection: {reason(error)}; trying again soon"
        )
        self._backing_off = True
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        self._backoff_alarm.arm(self._backoff_s)

    def _on_backoff_over(self) -> None:
        self._backing_off = False
        if self._notifier is not None:
            self._watch_socket()
            if self._notifier_enabled:
                self._on_acceptable()  # what queued meanwhile; a new failure backs off longer

    def _hang_up_oldest_idle(self) -> None:
        idle = self._idle_connections()
        if not idle:
            self._watch_socket()  # every one awaits an answer: accept more once one is done
            return
        self.throttled.warning(
            "full", f"more than {MAX_CONNECTIONS} command connections; hung up on the oldest"
        )
        self._drop(idle[0])

    def _drop(self, connection: _Connection) -> None:
        self.finish(connection)
        self._ended(connection)

    def _arm_idle_alarm(self) -> None:
        idle = self._idle_connections()
        if idle:
            self._idle_alarm.arm(max(0.0, idle[0].idle_until - time.monotonic()))
        else:
            self._idle_alarm.disarm()

    def _on_idle_alarm(self) -> None:
        now = time.monotonic()
        for connection in self._idle_connections():
            if connection.idle_until > now:
                break
            self._drop(connection)
        self._arm_idle_alarm()

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
                self._drop(connection)
                self._arm_idle_alarm()
                return
            if b"\n" in chunk and not connection.asked:
                connection.asked = True
                self._arm_idle_alarm()
            self._received(connection, chunk)  # may answer, which finishes the connection

    def _on_socket_file_changed(self, changed: str) -> None:
        """Make the socket again if it was removed or replaced (a cleaner, a careless script)."""
        path = self._path
        if path is None or self._socket is None or changed != str(path):
            return
        try:
            info = os.lstat(path)
            if stat.S_ISSOCK(info.st_mode) and info.st_ino == self._inode:
                if str(path) not in self._watcher.files():
                    self._watcher.addPath(str(path))
                return
            if not stat.S_ISDIR(info.st_mode):
                path.unlink()  # our private folder, our data folder's lock: it is in the way
        except FileNotFoundError:
            pass
        except OSError as error:
            self.throttled.warning("again", f"cannot clear {path}: {reason(error)}")
            return
        try:
            checked_folder(path.parent, create=True)
            self.listen(str(path))
        except InstanceError as error:
            self.throttled.warning("again", f"the command socket is gone: {error}")
            return
        log.info("the command socket was removed or replaced; listening again on %s", path)
