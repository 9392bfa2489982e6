"""Fullscreen window in front (a presentation, a video), read from EWMH properties on X11.

The root window's ``_NET_ACTIVE_WINDOW`` names the window in front; its ``_NET_WM_STATE``
lists ``_NET_WM_STATE_FULLSCREEN`` while it fills the screen. Both are set by the window
manager, so without one there is no answer ("unavailable"). A read costs about 0.1 ms.

libX11 through ctypes, with error handlers: a window that closes between the two reads
gives a ``BadWindow`` error, which Xlib's default handler answers by ending the process,
and so does a lost connection. Both handlers are process-wide, so they are installed once
and pass every display but ours on to the handler they replaced.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from typing import Any

from stretchbreak.infra.busy import BusyUnavailable

__all__ = ["X11Fullscreen"]

log = logging.getLogger(__name__)

_Display = ctypes.c_void_p
_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_IOErrorExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_XA_ATOM, _XA_WINDOW = 4, 33
_SUCCESS = 0


def _declare(function: Any, restype: Any, *argtypes: Any) -> None:
    function.restype, function.argtypes = restype, argtypes


class _Xlib:
    def __init__(self) -> None:
        try:
            x11 = ctypes.CDLL("libX11.so.6")
        except OSError as error:
            raise BusyUnavailable("no X11 client library (libX11)") from error
        ulong, c_int = ctypes.c_ulong, ctypes.c_int
        _declare(x11.XOpenDisplay, _Display, ctypes.c_char_p)
        _declare(x11.XCloseDisplay, c_int, _Display)
        _declare(x11.XDefaultRootWindow, ulong, _Display)
        _declare(x11.XInternAtom, ulong, _Display, ctypes.c_char_p, c_int)
        _declare(x11.XFree, c_int, ctypes.c_void_p)
        _declare(
            x11.XGetWindowProperty,
            c_int,
            _Display,
            ulong,
            ulong,
            ctypes.c_long,
            ctypes.c_long,
            c_int,
            ulong,
            ctypes.POINTER(ulong),
            ctypes.POINTER(c_int),
            ctypes.POINTER(ulong),
            ctypes.POINTER(ulong),
            ctypes.POINTER(ctypes.c_void_p),
        )
        _declare(x11.XSetErrorHandler, ctypes.c_void_p, _ErrorHandler)
        _declare(x11.XSetIOErrorHandler, ctypes.c_void_p, _IOErrorHandler)
        if not hasattr(x11, "XSetIOErrorExitHandler"):
            raise BusyUnavailable("libX11 older than 1.7 would exit when the X server goes")
        _declare(x11.XSetIOErrorExitHandler, None, _Display, _IOErrorExitHandler, _Display)
        self.x11 = x11
        self.ours: set[int] = set()
        self.lost: set[int] = set()
        self._on_error = _ErrorHandler(self._error)
        self._on_io_error = _IOErrorHandler(self._io_error)
        self._on_io_exit = _IOErrorExitHandler(lambda display, data: None)
        self._previous: Any = None
        self._previous_io: Any = None
        self._installed = False

    def watch(self, display: int) -> None:
        if not self._installed:
            previous = self.x11.XSetErrorHandler(self._on_error)
            self._previous = _ErrorHandler(previous) if previous else None
            previous_io = self.x11.XSetIOErrorHandler(self._on_io_error)
            self._previous_io = _IOErrorHandler(previous_io) if previous_io else None
            self._installed = True
        self.x11.XSetIOErrorExitHandler(display, self._on_io_exit, None)
        self.ours.add(display)

    def _error(self, display: int | None, event: int | None) -> int:
        if display in self.ours or self._previous is None:
            return 0  # a window gone between two reads: that read fails, nothing more
        return int(self._previous(display, event))

    def _io_error(self, display: int | None) -> int:
        if display in self.ours:
            log.warning("lost the X server connection; fullscreen windows are no longer seen")
            self.lost.add(display)
            return 0
        if self._previous_io is not None:
            return int(self._previous_io(display))
        return 0  # pragma: no cover - Xlib always has a handler to return


@functools.cache
def _shared_xlib() -> _Xlib:
    return _Xlib()


class X11Fullscreen:
    """One connection to the X display, kept while a break waits."""

    name = "X11 window manager (EWMH)"

    def __init__(self, display_name: str) -> None:
        xlib = _shared_xlib()
        display: int | None = xlib.x11.XOpenDisplay(display_name.encode())
        if not display:
            raise BusyUnavailable(f"cannot open X display {display_name!r}")
        xlib.watch(display)
        self._xlib = xlib
        self._display: int | None = display
        self._root = int(xlib.x11.XDefaultRootWindow(display))
        atom = functools.partial(xlib.x11.XInternAtom, display)
        self._active = atom(b"_NET_ACTIVE_WINDOW", 0)
        self._state = atom(b"_NET_WM_STATE", 0)
        self._fullscreen = atom(b"_NET_WM_STATE_FULLSCREEN", 0)
        # An EWMH window manager announces itself here; without one nobody sets the rest.
        if not self._values(self._root, atom(b"_NET_SUPPORTING_WM_CHECK", 0), _XA_WINDOW):
            self.close()
            raise BusyUnavailable("no window manager tells which window is in front")

    def busy(self) -> bool | None:
        display = self._display
        if display is None or display in self._xlib.lost:
            return None
        active = self._values(self._root, self._active, _XA_WINDOW)
        if not active or not active[0]:
            return False  # no window in front (none focused yet): nothing is fullscreen
        states = self._values(active[0], self._state, _XA_ATOM)
        return states is not None and self._fullscreen in states

    def _values(self, window: int, prop: int, kind: int) -> list[int] | None:
        """A 32-bit list property, or ``None`` where the window or property is missing."""
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self._xlib.x11.XGetWindowProperty(
            self._display,
            window,
            prop,
            0,
            64,
            0,
            kind,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(count),
            ctypes.byref(after),
            ctypes.byref(data),
        )
        if status != _SUCCESS or not data.value:
            return None
        try:
            if actual_type.value != kind or actual_format.value != 32:
                return None
            # Format 32 arrives as C longs, whatever the platform's long size.
            values = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [int(values[i]) for i in range(count.value)]
        finally:
            self._xlib.x11.XFree(data)

    def close(self) -> None:
        display, self._display = self._display, None
        if display is None:
            return
        self._xlib.ours.discard(display)
        self._xlib.lost.discard(display)
        self._xlib.x11.XCloseDisplay(display)
