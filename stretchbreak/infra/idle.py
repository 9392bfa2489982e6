"""How long the user has left keyboard and mouse alone, per platform, behind one protocol.

A natural break is recorded only from a measured idle time. Where no backend answers,
detection returns ``None`` and the settings say away detection is unavailable: guessing
(say, from the session's idle hint or the time since the app last saw a key) would record
breaks that never happened.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication

from stretchbreak.infra.idle_dbus import (
    FREEDESKTOP_SCREENSAVER,
    MUTTER_IDLE_MONITOR,
    BusLease,
    SessionBus,
    session_bus_from_env,
)

__all__ = [
    "IdleAvailability",
    "IdleBackend",
    "IdleUnavailable",
    "MacIdle",
    "WindowsIdle",
    "X11Idle",
    "detect_idle_backend",
    "unix_plan",
]

log = logging.getLogger(__name__)


class IdleBackend(Protocol):
    """Reads the time since the last keyboard or mouse input on this desktop."""

    @property
    def name(self) -> str: ...

    def idle_seconds(self) -> float | None:
        """Seconds without input, or ``None`` when this read failed (the next may work)."""
        ...


class IdleUnavailable(Exception):
    """A backend cannot work on this machine at all (as opposed to one failed read)."""


@dataclass(frozen=True, slots=True)
class IdleAvailability:
    """What the settings dialog says about away detection."""

    backend_name: str | None

    @classmethod
    def of(cls, backend: IdleBackend | None) -> IdleAvailability:
        return cls(backend.name if backend is not None else None)

    @property
    def available(self) -> bool:
        return self.backend_name is not None

    @property
    def text(self) -> str:
        # The empty context, as ui.text.tr() uses: one catalog holds every message.
        if self.backend_name is None:
            return QCoreApplication.translate("", "Away detection is unavailable on this desktop.")
        return QCoreApplication.translate(
            "", "Away detection works on this desktop ({backend})."
        ).format(backend=self.backend_name)


# ---------------------------------------------------------------- X11


class _ScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("event_mask", ctypes.c_ulong),
    )


_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_IOErrorExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def _load_library(*names: str) -> ctypes.CDLL:
    # Plain sonames: ctypes.util.find_library would run ldconfig in a subprocess.
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    raise IdleUnavailable(f"none of {', '.join(names)} can be loaded")


def _declare(function: Any, restype: Any, *argtypes: Any) -> None:
    function.restype, function.argtypes = restype, argtypes


class _Xlib:
    """libX11 + libXss with prototypes, and an IO error handler that does not exit.

    Xlib's default reaction to a lost X server is ``exit(1)`` — fatal for an app whose idle
    probe merely outlived a test's Xvfb or an X server next to a Wayland one. The handler is
    process-wide, so it is installed once and passes every display but ours on to the
    handler it replaced (Qt's, or Xlib's default), which keeps their behaviour.
    """

    def __init__(self) -> None:
        x11 = _load_library("libX11.so.6", "libX11.so")
        xss = _load_library("libXss.so.1", "libXss.so")
        display, window, c_int_p = ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_int)
        _declare(x11.XOpenDisplay, display, ctypes.c_char_p)
        _declare(x11.XCloseDisplay, ctypes.c_int, display)
        _declare(x11.XDefaultRootWindow, window, display)
        _declare(x11.XSetIOErrorHandler, ctypes.c_void_p, _IOErrorHandler)
        _declare(xss.XScreenSaverQueryExtension, ctypes.c_int, display, c_int_p, c_int_p)
        _declare(
            xss.XScreenSaverQueryInfo,
            ctypes.c_int,
            display,
            window,
            ctypes.POINTER(_ScreenSaverInfo),
        )
        # libX11 >= 1.7: without an exit handler that returns, Xlib exits after any handler.
        self.exit_handler_supported = hasattr(x11, "XSetIOErrorExitHandler")
        if self.exit_handler_supported:
            _declare(x11.XSetIOErrorExitHandler, None, display, _IOErrorExitHandler, display)
        self.x11, self.xss = x11, xss
        self.ours: set[int] = set()
        self.lost: set[int] = set()
        self._previous: Callable[[int | None], int] | None = None
        self._on_io_error = _IOErrorHandler(self._io_error)
        self._on_io_exit = _IOErrorExitHandler(lambda display, data: None)
        self._installed = False

    def watch(self, display: int) -> None:
        """Keep a lost connection on ``display`` from ending the process."""
        if not self._installed:
            previous = self.x11.XSetIOErrorHandler(self._on_io_error)
            self._previous = _IOErrorHandler(previous) if previous else None
            self._installed = True
        self.x11.XSetIOErrorExitHandler(display, self._on_io_exit, None)
        self.ours.add(display)

    def _io_error(self, display: int | None) -> int:
        if display in self.ours:
            log.warning("lost the X server connection; idle time is no longer known")
            self.lost.add(display)
            return 0
        if self._previous is not None:
            return self._previous(display)
        return 0  # pragma: no cover - Xlib always has a handler to return


@functools.cache
def _shared_xlib() -> _Xlib:
    """One handler chain per process, however many backends come and go."""
    return _Xlib()


class X11Idle:
    """``XScreenSaverQueryInfo`` on one X display, opened once and kept.

    Sees only input that reaches this X server: right on an X11 session, wrong under
    XWayland, which is why detection does not offer it on a Wayland session.
    """

    name = "X11 screen saver extension"

    def __init__(self, display_name: str) -> None:
        xlib = _shared_xlib()
        if not xlib.exit_handler_supported:
            raise IdleUnavailable("libX11 older than 1.7 would exit when the X server goes")
        display: int | None = xlib.x11.XOpenDisplay(display_name.encode())
        if not display:
            raise IdleUnavailable(f"cannot open X display {display_name!r}")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xlib.xss.XScreenSaverQueryExtension(
            display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            xlib.x11.XCloseDisplay(display)
            raise IdleUnavailable(f"X display {display_name!r} lacks MIT-SCREEN-SAVER")
        xlib.watch(display)
        self._xlib = xlib
        self._display: int | None = display
        self._root = int(xlib.x11.XDefaultRootWindow(display))
        self._info = _ScreenSaverInfo()

    def idle_seconds(self) -> float | None:
        display = self._display
        if display is None or display in self._xlib.lost:
            return None
        if not self._xlib.xss.XScreenSaverQueryInfo(display, self._root, ctypes.byref(self._info)):
            return None
        return int(self._info.idle) / 1000

    def close(self) -> None:
        """Close the display connection; idempotent. Reads after this return ``None``."""
        display, self._display = self._display, None
        if display is None:
            return
        self._xlib.ours.discard(display)
        self._xlib.lost.discard(display)
        self._xlib.x11.XCloseDisplay(display)


# ---------------------------------------------------------------- Windows


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32))


#: ``user32.GetLastInputInfo``: fills the struct behind the pointer, returns non-zero on success.
GetLastInputInfo = Callable[["ctypes._Pointer[_LastInputInfo]"], int]
#: ``kernel32.GetTickCount``: milliseconds since boot as a DWORD, wrapping every 49.7 days.
GetTickCount = Callable[[], int]

_DWORD = 0xFFFF_FFFF


def _windows_functions() -> tuple[GetLastInputInfo, GetTickCount]:  # pragma: no cover - Windows
    if sys.platform != "win32":
        raise IdleUnavailable("GetLastInputInfo exists on Windows only")
    user32, kernel32 = ctypes.WinDLL("user32"), ctypes.WinDLL("kernel32")
    last_input = user32.GetLastInputInfo
    last_input.argtypes = (ctypes.POINTER(_LastInputInfo),)
    last_input.restype = ctypes.c_int
    ticks = kernel32.GetTickCount
    ticks.argtypes = ()
    ticks.restype = ctypes.c_uint32
    return last_input, ticks


class WindowsIdle:
    """``GetLastInputInfo`` against ``GetTickCount``, both on the same 32-bit millisecond tick."""

    name = "Windows last input time"

    def __init__(self, get_last_input_info: GetLastInputInfo, get_tick_count: GetTickCount):
        self._get_last_input_info = get_last_input_info
        self._get_tick_count = get_tick_count

    @classmethod
    def load(cls) -> WindowsIdle:
        return cls(*_windows_functions())

    def idle_seconds(self) -> float | None:
        info = _LastInputInfo(cbSize=ctypes.sizeof(_LastInputInfo))
        try:
            # Last input first, then "now": the tick can only have moved on in between.
            if not self._get_last_input_info(ctypes.pointer(info)):
                return None
            now = self._get_tick_count()
        except OSError as error:
            log.debug("GetLastInputInfo failed: %s", error)
            return None
        # Subtracting modulo 2**32 stays right across the wrap, for idle times under 49.7 days.
        return ((int(now) - int(info.dwTime)) & _DWORD) / 1000


# ---------------------------------------------------------------- macOS

#: ``CGEventSourceSecondsSinceLastEventType(stateID, eventType) -> CFTimeInterval``.
SecondsSinceLastEvent = Callable[[int, int], float]

_APPLICATION_SERVICES = (
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
)
_HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState: real hardware input only
_ANY_INPUT_EVENT = 0xFFFF_FFFF  # kCGAnyInputEventType


class MacIdle:
    """Quartz's time since the last hardware input event."""

    name = "macOS input event source"

    def __init__(self, seconds_since_last_event: SecondsSinceLastEvent) -> None:
        self._seconds_since_last_event = seconds_since_last_event

    @classmethod
    def load(cls, library: str = _APPLICATION_SERVICES) -> MacIdle:
        try:
            services = ctypes.CDLL(library)
            function = services.CGEventSourceSecondsSinceLastEventType
        except (OSError, AttributeError) as error:
            raise IdleUnavailable(f"no CGEventSourceSecondsSinceLastEventType: {error}") from error
        function.argtypes = (ctypes.c_int32, ctypes.c_uint32)
        function.restype = ctypes.c_double
        return cls(function)

    def idle_seconds(self) -> float | None:
        try:
            seconds = float(self._seconds_since_last_event(_HID_SYSTEM_STATE, _ANY_INPUT_EVENT))
        except OSError as error:
            log.debug("CGEventSourceSecondsSinceLastEventType failed: %s", error)
            return None
        return seconds if math.isfinite(seconds) and seconds >= 0 else None


# ---------------------------------------------------------------- detection

_Candidate = Callable[[], IdleBackend]


def unix_plan(env: Mapping[str, str]) -> tuple[str, ...]:
    """Which backends to try on a Linux/BSD desktop, best first.

    Mutter is asked on GNOME and on any Wayland session (a failing call costs a millisecond);
    the freedesktop screen saver anywhere; the X server only on an X11 session, because
    under XWayland it would count only input that goes to X clients.
    """
    desktops = {part.strip().upper() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")}
    wayland = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(
        env.get("WAYLAND_DISPLAY")
    )
    plan: list[str] = []
    if "GNOME" in desktops or wayland:
        plan.append("mutter")
    plan.append("screensaver")
    if env.get("DISPLAY") and not wayland:
        plan.append("x11")
    return tuple(plan)


def detect_idle_backend(
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    session_bus: SessionBus | None = session_bus_from_env,
) -> IdleBackend | None:
    """The first backend that answers a real read here, or ``None``: never an untested guess.

    ``session_bus`` opens the bus the D-Bus backends use (``None``: do not use D-Bus).
    """
    lease = BusLease(env, session_bus)
    makers: dict[str, _Candidate] = {
        "windows": WindowsIdle.load,
        "macos": MacIdle.load,
        "mutter": lambda: lease.backend(MUTTER_IDLE_MONITOR),
        "screensaver": lambda: lease.backend(FREEDESKTOP_SCREENSAVER),
        "x11": lambda: X11Idle(env["DISPLAY"]),
    }
    plan = {"win32": ("windows",), "darwin": ("macos",)}.get(platform) or unix_plan(env)
    chosen: IdleBackend | None = None
    for key in plan:
        chosen = _probe(key, makers[key])
        if chosen is not None:
            break
    lease.release(chosen)
    if chosen is None:
        log.info("no idle backend works here; away detection is off")
    return chosen


def _probe(key: str, make: _Candidate) -> IdleBackend | None:
    try:
        backend = make()
    except (IdleUnavailable, OSError) as error:
        log.debug("idle backend %s is unavailable: %s", key, error)
        return None
    seconds = backend.idle_seconds()
    if seconds is None:
        log.debug("idle backend %s did not answer", key)
        close = getattr(backend, "close", None)
        if close is not None:
            close()
        return None
    log.info("idle time from the %s (%.1f s now)", backend.name, seconds)
    return backend
