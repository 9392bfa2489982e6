"""Microphone in use: another program recording from a real source, asked of PulseAudio.

PipeWire desktops answer the same protocol (pipewire-pulse), so one backend covers both.
A recording stream ("source output") counts when it records from a source that is not the
monitor of a speaker, is not a level meter (volume controls record through the ``peaks``
resampler), is not paused (corked), and is not ours.

Polled, not subscribed: a query costs about a millisecond and is made only while a break
waits; a subscription would need a thread or an fd watch for the whole wait for no gain.

Every wait is bounded, because the look runs on the GUI thread: the first connection and
each query by a poll function of ours that gives up at a deadline. libpulse itself would
wait 30 s for a server that stopped answering (suspended, hung). A query that timed out
closes the connection (which cancels what is still pending), and the microphone reads
"failed" until the break no longer waits.
"""

from __future__ import annotations

import logging
import math
import os
import select
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stretchbreak.infra.busy import BusyUnavailable

if TYPE_CHECKING:
    import pulsectl

__all__ = ["PulseMicrophone", "is_call_stream"]

log = logging.getLogger(__name__)

#: How long a first connection may take before the microphone counts as unavailable.
CONNECT_TIMEOUT_S = 0.5
#: How long one look (both queries) may wait for the server's answers.
QUERY_TIMEOUT_S = 0.5
_NO_SINK = 0xFFFF_FFFF  # PA_INVALID_INDEX: a source that is not a monitor
#: Volume controls that show a live input level.
_LEVEL_METERS = frozenset(
    {
        "org.PulseAudio.pavucontrol",
        "org.gnome.VolumeControl",
        "org.kde.plasma-pa",
        "org.kde.kmix",
        "org.pipewire.Helvum",
    }
)


def is_call_stream(stream: Any, monitors: frozenset[int], own_pid: int) -> bool:
    """Whether one source output is another program really recording a microphone."""
    if stream.source in monitors or getattr(stream, "corked", False):
        return False
    if stream.resample_method == "peaks":
        return False
    props: dict[str, str] = dict(stream.proplist)
    if props.get("application.id") in _LEVEL_METERS:
        return False
    return props.get("application.process.id") != str(own_pid)


class PulseMicrophone:
    """One client connection to the user's sound server, kept while a break waits."""

    name = "PulseAudio"

    def __init__(
        self,
        server: str | None = None,
        own_pid: int | None = None,
        query_timeout: float = QUERY_TIMEOUT_S,
    ) -> None:
        try:
            import pulsectl
        except (ImportError, OSError) as error:  # no libpulse0
            raise BusyUnavailable(f"no PulseAudio client library ({error})") from error
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._query_timeout = query_timeout
        self._deadline: float | None = None
        self._timed_out = False
        self._pulse: pulsectl.Pulse | None = pulsectl.Pulse(
            "stretchbreak-busy", server=server, connect=False
        )
        self._pulse.set_poll_func(self._poll, self._poll_failed)
        # Bounded by our poll's deadline, not pulsectl's ``connect(timeout=...)``: that one
        # always waits out its whole timeout, even after the server has answered.
        self._deadline = time.monotonic() + CONNECT_TIMEOUT_S
        try:
            self._pulse.connect()
        except pulsectl.PulseError as error:
            self.close()
            if self._timed_out:
                raise BusyUnavailable("the sound server did not answer") from error
            raise BusyUnavailable("no PulseAudio or PipeWire sound server") from error
        finally:
            self._deadline = None
        self._errors = (pulsectl.PulseError, pulsectl.PulseDisconnected)
        if self.busy() is None:
            self.close()
            raise BusyUnavailable("the sound server did not answer")

    def busy(self) -> bool | None:
        pulse = self._pulse
        if pulse is None:
            return None
        self._deadline = time.monotonic() + self._query_timeout
        try:
            monitors = frozenset(
                source.index
                for source in pulse.source_list()
                if source.monitor_of_sink != _NO_SINK or source.name.endswith(".monitor")
            )
            streams = pulse.source_output_list()
        except self._errors as error:
            if self._timed_out:
                log.info("the sound server did not answer within %.1f s", self._query_timeout)
                self.close()  # cancels what is pending; nothing may answer into freed callbacks
            else:
                log.debug("PulseAudio query failed: %s", error)
            return None
        finally:
            self._deadline = None
        return any(is_call_stream(stream, monitors, self._own_pid) for stream in streams)

    def _poll(self, fds: Sequence[Any], timeout: float) -> int:
        """libpulse's poll(), with the look's deadline: past it, the connection counts as
        lost, so pulsectl stops waiting and the query fails (``timeout`` < 0 is forever)."""
        wait = None if timeout < 0 else timeout
        if self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                self._timed_out = True
                if self._pulse is not None:
                    self._pulse.connected = False
                return 0
            wait = left if wait is None else min(wait, left)
        poller = select.poll()
        for fd in fds:
            poller.register(fd.fd, fd.events)
        ready = dict(poller.poll(None if wait is None else math.ceil(wait * 1000)))
        for fd in fds:
            fd.revents = ready.get(fd.fd, 0)
        return len(ready)

    @staticmethod
    def _poll_failed(*error: object) -> None:
        log.debug("PulseAudio poll failed: %s", error[1] if len(error) > 1 else error)

    def close(self) -> None:
        pulse, self._pulse = self._pulse, None
        if pulse is not None:
            if self._timed_out:
                # Our poll marked it disconnected to stop the wait; marked connected again,
                # pulsectl really disconnects, which cancels pending queries and closes the
                # socket (otherwise they would outlive the freed loop).
                pulse.connected = True
            pulse.close()
