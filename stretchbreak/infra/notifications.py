"""Desktop notifications with buttons (freedesktop ``actions``), sent and heard over D-Bus.

The prompt never takes the keyboard, so a keyboard user answers a break through the desktop
notification instead: notification servers that support actions (dunst, GNOME, KDE) show
Start, Snooze and Skip, and bind keys to them. Qt's tray ``showMessage`` cannot carry actions,
so the notification is sent with ``jeepney`` (pure Python) and ``ActionInvoked`` is read from
the same connection, woken by a ``QSocketNotifier`` on its socket: no thread, no polling.
Servers without the ``actions`` capability get the same text without buttons; no session bus
or no server at all makes ``show`` answer False, and the caller falls back to the tray.
``jeepney`` loads with this module, which the app imports only when it first notifies.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import HeaderFields
from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

PATH = "/org/freedesktop/Notifications"
NAME = "org.freedesktop.Notifications"
#: A reply slower than this leaves the notification to the tray's fallback.
REPLY_TIMEOUT_S = 1.0
#: How long the server keeps the notification up (ms); the prompt itself waits longer.
EXPIRE_MS = 60_000


class DesktopNotifications(QObject):
    """Signals: ``action_invoked(str key)`` for an action of the notification shown last."""

    action_invoked = Signal(str)

    def __init__(self, app_name: str = "stretchbreak", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app_name = app_name
        self._connection: Any = None
        self._notifier: QSocketNotifier | None = None
        self._tried = False
        self._actions_supported = False
        self._current = 0

    # ------------------------------------------------------------------ connection
    def _connect(self) -> Any:
        """The session-bus connection, opened on first use; None when there is none."""
        if self._tried:
            return self._connection
        self._tried = True
        try:
            connection = open_dbus_connection(bus="SESSION")
            rule = MatchRule(type="signal", interface=NAME, path=PATH)
            connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=REPLY_TIMEOUT_S)
            address = DBusAddress(PATH, bus_name=NAME, interface=NAME)
            reply = connection.send_and_get_reply(
                new_method_call(address, "GetCapabilities"), timeout=REPLY_TIMEOUT_S
            )
        except Exception as error:  # no bus, no server, refused auth: all "none"
            log.info("desktop notifications with actions unavailable: %s", error)
            return None
        capabilities = reply.body[0] if reply.body else []
        self._actions_supported = "actions" in capabilities
        log.info("notification server: actions %s", "yes" if self._actions_supported else "no")
        self._connection = connection
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        return connection

    @property
    def actions_supported(self) -> bool:
        self._connect()
        return self._actions_supported

    # ------------------------------------------------------------------ sending
    def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> bool:
        """Show (or replace) our notification; False when no server took it."""
        connection = self._connect()
        if connection is None:
            return False
        flat = [part for pair in actions for part in pair] if self._actions_supported else []
        address = DBusAddress(PATH, bus_name=NAME, interface=NAME)
        message = new_method_call(
            address,
            "Notify",
            "susssasa{sv}i",
            (self._app_name, self._current, "", title, body, flat, {}, EXPIRE_MS),
        )
        try:
            reply = connection.send_and_get_reply(message, timeout=REPLY_TIMEOUT_S)
        except Exception as error:  # the server went away or did not answer
            log.warning("could not show a desktop notification: %s", error)
            return False
        finally:
            self._drain()
        if not reply.body:
            return False
        self._current = int(reply.body[0])
        return True

    def close(self) -> None:
        """Take our notification down (the prompt was answered some other way)."""
        if self._connection is None or not self._current:
            return
        address = DBusAddress(PATH, bus_name=NAME, interface=NAME)
        try:
            self._connection.send(
                new_method_call(address, "CloseNotification", "u", (self._current,))
            )
        except OSError as error:
            log.warning("could not close the desktop notification: %s", error)
        self._current = 0

    # ------------------------------------------------------------------ receiving
    def _on_notifier_activated(self) -> None:
        self._drain()

    def _drain(self) -> None:
        """Handle every message that has arrived, without waiting for more."""
        connection = self._connection
        if connection is None:
            return
        while True:
            try:
                message = connection.receive(timeout=0)
            except TimeoutError:
                return
            except OSError as error:
                log.warning("the notification connection closed: %s", error)
                if self._notifier is not None:
                    self._notifier.setEnabled(False)
                self._connection = None
                return
            self._handle(message)

    def _handle(self, message: Any) -> None:
        member = message.header.fields.get(HeaderFields.member)
        body = message.body
        if member == "ActionInvoked" and len(body) == 2 and body[0] == self._current:
            log.info("notification action %s", body[1])
            self.action_invoked.emit(str(body[1]))
        elif member == "NotificationClosed" and body and body[0] == self._current:
            self._current = 0
