"""Busy signals on Windows: the privacy settings' record of microphone and camera use, and
the shell's notification state for fullscreen programs and presentations.

Windows notes, per application, when it last started and stopped using the microphone or
camera (``…\\CapabilityAccessManager\\ConsentStore\\{microphone,webcam}``); a stop time of
0 after a start means "in use now". ``SHQueryUserNotificationState`` says whether a
fullscreen program or presentation mode holds notifications back. Focus Assist has no
public API, so do-not-disturb says "unavailable". Tested with injected fakes.
"""

from __future__ import annotations

import ctypes
import importlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from stretchbreak.core.deferral import BusyReason
from stretchbreak.infra.busy import BusyUnavailable

if TYPE_CHECKING:
    from stretchbreak.infra.busy import BusyBackend

__all__ = ["ConsentStoreUse", "NotificationState", "windows_makers"]

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"

#: Yields (LastUsedTimeStart, LastUsedTimeStop) of every application under one capability,
#: packaged apps and the ``NonPackaged`` desktop programs alike.
UsageTimes = Callable[[str], Iterator[tuple[int, int]]]

# QUERY_USER_NOTIFICATION_STATE values that mean "something fills the screen".
_QUNS_BUSY, _QUNS_D3D_FULLSCREEN, _QUNS_PRESENTATION_MODE = 2, 3, 4


class ConsentStoreUse:
    """An application using the microphone (or camera) right now, by the consent store."""

    name = "Windows privacy settings"

    def __init__(self, capability: str, usage_times: UsageTimes) -> None:
        self._capability = capability
        self._usage_times = usage_times

    def busy(self) -> bool | None:
        try:
            return any(start and not stop for start, stop in self._usage_times(self._capability))
        except OSError:
            return None

    def close(self) -> None:
        """Each read opens and closes its own keys."""


class NotificationState:
    """``SHQueryUserNotificationState``: a fullscreen program or presentation mode."""

    name = "Windows notification state"

    def __init__(self, query: Callable[[], int | None]) -> None:
        self._query = query

    def busy(self) -> bool | None:
        state = self._query()
        if state is None:
            return None
        return state in (_QUNS_BUSY, _QUNS_D3D_FULLSCREEN, _QUNS_PRESENTATION_MODE)

    def close(self) -> None:
        """Nothing is kept open."""


def registry_usage_times(capability: str) -> Iterator[tuple[int, int]]:  # pragma: no cover
    winreg: Any = importlib.import_module("winreg")

    def walk(path: str) -> Iterator[tuple[int, int]]:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            count = winreg.QueryInfoKey(key)[0]
            for index in range(count):
                child = winreg.EnumKey(key, index)
                if child == "NonPackaged":
                    yield from walk(rf"{path}\{child}")
                    continue
                with winreg.OpenKey(key, child) as app:
                    try:
                        start = int(winreg.QueryValueEx(app, "LastUsedTimeStart")[0])
                        stop = int(winreg.QueryValueEx(app, "LastUsedTimeStop")[0])
                    except OSError:
                        continue
                    yield start, stop

    yield from walk(rf"{CONSENT_STORE}\{capability}")


def shell_notification_state() -> int | None:  # pragma: no cover - Windows
    state = ctypes.c_int()
    shell32 = ctypes.WinDLL("shell32")  # type: ignore[attr-defined,unused-ignore]
    if shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
        return None
    return int(state.value)


def windows_makers(
    usage_times: UsageTimes = registry_usage_times,
    notification_state: Callable[[], int | None] = shell_notification_state,
) -> dict[BusyReason, Callable[[], BusyBackend]]:
    """Microphone, camera and fullscreen; do-not-disturb stays unavailable (no public API)."""

    def do_not_disturb() -> BusyBackend:
        raise BusyUnavailable("Focus Assist cannot be read by other programs")

    if sys.platform != "win32" and usage_times is registry_usage_times:
        raise BusyUnavailable("the Windows registry exists on Windows only")
    return {
        BusyReason.MICROPHONE: lambda: ConsentStoreUse("microphone", usage_times),
        BusyReason.CAMERA: lambda: ConsentStoreUse("webcam", usage_times),
        BusyReason.FULLSCREEN: lambda: NotificationState(notification_state),
        BusyReason.DO_NOT_DISTURB: do_not_disturb,
    }
