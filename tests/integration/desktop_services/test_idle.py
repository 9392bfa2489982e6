"""Idle backends and their detection, without a desktop.

The D-Bus backends talk to a fake desktop: a separate process that owns GNOME's and KDE's
service names on a private ``dbus-daemon`` and answers (or refuses, or stays silent) as the
test tells it. A separate process, because a blocking call cannot be answered by an object
on the same thread, and a real compositor is another process too. Windows and macOS run
with fake system functions injected in place of the ctypes ones.
"""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

from stretchbreak.infra.idle import (
    IdleAvailability,
    IdleBackend,
    IdleUnavailable,
    MacIdle,
    WindowsIdle,
    X11Idle,
    detect_idle_backend,
    unix_plan,
)
from stretchbreak.infra.idle_dbus import (
    BUS_CONNECTION_NAME,
    FREEDESKTOP_SCREENSAVER,
    MUTTER_IDLE_MONITOR,
    BusLease,
    DBusIdle,
    session_bus_from_env,
)

ROOT = Path(__file__).resolve().parents[3]
TEST_CONNECTION = "stretchbreak-idle-test"
CONTROL_SERVICE = "org.stretchbreak.FakeDesktop"

# ---------------------------------------------------------------- the fake desktop

FAKE_DESKTOP = r'''
"""Owns the desktop's idle services on demand; the test steers it through /control."""
import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusVirtualObject

SERVICES = {
    "mutter": ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core"),
    "screensaver": ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
}
idle_ms = {"mutter": 0, "screensaver": 0}


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class Mutter(QObject):
    @Slot(result="qulonglong")  # t, as in Mutter
    def GetIdletime(self):
        return idle_ms["mutter"]


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class MutterText(QObject):
    @Slot(result=str)
    def GetIdletime(self):
        return "a while"


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(result="uint")  # u, as in KDE's kscreenlocker
    def GetSessionIdleTime(self):
        return idle_ms["screensaver"]


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaverText(QObject):
    @Slot(result=str)
    def GetSessionIdleTime(self):
        return "a while"


class Refusing(QDBusVirtualObject):
    """Answers with an error, as KDE's screen saver does on Wayland."""

    def introspect(self, path):
        return ""

    def handleMessage(self, message, connection):
        error = "org.freedesktop.DBus.Error.NotSupported"
        return connection.send(message.createErrorReply(error, "not on this platform"))


class Silent(QDBusVirtualObject):
    """Takes every call and never replies, like a hung compositor."""

    def introspect(self, path):
        return ""

    def handleMessage(self, message, connection):
        return True


KINDS = {
    ("mutter", "number"): Mutter, ("mutter", "text"): MutterText,
    ("screensaver", "number"): ScreenSaver, ("screensaver", "text"): ScreenSaverText,
}


@ClassInfo({"D-Bus Interface": "org.stretchbreak.FakeDesktop"})
class Control(QObject):
    def __init__(self, bus):
        super().__init__()
        self.bus = bus
        self.objects = {}

    @Slot(str, str, str)
    def Set(self, key, mode, value):
        """mode: absent | number | text | refusing | silent; value: idle ms, in digits.

        Digits, because a Python int goes out as int32 or int64 depending on its size.
        """
        service, path = SERVICES[key]
        self.bus.unregisterObject(path)
        self.objects.pop(key, None)
        idle_ms[key] = int(value)
        if mode == "absent":
            self.bus.unregisterService(service)
            return
        if mode in ("refusing", "silent"):
            obj = Refusing() if mode == "refusing" else Silent()
            assert self.bus.registerVirtualObject(path, obj)
        else:
            obj = KINDS[key, mode]()
            assert self.bus.registerObject(path, obj, QDBusConnection.ExportAllSlots)
        self.objects[key] = obj
        assert self.bus.registerService(service)


app = QCoreApplication([])
bus = QDBusConnection.connectToBus(sys.argv[1], "fake-desktop")
control = Control(bus)
assert bus.registerObject("/control", control, QDBusConnection.ExportAllSlots)
assert bus.registerService("org.stretchbreak.FakeDesktop")
print("ready", flush=True)
app.exec()
'''

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class PrivateBus:
    """A dbus-daemon of our own; ``activated`` appears if it ever starts a screen saver."""

    def __init__(self, folder: Path) -> None:
        daemon = shutil.which("dbus-daemon")
        if daemon is None:
            pytest.skip("dbus-daemon is not installed (Debian package 'dbus')")
        services = folder / "services"
        services.mkdir()
        self.activated = folder / "activated"
        # Were the screen saver ever started by D-Bus activation, this file would appear.
        (services / "org.freedesktop.ScreenSaver.service").write_text(
            "[D-BUS Service]\nName=org.freedesktop.ScreenSaver\n"
            # Exiting non-zero makes the daemon answer the caller at once (Spawn.ChildExited).
            f"Exec=/bin/sh -c 'touch {self.activated}; exit 1'\n"
        )
        config = folder / "bus.conf"
        config.write_text(BUS_CONFIG.format(folder=folder, services=services))
        self.process = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.address = self.process.stdout.readline().strip()
        assert self.address.startswith("unix:path="), "dbus-daemon printed no address"
        self.socket = Path(self.address.removeprefix("unix:path=").split(",")[0])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


class FakeDesktop:
    """Steers the fake desktop process over the bus."""

    def __init__(self, bus: QDBusConnection, address: str) -> None:
        self.bus = bus
        self.process = subprocess.Popen(
            [sys.executable, "-c", FAKE_DESKTOP, address],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "ready\n", "the fake desktop did not start"

    def set(self, key: str, mode: str, idle_ms: int = 0) -> None:
        call = QDBusMessage.createMethodCall(CONTROL_SERVICE, "/control", CONTROL_SERVICE, "Set")
        call.setArguments([key, mode, str(idle_ms)])
        reply = self.bus.call(call, QDBus.CallMode.Block, 5_000)
        assert reply.type() == QDBusMessage.MessageType.ReplyMessage, reply.errorMessage()

    def reset(self) -> None:
        self.set("mutter", "absent")
        self.set("screensaver", "absent")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture(scope="module")
def private_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateBus]:
    bus = PrivateBus(tmp_path_factory.mktemp("idle-bus"))
    yield bus
    bus.stop()


@pytest.fixture(scope="module")
def test_bus(qapp: Any, private_bus: PrivateBus) -> Iterator[QDBusConnection]:
    bus = QDBusConnection.connectToBus(private_bus.address, TEST_CONNECTION)
    assert bus.isConnected()
    yield bus
    QDBusConnection.disconnectFromBus(TEST_CONNECTION)


@pytest.fixture(scope="module")
def fake_desktop_process(
    test_bus: QDBusConnection, private_bus: PrivateBus
) -> Iterator[FakeDesktop]:
    desktop = FakeDesktop(test_bus, private_bus.address)
    yield desktop
    desktop.stop()


@pytest.fixture
def desktop(fake_desktop_process: FakeDesktop) -> Iterator[FakeDesktop]:
    """The fake desktop with no idle service, and no connection left behind by detection."""
    fake_desktop_process.reset()
    yield fake_desktop_process
    QDBusConnection.disconnectFromBus(BUS_CONNECTION_NAME)


@pytest.fixture
def bus_env(private_bus: PrivateBus) -> dict[str, str]:
    return {"DBUS_SESSION_BUS_ADDRESS": private_bus.address}


def mutter(bus: QDBusConnection, timeout_ms: int = 500) -> DBusIdle:
    return DBusIdle(bus, MUTTER_IDLE_MONITOR, timeout_ms=timeout_ms)


def screensaver(bus: QDBusConnection) -> DBusIdle:
    return DBusIdle(bus, FREEDESKTOP_SCREENSAVER)


# ---------------------------------------------------------------- D-Bus backends


def test_mutter_answers_milliseconds(desktop: FakeDesktop, test_bus: QDBusConnection) -> None:
    backend = mutter(test_bus)
    desktop.set("mutter", "number", 4_200)
    assert backend.idle_seconds() == pytest.approx(4.2)
    desktop.set("mutter", "number", 2**40)  # uint64: beyond 32 bits is still a number
    assert backend.idle_seconds() == pytest.approx(2**40 / 1000)
    assert backend.name == "GNOME idle monitor"


def test_the_freedesktop_screen_saver_answers_milliseconds_as_kde_does(
    desktop: FakeDesktop, test_bus: QDBusConnection
) -> None:
    desktop.set("screensaver", "number", 90_000)
    assert screensaver(test_bus).idle_seconds() == pytest.approx(90.0)


@pytest.mark.parametrize("mode", ["absent", "refusing", "text"])
def test_a_service_without_a_number_gives_none(
    desktop: FakeDesktop, test_bus: QDBusConnection, mode: str
) -> None:
    desktop.set("mutter", mode)
    desktop.set("screensaver", mode)
    assert mutter(test_bus).idle_seconds() is None
    assert screensaver(test_bus).idle_seconds() is None


def test_a_service_that_goes_away_and_returns(
    desktop: FakeDesktop, test_bus: QDBusConnection
) -> None:
    backend = mutter(test_bus)
    desktop.set("mutter", "number", 1_000)
    assert backend.idle_seconds() == pytest.approx(1.0)
    desktop.set("mutter", "absent")  # gnome-shell restarting
    assert backend.idle_seconds() is None
    desktop.set("mutter", "number", 5)
    assert backend.idle_seconds() == pytest.approx(0.005)


def test_a_hung_service_costs_one_timeout_not_a_hang(
    desktop: FakeDesktop, test_bus: QDBusConnection
) -> None:
    desktop.set("mutter", "silent")
    started = time.monotonic()
    assert mutter(test_bus, timeout_ms=200).idle_seconds() is None
    assert 0.15 < time.monotonic() - started < 3.0


def test_reading_never_starts_a_screen_saver_by_activation(
    desktop: FakeDesktop, test_bus: QDBusConnection, private_bus: PrivateBus
) -> None:
    assert screensaver(test_bus).idle_seconds() is None
    assert not private_bus.activated.exists()
    # The control: an ordinary call does start it, so the service file above is live.
    call = QDBusMessage.createMethodCall(
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "GetSessionIdleTime",
    )
    reply = test_bus.call(call, QDBus.CallMode.Block, 5_000)
    assert reply.errorName() == "org.freedesktop.DBus.Error.Spawn.ChildExited"
    assert private_bus.activated.exists()
    private_bus.activated.unlink()


# ---------------------------------------------------------------- detection on Linux


@pytest.mark.parametrize(
    ("env", "plan"),
    [
        (
            {"XDG_CURRENT_DESKTOP": "GNOME", "XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
            ("mutter", "screensaver", "x11"),
        ),
        (
            {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"},
            ("mutter", "screensaver"),
        ),
        (
            {"XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
            ("screensaver", "x11"),
        ),
        (
            {"XDG_CURRENT_DESKTOP": "KDE", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":1"},
            ("mutter", "screensaver"),
        ),
        ({"DISPLAY": ":0"}, ("screensaver", "x11")),  # i3, openbox …
        ({}, ("screensaver",)),  # a console: no desktop at all
    ],
    ids=["gnome-x11", "gnome-wayland", "kde-x11", "kde-wayland", "bare-x11", "console"],
)
def test_the_order_of_the_attempts(env: dict[str, str], plan: tuple[str, ...]) -> None:
    assert unix_plan(env) == plan


def test_gnome_prefers_mutter(desktop: FakeDesktop, bus_env: dict[str, str]) -> None:
    desktop.set("mutter", "number", 3_000)
    desktop.set("screensaver", "number", 9_000)
    env = {**bus_env, "XDG_CURRENT_DESKTOP": "GNOME", "XDG_SESSION_TYPE": "wayland"}
    backend = detect_idle_backend(platform="linux", env=env)
    assert isinstance(backend, DBusIdle)
    assert backend.name == "GNOME idle monitor"
    desktop.set("mutter", "number", 7_000)
    assert backend.idle_seconds() == pytest.approx(7.0)  # the connection stayed open


def test_a_failing_mutter_falls_back_to_the_screen_saver(
    desktop: FakeDesktop, bus_env: dict[str, str]
) -> None:
    desktop.set("mutter", "refusing")
    desktop.set("screensaver", "number", 9_000)
    env = {**bus_env, "XDG_CURRENT_DESKTOP": "GNOME"}
    backend = detect_idle_backend(platform="linux", env=env)
    assert backend is not None
    assert backend.name == "freedesktop screen saver"


def test_kde_on_wayland_has_nothing_to_offer(
    desktop: FakeDesktop, bus_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """KDE refuses GetSessionIdleTime on Wayland, and XWayland must not stand in for it."""
    desktop.set("screensaver", "refusing")
    env = {**bus_env, "XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "wayland"}
    env["DISPLAY"] = ":1"
    with caplog.at_level(logging.INFO, logger="stretchbreak.infra.idle"):
        assert detect_idle_backend(platform="linux", env=env) is None
    assert "away detection is off" in caplog.text
    assert not QDBusConnection(BUS_CONNECTION_NAME).isConnected()  # nothing kept open


def test_nothing_answers_gives_none_not_a_guess(
    desktop: FakeDesktop, bus_env: dict[str, str]
) -> None:
    env = {**bus_env, "XDG_CURRENT_DESKTOP": "GNOME", "DISPLAY": ":65000"}
    assert detect_idle_backend(platform="linux", env=env) is None
    assert IdleAvailability.of(None).text == "Away detection is unavailable on this desktop."


def test_the_systemd_user_bus_is_found_without_an_address(
    desktop: FakeDesktop, private_bus: PrivateBus, tmp_path: Path
) -> None:
    (tmp_path / "bus").symlink_to(private_bus.socket)
    desktop.set("screensaver", "number", 60_000)
    backend = detect_idle_backend(platform="linux", env={"XDG_RUNTIME_DIR": str(tmp_path)})
    assert backend is not None
    assert backend.idle_seconds() == pytest.approx(60.0)


def test_no_bus_in_the_environment_means_no_dbus(tmp_path: Path) -> None:
    assert session_bus_from_env({}) is None
    assert session_bus_from_env({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    assert detect_idle_backend(platform="linux", env={"XDG_RUNTIME_DIR": str(tmp_path)}) is None


def test_dbus_can_be_left_out(desktop: FakeDesktop, bus_env: dict[str, str]) -> None:
    desktop.set("mutter", "number", 3_000)
    env = {**bus_env, "XDG_CURRENT_DESKTOP": "GNOME"}
    assert detect_idle_backend(platform="linux", env=env, session_bus=None) is None


def test_an_unreachable_bus_or_missing_qtdbus_is_harmless(qapp: Any) -> None:
    def missing_qtdbus(env: object) -> QDBusConnection:
        raise ImportError("libQt6DBus.so.6: cannot open shared object file")

    env = {"XDG_CURRENT_DESKTOP": "GNOME", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    assert detect_idle_backend(platform="linux", env=env) is None
    assert not QDBusConnection(BUS_CONNECTION_NAME).isConnected()
    assert detect_idle_backend(platform="linux", env=env, session_bus=missing_qtdbus) is None


def test_a_lease_opens_the_bus_once_and_keeps_it_only_for_a_dbus_backend(
    desktop: FakeDesktop, bus_env: dict[str, str]
) -> None:
    opened: list[object] = []

    def counting(env: Any) -> QDBusConnection | None:
        opened.append(env)
        return session_bus_from_env(env)

    lease = BusLease(bus_env, counting)
    first = lease.backend(MUTTER_IDLE_MONITOR)
    lease.backend(FREEDESKTOP_SCREENSAVER)
    assert len(opened) == 1
    lease.release(first)
    assert QDBusConnection(BUS_CONNECTION_NAME).isConnected()
    lease = BusLease(bus_env, counting)
    lease.backend(MUTTER_IDLE_MONITOR)
    lease.release(None)
    assert not QDBusConnection(BUS_CONNECTION_NAME).isConnected()


def test_an_x_display_that_does_not_exist_is_unavailable() -> None:
    with pytest.raises(IdleUnavailable):
        X11Idle(":65000")


# ---------------------------------------------------------------- Windows and macOS


class FakeUser32:
    """GetLastInputInfo + GetTickCount with a settable tick, like the real pair."""

    def __init__(self, last_input: int, now: int) -> None:
        self.last_input, self.now = last_input, now
        self.fail: BaseException | bool = False
        self.sizes: list[int] = []

    def get_last_input_info(self, info: Any) -> int:
        if isinstance(self.fail, BaseException):
            raise self.fail
        self.sizes.append(info.contents.cbSize)
        info.contents.dwTime = self.last_input
        return 0 if self.fail else 1

    def get_tick_count(self) -> int:
        return self.now


def windows(user32: FakeUser32) -> WindowsIdle:
    return WindowsIdle(user32.get_last_input_info, user32.get_tick_count)


def test_windows_idle_is_the_tick_difference() -> None:
    user32 = FakeUser32(last_input=7_500, now=10_000)
    assert windows(user32).idle_seconds() == pytest.approx(2.5)
    assert user32.sizes == [8]  # cbSize must be set, or Windows refuses the call


def test_windows_idle_survives_the_49_7_day_tick_wrap() -> None:
    user32 = FakeUser32(last_input=2**32 - 1_000, now=1_000)  # the tick wrapped in between
    assert windows(user32).idle_seconds() == pytest.approx(2.0)


def test_windows_failures_give_none_for_that_read_only() -> None:
    user32 = FakeUser32(last_input=0, now=4_000)
    backend = windows(user32)
    user32.fail = True
    assert backend.idle_seconds() is None
    user32.fail = OSError("access denied")
    assert backend.idle_seconds() is None
    user32.fail = False
    assert backend.idle_seconds() == pytest.approx(4.0)


def test_macos_idle_asks_for_any_hardware_input() -> None:
    calls: list[tuple[int, int]] = []

    def seconds_since(state: int, event_type: int) -> float:
        calls.append((state, event_type))
        return 12.5

    assert MacIdle(seconds_since).idle_seconds() == 12.5
    assert calls == [(1, 0xFFFF_FFFF)]


@pytest.mark.parametrize("answer", [math.nan, -1.0, OSError("no session")])
def test_macos_nonsense_gives_none(answer: float | OSError) -> None:
    def seconds_since(state: int, event_type: int) -> float:
        if isinstance(answer, OSError):
            raise answer
        return answer

    assert MacIdle(seconds_since).idle_seconds() is None


def test_macos_loading_fails_cleanly_off_macos() -> None:
    with pytest.raises(IdleUnavailable):
        MacIdle.load()
    with pytest.raises(IdleUnavailable):
        MacIdle.load("libc.so.6")  # a library, but without the function


FAKE_APPLICATION_SERVICES = """
#include <stdint.h>
double CGEventSourceSecondsSinceLastEventType(int32_t state, uint32_t type) {
    return state == 1 && type == 0xFFFFFFFFu ? 42.25 : -1.0;
}
"""


def test_macos_loading_declares_the_c_signature(tmp_path: Path) -> None:
    """A stand-in framework built here: the double result and unsigned type must cross ctypes."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build the stand-in framework (apt-get install -y gcc)")
    source, library = tmp_path / "services.c", tmp_path / "libservices.so"
    source.write_text(FAKE_APPLICATION_SERVICES)
    subprocess.run([compiler, "-shared", "-fPIC", "-o", library, source], check=True)
    assert MacIdle.load(str(library)).idle_seconds() == 42.25


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_detection_off_its_platform_finds_nothing(platform: str) -> None:
    assert detect_idle_backend(platform=platform, env={}, session_bus=None) is None


def test_every_backend_fits_the_protocol() -> None:
    user32 = FakeUser32(last_input=0, now=0)
    backends: list[IdleBackend] = [windows(user32), MacIdle(lambda state, kind: 0.0)]
    assert [IdleAvailability.of(backend).available for backend in backends] == [True, True]
    assert IdleAvailability.of(backends[0]).text == (
        "Away detection works on this desktop (Windows last input time)."
    )
