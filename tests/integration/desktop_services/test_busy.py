"""The busy probe and the backends that cannot run here for real (Windows, D-Bus answers),
with injected fakes, like the idle backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest

from stretchbreak.core.deferral import BusyReason
from stretchbreak.infra.busy import BusyProbe, BusyUnavailable, platform_makers
from stretchbreak.infra.busy_dnd import GNOME_PORTAL, KDE_INHIBITED, DndSource, choose
from stretchbreak.infra.busy_pulse import is_call_stream
from stretchbreak.infra.busy_windows import ConsentStoreUse, NotificationState, windows_makers

ALL = frozenset(BusyReason)


class Switch:
    """A backend whose answer the test sets; counts opens and closes."""

    name = "switch"

    def __init__(self, answer: bool | None = False) -> None:
        self.answer = answer
        self.closed = 0

    def busy(self) -> bool | None:
        return self.answer

    def close(self) -> None:
        self.closed += 1


def test_the_probe_opens_on_first_look_and_closes_on_release() -> None:
    made: list[Switch] = []

    def make() -> Switch:
        made.append(Switch(True))
        return made[-1]

    probe = BusyProbe({BusyReason.MICROPHONE: make})
    assert made == []  # nothing opened until a break needs it
    assert probe.busy(ALL) == {BusyReason.MICROPHONE}
    assert probe.busy(ALL) == {BusyReason.MICROPHONE}
    assert len(made) == 1
    probe.release()
    assert made[0].closed == 1
    assert probe.busy(frozenset({BusyReason.CAMERA})) == frozenset()
    assert len(made) == 1  # a signal not watched is not opened


def test_an_unavailable_backend_is_tried_once_per_wait_and_says_why() -> None:
    tries: list[int] = []

    def broken() -> Switch:
        tries.append(1)
        raise BusyUnavailable("no PulseAudio or PipeWire sound server")

    probe = BusyProbe({BusyReason.MICROPHONE: broken, BusyReason.CAMERA: lambda: Switch(None)})
    for _ in range(3):
        assert probe.busy(ALL) == frozenset()  # a failed read counts as not busy
    assert tries == [1]
    states = {s.reason: s for s in probe.states()}
    assert states[BusyReason.MICROPHONE].problem == "no PulseAudio or PipeWire sound server"
    assert not states[BusyReason.MICROPHONE].available
    assert states[BusyReason.CAMERA].source == "switch"
    assert states[BusyReason.FULLSCREEN].problem == "not supported on this system"
    probe.release()
    probe.busy(ALL)
    assert tries == [1, 1]


def test_a_backend_that_fails_to_close_does_not_keep_the_others_open() -> None:
    class Stuck(Switch):
        def close(self) -> None:
            raise RuntimeError("connection already dead")

    good = Switch()
    probe = BusyProbe({BusyReason.MICROPHONE: Stuck, BusyReason.CAMERA: lambda: good})
    probe.busy(ALL)
    probe.release()
    assert good.closed == 1


def test_macos_says_every_signal_is_unavailable() -> None:
    probe = BusyProbe(platform_makers("darwin", {}))
    assert all(not state.available for state in probe.states())


def test_a_wayland_session_has_no_fullscreen_signal() -> None:
    makers = platform_makers("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})
    with pytest.raises(BusyUnavailable, match="no X11 session"):
        makers[BusyReason.FULLSCREEN]()


# ---------------------------------------------------------------- microphone streams


def stream(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "source": 0,
        "corked": False,
        "resample_method": None,
        "proplist": {"application.process.id": "4242"},
    }
    return SimpleNamespace(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "counts"),
    [
        ({}, True),
        ({"source": 1}, False),  # the monitor of the speakers
        ({"corked": True}, False),  # a paused recording
        ({"resample_method": "peaks"}, False),  # a level meter
        ({"proplist": {"application.id": "org.PulseAudio.pavucontrol"}}, False),
        ({"proplist": {"application.process.id": "7"}}, False),  # our own
    ],
)
def test_which_recording_streams_are_a_call(fields: dict[str, object], counts: bool) -> None:
    assert is_call_stream(stream(**fields), frozenset({1}), own_pid=7) is counts


# ---------------------------------------------------------------- do not disturb


def asker(answers: dict[str, object]) -> tuple[list[str], Callable[[DndSource], object]]:
    asked: list[str] = []

    def ask(source: DndSource) -> object:
        asked.append(source.name)
        return answers.get(source.service)

    return asked, ask


def test_kde_inhibited_is_do_not_disturb() -> None:
    answers: dict[str, object] = {KDE_INHIBITED.service: False}
    _, ask = asker(answers)
    backend = choose(ask, lambda: None)
    assert backend.name == "KDE notifications"
    assert backend.busy() is False
    answers[KDE_INHIBITED.service] = True
    assert backend.busy() is True
    answers[KDE_INHIBITED.service] = None  # the server went away
    assert backend.busy() is None


def test_gnome_show_banners_off_is_do_not_disturb() -> None:
    answers: dict[str, object] = {GNOME_PORTAL.service: True}
    asked, ask = asker(answers)
    backend = choose(ask, lambda: None)
    assert asked == ["KDE notifications", "GNOME notifications (desktop portal)"]
    assert backend.busy() is False
    answers[GNOME_PORTAL.service] = False
    assert backend.busy() is True


def test_no_desktop_answer_is_unavailable_and_closes_the_bus() -> None:
    closed: list[bool] = []
    _, ask = asker({})
    with pytest.raises(BusyUnavailable, match="no do-not-disturb"):
        choose(ask, lambda: closed.append(True))
    assert closed == [True]


# ---------------------------------------------------------------- Windows


def usage(table: dict[str, list[tuple[int, int]]]) -> Callable[[str], Iterator[tuple[int, int]]]:
    def read(capability: str) -> Iterator[tuple[int, int]]:
        if capability not in table:
            raise FileNotFoundError(capability)
        yield from table[capability]

    return read


def test_the_consent_store_says_who_uses_the_microphone_now() -> None:
    table = {"microphone": [(100, 200), (300, 0)], "webcam": [(100, 200), (0, 0)]}
    makers = windows_makers(usage(table), lambda: 5)
    assert makers[BusyReason.MICROPHONE]().busy() is True  # started at 300, not stopped
    assert makers[BusyReason.CAMERA]().busy() is False  # stopped, or never started
    table["microphone"][1] = (300, 400)
    assert makers[BusyReason.MICROPHONE]().busy() is False
    assert ConsentStoreUse("gone", usage(table)).busy() is None
    with pytest.raises(BusyUnavailable, match="Focus Assist"):
        makers[BusyReason.DO_NOT_DISTURB]()


@pytest.mark.parametrize(
    ("state", "busy"), [(2, True), (3, True), (4, True), (5, False), (6, False), (None, None)]
)
def test_fullscreen_and_presentations_from_the_notification_state(
    state: int | None, busy: bool | None
) -> None:
    assert NotificationState(lambda: state).busy() is busy


def test_the_real_registry_is_not_tried_off_windows() -> None:
    with pytest.raises(BusyUnavailable, match="Windows only"):
        windows_makers()
