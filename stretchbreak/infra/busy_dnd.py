"""Do not disturb: the desktop's own switch that holds notifications back, read over D-Bus.

KDE Plasma exposes it as the ``Inhibited`` property of its ``org.freedesktop.Notifications``
server. GNOME keeps it as the ``show-banners`` setting (off = do not disturb), which the
desktop portal's Settings interface reads out for any program. Each read is one blocking call
with a short timeout, made only while a break waits; QtDBus loads only here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stretchbreak.infra.busy import BusyUnavailable

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

__all__ = [
    "GNOME_PORTAL",
    "KDE_INHIBITED",
    "DBusDoNotDisturb",
    "DndSource",
    "detect_do_not_disturb",
]

log = logging.getLogger(__name__)

CONNECTION_NAME = "stretchbreak-busy"


@dataclass(frozen=True, slots=True)
class DndSource:
    """One method call whose boolean answer says whether do-not-disturb is on."""

    name: str
    service: str
    path: str
    interface: str
    member: str
    arguments: tuple[str, ...]
    #: True when the answer is "notifications shown" (GNOME), so busy is its negation.
    inverted: bool


KDE_INHIBITED = DndSource(
    "KDE notifications",
    "org.freedesktop.Notifications",
    "/org/freedesktop/Notifications",
    "org.freedesktop.DBus.Properties",
    "Get",
    ("org.freedesktop.Notifications", "Inhibited"),
    inverted=False,
)
GNOME_PORTAL = DndSource(
    "GNOME notifications (desktop portal)",
    "org.freedesktop.portal.Desktop",
    "/org/freedesktop/portal/desktop",
    "org.freedesktop.portal.Settings",
    "ReadOne",
    ("org.gnome.desktop.notifications", "show-banners"),
    inverted=True,
)

#: Calls one source and returns its answer (a bool), or ``None`` when there was none.
Ask = Callable[[DndSource], object]


class DBusDoNotDisturb:
    """The first source that answered when the probe was made."""

    def __init__(self, ask: Ask, source: DndSource, close: Callable[[], None]) -> None:
        self._ask, self._source, self._close = ask, source, close
        self.name = source.name

    def busy(self) -> bool | None:
        answer = self._ask(self._source)
        if not isinstance(answer, bool):
            return None
        return not answer if self._source.inverted else answer

    def close(self) -> None:
        self._close()


def choose(
    ask: Ask,
    close: Callable[[], None],
    sources: Sequence[DndSource] = (KDE_INHIBITED, GNOME_PORTAL),
) -> DBusDoNotDisturb:
    """The first source that gives a yes-or-no answer here."""
    for source in sources:
        backend = DBusDoNotDisturb(ask, source, close)
        if backend.busy() is not None:
            return backend
    close()
    raise BusyUnavailable("the desktop shows no do-not-disturb setting")


def detect_do_not_disturb(env: Mapping[str, str]) -> DBusDoNotDisturb:
    """KDE's or GNOME's switch on the session bus that ``env`` names (never an autolaunched
    one: like away detection, only an address given or the systemd user bus socket)."""
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        socket = Path(env.get("XDG_RUNTIME_DIR") or "/nonexistent", "bus")
        if not socket.exists():
            raise BusyUnavailable("no session bus")
        address = f"unix:path={socket}"
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError as error:
        raise BusyUnavailable("no D-Bus support in this Qt") from error

    # A connection of its own, so closing it never touches away detection's.
    bus = QDBusConnection.connectToBus(address, CONNECTION_NAME)

    def close() -> None:
        QDBusConnection.disconnectFromBus(CONNECTION_NAME)

    if not bus.isConnected():
        close()
        raise BusyUnavailable("no session bus")
    return choose(lambda source: _ask(bus, source), close)


def _ask(bus: QDBusConnection, source: DndSource, timeout_ms: int = 300) -> object:
    from PySide6.QtDBus import QDBus, QDBusMessage, QDBusVariant

    call = QDBusMessage.createMethodCall(
        source.service, source.path, source.interface, source.member
    )
    call.setArguments(list(source.arguments))
    call.setAutoStartService(False)  # asking must not start a notification server
    reply = bus.call(call, QDBus.CallMode.Block, timeout_ms)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage:
        log.debug("%s: %s", source.name, reply.errorName())
        return None
    arguments = reply.arguments()
    value = arguments[0] if arguments else None
    while isinstance(value, QDBusVariant):
        value = value.variant()
    return value
