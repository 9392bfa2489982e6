"""SIGINT and SIGTERM end the app cleanly, without a polling timer.

Python runs signal handlers only when the interpreter gets control, which a blocked Qt event
loop never gives it. ``signal.set_wakeup_fd`` writes a byte into a socket on every signal; a
``QSocketNotifier`` wakes the loop on that byte, and only then does any Python run.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Iterable

from PySide6.QtCore import QObject, QSocketNotifier, Signal


class QuitSignals(QObject):
    """Signals: ``quit_requested(int)`` with the signal number."""

    quit_requested = Signal(int)

    def __init__(
        self,
        signals: Iterable[signal.Signals] = (signal.SIGINT, signal.SIGTERM),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {s: signal.signal(s, _note_only) for s in signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self) -> None:
        with contextlib.suppress(BlockingIOError):
            for number in self._reader.recv(64):
                self.quit_requested.emit(number)

    def close(self) -> None:
        """Give the signals back to whoever had them, so a test's process is left as it was."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _note_only(number: int, frame: object) -> None:
    """The wake-up byte does the work; replacing the handler keeps SIGINT from raising."""
