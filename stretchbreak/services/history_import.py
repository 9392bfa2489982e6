"""A CSV import on a worker thread, so a file of any size never freezes the history window.

The import itself (``infra.store_import``) streams the file and adds it in one transaction;
this job only runs it off the GUI thread and reports back through signals, which Qt
delivers on the GUI thread. Cancel sets a flag the import reads between batches.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal

from stretchbreak.core.csv_import import ImportCancelled

log = logging.getLogger(__name__)


class FileImport(Protocol):
    """What an import reports when it succeeded."""

    @property
    def added(self) -> int: ...

    @property
    def skipped(self) -> int: ...

    @property
    def local_time(self) -> bool: ...


#: Runs an import: (CSV file, progress(done, total), cancelled()) → its result; raises
#: ``ImportCancelled`` when it saw the cancel.
Importer = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], FileImport]


class ImportJob(QThread):
    """Signals: ``progressed(done, total)`` in bytes; then exactly one of ``imported(result)``,
    ``failed(message)`` or ``cancelled()``.

    Every exception of the import ends as ``failed`` with its message: none may vanish in a
    thread where nobody would see it.
    """

    progressed = Signal(int, int)
    imported = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        importer: Importer,
        path: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._importer = importer
        self.path = path
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the import to stop at its next batch; ``cancelled`` follows."""
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self._importer(self.path, self.progressed.emit, self._cancel.is_set)
        except ImportCancelled:
            self.cancelled.emit()
        except Exception as error:  # every failure is shown to the user
            if not isinstance(error, (OSError, ValueError)):
                log.exception("importing %s failed", self.path)
            self.failed.emit(str(error) or type(error).__name__)
        else:
            self.imported.emit(result)
