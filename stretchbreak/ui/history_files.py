"""The history window's file part: where dialogs open, and the bar of a running import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QProgressBar, QPushButton

from stretchbreak.services.history_import import FileImport
from stretchbreak.ui.text import plural, tr
from stretchbreak.ui.widgets import label

#: Asks for a file: (title, suggested path, filter) → the chosen path, or None.
PathAsker = Callable[[str, str, str], Path | None]
FILTERS = {"csv": "CSV files (*.csv)", "json": "JSON files (*.json)"}


def ask_save(title: str, suggested: str, pattern: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(None, title, suggested, pattern)
    return Path(chosen) if chosen else None


def ask_open(title: str, suggested: str, pattern: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(None, title, suggested, pattern)
    return Path(chosen) if chosen else None


def documents_folder() -> Path:
    """Where file dialogs first open: the user's documents folder, else the home folder.

    Never the working folder, which for an app started from a menu is anywhere at all.
    """
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def imported_text(result: FileImport) -> str:
    text = tr("Imported {n}; {s} already in your log.").format(
        n=plural(result.added, tr("session"), tr("sessions")), s=result.skipped
    )
    if result.local_time:
        text += " " + tr("Times without a UTC offset were read as local time.")
    return text


class ImportBar(QFrame):
    """What a running import shows: the file, how far it is, and Cancel."""

    def __init__(self, cancel: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("confirmBar")
        bar = QHBoxLayout(self)
        self.text = label(wrap=False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(tr("Import progress"))
        self.cancel = QPushButton(tr("Cancel"))
        self.cancel.setAccessibleName(tr("Cancel the import"))
        self.cancel.clicked.connect(cancel)
        bar.addWidget(self.text)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel)
        self.setVisible(False)

    def started(self, path: Path) -> None:
        self.text.setText(tr("Importing {name}…").format(name=path.name))
        self.progress.setValue(0)
        self.cancel.setEnabled(True)
        self.setVisible(True)

    def advanced(self, done: int, total: int) -> None:
        self.progress.setValue(round(1000 * done / total) if total else 1000)

    def cancelling(self) -> None:
        self.cancel.setEnabled(False)
        self.text.setText(tr("Cancelling…"))
