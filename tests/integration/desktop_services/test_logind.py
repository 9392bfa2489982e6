"""The logind adapter on a real dbus-daemon of the test's own, and with no bus at all.

A fake logind owns ``org.freedesktop.login1`` on a private bus and announces sleep and
resume; the adapter must pass both on, and a wake watch listening through it must report the
suspend at once. Without a bus, or without QtDBus, the adapter says so and nothing breaks.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from stretchbreak.infra.logind import (
    LOGIND_INTERFACE,
    LOGIND_PATH,
    LOGIND_SERVICE,
    LogindSleep,
    system_bus,
)
from stretchbreak.services.wake_watch import WakeWatch
from tests.fakes import FakeTickers, Machine

LOGGER = "stretchbreak.infra.logind"


def test_a_missing_bus_is_harmless(caplog: pytest.LogCaptureFixture) -> None:
    def no_bus() -> QDBusConnection:
        return QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "stretchbreak-no-bus")

    sleep = LogindSleep(no_bus)
    try:
        with caplog.at_level(logging.DEBUG, logger=LOGGER):
            assert not sleep.listen(lambda _going: None)
        assert not sleep.listening
        assert "heartbeat only" in caplog.text
        sleep.stop()
    finally:
        QDBusConnection.disconnectFromBus("stretchbreak-no-bus")


def test_the_system_bus_is_tried_quietly(machine: Machine, tickers: FakeTickers) -> None:
    """Here there is no system bus; on a desktop this subscribes to the real logind."""
    watch = WakeWatch(
        machine.clock, boottime=machine.boottime, tickers=tickers, sleep=LogindSleep()
    )
    watch.start()
    assert watch.running
    watch.stop()
    assert system_bus() is not None


def test_missing_qtdbus_is_harmless(caplog: pytest.LogCaptureFixture) -> None:
    def no_qtdbus() -> QDBusConnection:
        raise ImportError("libQt6DBus.so.6: cannot open shared object file")

    sleep = LogindSleep(no_qtdbus)
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert not sleep.listen(lambda _going: None)
    assert "no QtDBus" in caplog.text
    assert not sleep.listening


@pytest.fixture
def machine() -> Machine:
    return Machine()


@pytest.fixture
def tickers() -> FakeTickers:
    return FakeTickers()


@pytest.fixture
def private_bus(tmp_path: Path) -> Iterator[str]:
    """A dbus-daemon of our own, so no test depends on (or disturbs) the machine's buses."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian package 'dbus')")
    process = subprocess.Popen(
        [
            daemon,
            "--session",
            "--nofork",
            "--nopidfile",
            f"--address=unix:dir={tmp_path}",
            "--print-address=1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("unix:"), "dbus-daemon printed no address"
        yield address
    finally:
        for name in ("stretchbreak-watch", "stretchbreak-fake-logind"):
            QDBusConnection.disconnectFromBus(name)
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


class FakeLogind:
    """Owns logind's name on the private bus and announces sleep and resume."""

    def __init__(self, address: str) -> None:
        self.bus = QDBusConnection.connectToBus(address, "stretchbreak-fake-logind")
        assert self.bus.isConnected()
        assert self.bus.registerService(LOGIND_SERVICE)

    def prepare_for_sleep(self, going_to_sleep: bool) -> None:
        message = QDBusMessage.createSignal(LOGIND_PATH, LOGIND_INTERFACE, "PrepareForSleep")
        message.setArguments([going_to_sleep])
        assert self.bus.send(message)


def test_the_adapter_passes_sleep_and_resume_on(qtbot: QtBot, private_bus: str) -> None:
    heard: list[bool] = []
    sleep = LogindSleep(lambda: QDBusConnection.connectToBus(private_bus, "stretchbreak-watch"))
    assert sleep.listen(heard.append)
    assert sleep.listening
    logind = FakeLogind(private_bus)
    logind.prepare_for_sleep(True)
    qtbot.waitUntil(lambda: heard == [True], timeout=5_000)
    logind.prepare_for_sleep(False)
    qtbot.waitUntil(lambda: heard == [True, False], timeout=5_000)
    sleep.stop()
    assert not sleep.listening


def test_logind_resume_reports_the_sleep_at_once(
    qtbot: QtBot,
    machine: Machine,
    tickers: FakeTickers,
    private_bus: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    sleep = LogindSleep(lambda: QDBusConnection.connectToBus(private_bus, "stretchbreak-watch"))
    watch = WakeWatch(machine.clock, boottime=machine.boottime, tickers=tickers, sleep=sleep)
    woke: list[float] = []
    watch.woke.connect(woke.append)
    watch.start()
    assert watch.listening
    logind = FakeLogind(private_bus)
    machine.run(12)
    logind.prepare_for_sleep(True)
    qtbot.waitUntil(lambda: "going to sleep" in caplog.text, timeout=5_000)
    assert woke == []  # going to sleep is no gap yet
    machine.suspend(180)
    with qtbot.waitSignal(watch.woke, timeout=5_000) as signal:
        logind.prepare_for_sleep(False)
    assert signal.args == [pytest.approx(180.0)]
    # The heartbeat that follows finds nothing new: the resume already reset the reading.
    machine.run(30)
    tickers.made[-1].callback()
    assert woke == [pytest.approx(180.0)]
    watch.stop()
    assert not watch.listening
    assert "could not unsubscribe" not in caplog.text
