"""Is the user in a call or presenting? Busy signals per platform, behind one protocol.

Each signal (microphone, camera, fullscreen window, do-not-disturb) is a backend that
answers "busy", "not busy", or ``None`` for a read that failed; a backend that cannot work
here at all says so when it is made (``BusyUnavailable``), and the settings show why.

Nothing here runs while the app is idle: ``BusyProbe`` opens its backends at the first
look (a break that has fallen due) and ``release()`` closes them when the break no longer
waits, so an idle tray holds no audio-server connection and makes no wake-ups for this.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from stretchbreak.core.deferral import BusyReason

__all__ = [
    "BackendState",
    "BusyBackend",
    "BusyProbe",
    "BusyUnavailable",
    "Makers",
    "platform_makers",
]

log = logging.getLogger(__name__)


class BusyBackend(Protocol):
    """Reads one busy signal of this desktop."""

    @property
    def name(self) -> str:
        """Where the signal comes from, for the settings ("PulseAudio")."""
        ...

    def busy(self) -> bool | None:
        """True while the signal is on; ``None`` when this read failed (the next may work)."""
        ...

    def close(self) -> None: ...


class BusyUnavailable(Exception):
    """A backend cannot work on this machine at all; the message says why, for the user."""


#: Makes the backend of one signal; raises ``BusyUnavailable`` where it cannot work.
Makers = Mapping[BusyReason, Callable[[], BusyBackend]]


@dataclass(frozen=True, slots=True)
class BackendState:
    """What the settings dialog says about one signal: its source, or why there is none."""

    reason: BusyReason
    source: str | None
    problem: str | None = None

    @property
    def available(self) -> bool:
        return self.source is not None


class BusyProbe:
    """Every signal the user watches, opened on first use and kept until ``release()``.

    A backend that was unavailable is not tried again until the next release, so a long
    call costs one failed attempt, not one per look.
    """

    def __init__(self, makers: Makers) -> None:
        self._makers = makers
        self._open: dict[BusyReason, BusyBackend] = {}
        self._failed: dict[BusyReason, str] = {}

    def busy(self, watched: frozenset[BusyReason]) -> frozenset[BusyReason]:
        """The watched signals that are on now; a failed read counts as "not busy"."""
        found = set()
        for reason in watched:
            backend = self._backend(reason)
            if backend is not None and backend.busy():
                found.add(reason)
        return frozenset(found)

    def states(self) -> list[BackendState]:
        """Each signal's state for the settings, trying once those not yet opened."""
        result = []
        for reason in BusyReason:
            backend = self._backend(reason)
            if backend is None:
                result.append(BackendState(reason, None, self._failed.get(reason, "")))
            else:
                result.append(BackendState(reason, backend.name))
        return result

    def release(self) -> None:
        """Close every backend: the break no longer waits, nothing needs to look."""
        opened, self._open = self._open, {}
        self._failed.clear()
        for backend in opened.values():
            try:
                backend.close()
            except Exception:  # a dead connection must not keep the others open
                log.exception("closing the %s busy backend failed", backend.name)

    def _backend(self, reason: BusyReason) -> BusyBackend | None:
        if reason in self._open:
            return self._open[reason]
        if reason in self._failed:
            return None
        make = self._makers.get(reason)
        if make is None:
            self._failed[reason] = "not supported on this system"
            return None
        try:
            backend = make()
        except (BusyUnavailable, OSError) as error:
            log.info("%s signal unavailable: %s", reason.value, error)
            self._failed[reason] = str(error)
            return None
        log.info("%s signal from %s", reason.value, backend.name)
        self._open[reason] = backend
        return backend


def platform_makers(
    platform: str = sys.platform, env: Mapping[str, str] = os.environ
) -> dict[BusyReason, Callable[[], BusyBackend]]:
    """The backends of this platform; each module is imported only when its signal is read."""
    if platform == "win32":  # pragma: no cover - Windows
        from stretchbreak.infra.busy_windows import windows_makers

        return windows_makers()
    if platform == "darwin":
        return {}  # no cheap public check: every signal says "unavailable"
    return _unix_makers(env)


def _unix_makers(env: Mapping[str, str]) -> dict[BusyReason, Callable[[], BusyBackend]]:
    def microphone() -> BusyBackend:
        from stretchbreak.infra.busy_pulse import PulseMicrophone

        return PulseMicrophone()

    def camera() -> BusyBackend:
        from stretchbreak.infra.busy_camera import camera_backend

        return camera_backend()

    def fullscreen() -> BusyBackend:
        from stretchbreak.infra.busy_x11 import X11Fullscreen

        display = env.get("DISPLAY")
        wayland = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY")
        if not display or wayland:
            raise BusyUnavailable("no X11 session")
        return X11Fullscreen(display)

    def do_not_disturb() -> BusyBackend:
        from stretchbreak.infra.busy_dnd import detect_do_not_disturb

        return detect_do_not_disturb(env)

    return {
        BusyReason.MICROPHONE: microphone,
        BusyReason.CAMERA: camera,
        BusyReason.FULLSCREEN: fullscreen,
        BusyReason.DO_NOT_DISTURB: do_not_disturb,
    }
