"""Guards the pinned Qt binding: PySide6 6.12.0 dropped a reference on every object emitted
from Python, which on Python 3.11 aborts the process once ``True`` reaches zero references.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    flag = Signal(bool)
    value = Signal(object)


def test_emitting_from_python_keeps_reference_counts(qtbot: object) -> None:
    emitter = Emitter()
    payload = object()
    received: list[object] = []
    emitter.flag.connect(received.append)
    emitter.value.connect(received.append)
    true_before = sys.getrefcount(True)
    payload_before = sys.getrefcount(payload)
    for _ in range(500):
        emitter.flag.emit(True)
        emitter.value.emit(payload)
    received.clear()
    assert sys.getrefcount(True) >= true_before
    assert sys.getrefcount(payload) == payload_before
