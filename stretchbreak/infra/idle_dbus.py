"""Idle time asked of the desktop itself over the session bus: GNOME's Mutter, KDE's screen saver.

On a Wayland session only the compositor sees input, so asking it is the one honest source
there; on X11 desktops it saves a connection to the X server. QtDBus is imported only when a
bus is wanted, so a Qt build without it still runs the app (without away detection).

Each read is one blocking method call with a short timeout. That is acceptable on the GUI
thread because reads are rare (at most every 10 s, and only while a prompt is near) and the
answer comes from a local daemon within milliseconds; the timeout bounds a hung compositor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

__all__ = [
    "BUS_CONNECTION_NAME",
    "FREEDESKTOP_SCREENSAVER",
    "MUTTER_IDLE_MONITOR",
    "BusLease",
    "DBusIdle",
    "IdleMethod",
    "SessionBus",
    "session_bus_from_env",
]

log = logging.getLogger(__name__)

#: The name of the connection :func:`session_bus_from_env` opens (and may close again).
BUS_CONNECTION_NAME = "stretchbreak-idle"

#: Opens the session bus the environment names; ``None`` when there is none.
SessionBus = Callable[[Mapping[str, str]], "QDBusConnection | None"]


@dataclass(frozen=True, slots=True)
class IdleMethod:
    """Where a desktop answers "how long since the last input", and in which unit."""

    name: str
    service: str
    path: str
    interface: str
    member: str
    seconds_per_unit: float


#: GNOME (X11 and Wayland): ``GetIdletime() -> t`` in milliseconds.
MUTTER_IDLE_MONITOR = IdleMethod(
    name="GNOME idle monitor",
    service="org.gnome.Mutter.IdleMonitor",
    path="/org/gnome/Mutter/IdleMonitor/Core",
    interface="org.gnome.Mutter.IdleMonitor",
    member="GetIdletime",
    seconds_per_unit=0.001,
)

#: KDE and others: ``GetSessionIdleTime() -> u``. No published spec fixes the unit. KDE's
#: kscreenlocker, the main implementation, returns ``KIdleTime::idleTime()``, which is
#: milliseconds, so milliseconds it is. Should a desktop answer in seconds, the error is on
#: the safe side: idle time reads 1000 times too small, so no false "you were away" is
#: recorded. KDE on Wayland replies ``NotSupported``, which the probe treats as "not here".
FREEDESKTOP_SCREENSAVER = IdleMethod(
    name="freedesktop screen saver",
    service="org.freedesktop.ScreenSaver",
    path="/org/freedesktop/ScreenSaver",
    interface="org.freedesktop.ScreenSaver",
    member="GetSessionIdleTime",
    seconds_per_unit=0.001,
)


def session_bus_from_env(env: Mapping[str, str]) -> QDBusConnection | None:
    """The session bus named by ``env``, without letting libdbus autolaunch a new one.

    ``QDBusConnection.sessionBus()`` would read the process environment rather than ``env``,
    and with no address it may spawn ``dbus-launch``: a stray daemon just to learn that no
    desktop answers. Hence the explicit address, or the systemd user bus socket.
    """
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        socket = Path(runtime, "bus") if runtime else None
        if socket is None or not socket.exists():
            return None
        address = f"unix:path={socket}"
    from PySide6.QtDBus import QDBusConnection

    return QDBusConnection.connectToBus(address, BUS_CONNECTION_NAME)


class DBusIdle:
    """One desktop service's idle time; ``None`` for any read that does not get a number."""

    def __init__(self, bus: QDBusConnection, method: IdleMethod, *, timeout_ms: int = 500) -> None:
        self._bus = bus
        self._method = method
        self._timeout_ms = timeout_ms
        self.name = method.name

    def idle_seconds(self) -> float | None:
        from PySide6.QtDBus import QDBus, QDBusMessage

        method = self._method
        call = QDBusMessage.createMethodCall(
            method.service, method.path, method.interface, method.member
        )
        # Probing must not start a screen saver daemon through D-Bus activation.
        call.setAutoStartService(False)
        reply = self._bus.call(call, QDBus.CallMode.Block, self._timeout_ms)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            log.debug("%s: %s (%s)", method.member, reply.errorName(), reply.errorMessage())
            return None
        arguments = reply.arguments()
        value = arguments[0] if len(arguments) == 1 else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            log.debug("%s answered %r, not a count", method.member, arguments)
            return None
        return value * method.seconds_per_unit


class BusLease:
    """The session bus for detection: opened on first need, shared, dropped if unused.

    One connection serves both D-Bus backends, and a desktop where neither answers (or an
    X11 desktop where the X server answers first) keeps no idle connection open.
    """

    def __init__(self, env: Mapping[str, str], session_bus: SessionBus | None) -> None:
        self._env = env
        self._session_bus = session_bus
        self._opened = False
        self._bus: QDBusConnection | None = None

    def backend(self, method: IdleMethod) -> DBusIdle:
        """A backend for ``method``; :class:`ConnectionError` when there is no bus."""
        if not self._opened:
            self._opened = True
            self._bus = self._open()
        if self._bus is None:
            raise ConnectionError("no session bus")
        return DBusIdle(self._bus, method)

    def release(self, kept: object) -> None:
        """Close the connection this lease opened unless ``kept`` (the chosen backend) uses it."""
        bus, self._bus = self._bus, None
        if bus is None or isinstance(kept, DBusIdle):
            return
        if bus.name() == BUS_CONNECTION_NAME:
            from PySide6.QtDBus import QDBusConnection

            QDBusConnection.disconnectFromBus(BUS_CONNECTION_NAME)

    def _open(self) -> QDBusConnection | None:
        if self._session_bus is None:
            return None
        try:
            bus = self._session_bus(self._env)
        except ImportError as error:
            log.debug("no QtDBus: %s", error)
            return None
        if bus is None:
            log.debug("the environment names no session bus")
            return None
        if not bus.isConnected():
            log.debug("no session bus: %s", bus.lastError().message())
            if bus.name() == BUS_CONNECTION_NAME:
                from PySide6.QtDBus import QDBusConnection

                QDBusConnection.disconnectFromBus(BUS_CONNECTION_NAME)
            return None
        return bus
