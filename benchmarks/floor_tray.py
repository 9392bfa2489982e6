"""The floor: the least a PySide6 tray app can be, to compare stretchbreak against.

One QApplication, one tray icon (a status window when no tray host is running), nothing
else. When its event loop has started it prints ``ready <CLOCK_MONOTONIC seconds>``, the
same clock the app writes into its own ``ready`` log line, so the parent measures both the
same way.

With ``--paint`` it then shows a plain window of the guided window's size and prints
``painted <ms>``, the time from ``show()`` to its first paint: the floor for any window.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget


def main() -> int:
    qt = QApplication(sys.argv[:1])
    qt.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill()
    keep: list[object] = []
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(QIcon(pixmap))
        tray.show()
        keep.append(tray)
    else:
        window = QWidget()
        window.show()
        keep.append(window)

    def ready() -> None:
        print(f"ready {time.monotonic():.6f}", flush=True)
        if "--paint" in sys.argv:
            QTimer.singleShot(500, show_window)

    clock = QElapsedTimer()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and watched is keep[-1]:
                print(f"painted {clock.nsecsElapsed() / 1e6:.3f}", flush=True)
                QTimer.singleShot(0, qt.quit)
            return False

    spy = FirstPaint()

    def show_window() -> None:
        window = QWidget()
        window.resize(860, 620)
        window.installEventFilter(spy)
        keep.append(window)
        clock.start()
        window.show()

    QTimer.singleShot(0, ready)
    return qt.exec()


if __name__ == "__main__":
    sys.exit(main())
