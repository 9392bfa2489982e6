"""logind's ``PrepareForSleep`` signal on the system bus: the moment a machine sleeps and wakes.

The wake watch notices a suspend by its heartbeat anyway; this signal only makes it prompt
(right after the resume instead of up to one heartbeat later). Most desktops have logind;
containers, macOS, Windows and minimal systems do not. Not hearing it costs only promptness,
so every failure is a debug line. QtDBus is imported only when a bus is opened, so a Qt build
without it still runs the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QObject, Slot

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

__all__ = [
    "LOGIND_INTERFACE",
    "LOGIND_PATH",
    "LOGIND_SERVICE",
    "LogindSleep",
    "SleepBus",
    "system_bus",
]

log = logging.getLogger(__name__)

LOGIND_SERVICE = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
LOGIND_INTERFACE = "org.freedesktop.login1.Manager"
_SLEEP_SIGNAL = "PrepareForSleep"
# A slot signature as Qt's SLOT() macro spells it. PySide6 6.11's stubs ask for bytes, but at
# run time connect()/disconnect() accept only this str; hence the type: ignore at the calls.
_SLEEP_SLOT = SLOT("_on_prepare_for_sleep(bool)")

#: Opens the bus logind talks on; the system bus in the app, a private bus in tests.
SleepBus = Callable[[], "QDBusConnection"]


def system_bus() -> QDBusConnection:
    """The D-Bus system bus; imported here so a machine without QtDBus still runs the app."""
    from PySide6.QtDBus import QDBusConnection

    return QDBusConnection.systemBus()


class LogindSleep(QObject):
    """Calls back with ``True`` when the machine is about to sleep, ``False`` after it woke."""

    def __init__(self, bus: SleepBus = system_bus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_bus = bus
        self._bus: QDBusConnection | None = None
        self._callback: Callable[[bool], None] | None = None

    @property
    def listening(self) -> bool:
        return self._bus is not None

    def listen(self, callback: Callable[[bool], None]) -> bool:
        """Subscribe to the signal; False (and a debug line) where there is no logind to hear."""
        self._callback = callback
        if self._bus is None:
            self._bus = self._connect()
        return self._bus is not None

    def stop(self) -> None:
        if self._bus is None:
            return
        unsubscribed = self._bus.disconnect(  # type: ignore[call-overload]
            LOGIND_SERVICE, LOGIND_PATH, LOGIND_INTERFACE, _SLEEP_SIGNAL, self, _SLEEP_SLOT
        )
        if not unsubscribed:
            log.debug("could not unsubscribe from logind: %s", self._bus.lastError().message())
        self._bus = None

    def _connect(self) -> QDBusConnection | None:
        try:
            bus = self._open_bus()
        except ImportError as error:
            log.debug("no QtDBus (%s); suspend is noticed by the heartbeat only", error)
            return None
        if not bus.isConnected():
            log.debug(
                "no bus for logind (%s); suspend is noticed by the heartbeat only",
                bus.lastError().message(),
            )
            return None
        connected = bus.connect(  # type: ignore[call-overload]
            LOGIND_SERVICE, LOGIND_PATH, LOGIND_INTERFACE, _SLEEP_SIGNAL, self, _SLEEP_SLOT
        )
        if not connected:
            log.debug("could not subscribe to logind: %s", bus.lastError().message())
            return None
        log.debug("listening to logind's %s", _SLEEP_SIGNAL)
        return bus

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        log.debug("logind: %s", "going to sleep" if going_to_sleep else "resumed")
        if self._callback is not None:
            self._callback(going_to_sleep)
