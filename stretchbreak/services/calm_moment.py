"""Waits for a calm moment to show something the user did not ask for: a pause in typing,
and nothing open that the user did ask for (the guided window).

The welcome uses it like the prompt's lull: while idle time says the user is typing, or while
``held`` says a window the user opened is up, it looks again every second; once they pause
(or when no idle backend exists) it says so once. Unlike the prompt it has no deadline: a
welcome can wait, a half-typed word or a break under way cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from stretchbreak.services.timers import WakeTimerFactory

#: How often idle time is read while the user types.
POLL_S = 1.0


class IdleReader(Protocol):
    def idle_seconds(self) -> float | None: ...


class CalmMoment(QObject):
    """Signals: ``arrived()`` once per ``wait()``, at the first pause in typing."""

    arrived = Signal()

    def __init__(
        self,
        idle: IdleReader | None,
        lull_seconds: float,
        wake_timer: WakeTimerFactory,
        parent: QObject | None = None,
        *,
        held: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self._idle = idle
        self._lull_seconds = lull_seconds
        self._held = held
        self._timer = wake_timer(self._look)

    @property
    def waiting(self) -> bool:
        return self._timer.armed

    def wait(self) -> None:
        """Look now, and then every second until the user pauses."""
        self._look()

    def wait_from_next_turn(self) -> None:
        """Like ``wait``, but the first look comes on the event loop's next turn: after what
        the caller still opens in this one (a start's ``break`` opens the guided window)."""
        self._timer.arm(0)

    def cancel(self) -> None:
        self._timer.disarm()

    def _look(self) -> None:
        if self._held():
            self._timer.arm(POLL_S)
            return
        idle = self._idle.idle_seconds() if self._idle is not None else None
        if idle is None or idle >= self._lull_seconds:
            self._timer.disarm()
            self.arrived.emit()
        else:
            self._timer.arm(POLL_S)
