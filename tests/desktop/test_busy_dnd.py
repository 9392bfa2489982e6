"""Do-not-disturb read over a real session bus from a stand-in desktop: KDE's notification
server with its ``Inhibited`` property, or the portal's ``show-banners`` setting (GNOME)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from stretchbreak.infra.busy import BusyUnavailable
from stretchbreak.infra.busy_dnd import detect_do_not_disturb
from tests.desktop.conftest import line_child, private_session_bus

#: Owns KDE's notification service or the portal, answering from a value set on stdin.
FAKE_DESKTOP = r"""
import sys
from PySide6.QtCore import QCoreApplication, QSocketNotifier
from PySide6.QtDBus import QDBusConnection, QDBusVariant, QDBusVirtualObject

kind = sys.argv[2]
SERVICE, PATH, MEMBER = {
    "kde": ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", "Get"),
    "gnome": ("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop", "ReadOne"),
}[kind]
value = {"on": False}


class Desktop(QDBusVirtualObject):
    def introspect(self, path):
        return ""

    def handleMessage(self, message, connection):
        if message.member() != MEMBER:
            return False
        # KDE: Inhibited is True while notifications are held back; GNOME: show-banners is
        # False then.
        answer = value["on"] if kind == "kde" else not value["on"]
        return connection.send(message.createReply(QDBusVariant(answer)))


app = QCoreApplication([])
bus = QDBusConnection.connectToBus(sys.argv[1], "fake-desktop")
desktop = Desktop()
assert bus.registerVirtualObject(PATH, desktop)
assert bus.registerService(SERVICE)


def on_line():
    line = sys.stdin.readline().strip()
    if not line:
        app.quit()
        return
    value["on"] = line == "on"
    print(line, flush=True)


notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(on_line)
print("ready", flush=True)
app.exec()
"""


@pytest.mark.parametrize(("kind", "name"), [("kde", "KDE notifications"), ("gnome", "GNOME")])
def test_do_not_disturb_is_read_from_the_desktop(
    qapp: Any, tmp_path: Path, kind: str, name: str
) -> None:
    with ExitStack() as session:
        address = session.enter_context(private_session_bus())
        desktop = session.enter_context(
            line_child([sys.executable, "-c", FAKE_DESKTOP, address, kind], {}, tmp_path)
        )
        assert desktop.read_line("the stand-in desktop") == "ready"
        backend = detect_do_not_disturb({"DBUS_SESSION_BUS_ADDRESS": address})
        session.callback(backend.close)
        assert backend.name.startswith(name)
        assert backend.busy() is False
        desktop.send("on")
        assert desktop.read_line("do not disturb switched on") == "on"
        assert backend.busy() is True
        desktop.send("off")
        assert desktop.read_line("switched off") == "off"
        assert backend.busy() is False


def test_a_bus_where_no_desktop_answers_is_unavailable(qapp: Any) -> None:
    with private_session_bus() as address, pytest.raises(BusyUnavailable, match="no do-not"):
        detect_do_not_disturb({"DBUS_SESSION_BUS_ADDRESS": address})


def test_no_bus_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BusyUnavailable, match="no session bus"):
        detect_do_not_disturb({"XDG_RUNTIME_DIR": str(tmp_path)})
