"""The history window's file part: where dialogs open, and the bar of a running import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QProgressBar, QPushButton

from stretchbreak.core.tally import Tally
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


class FolderMemory:
    """Where the next file dialog opens: the folder of the last file exported or imported,
    kept in the windows' private state file so it is still known after a restart; the
    documents folder before any, or once that folder is gone."""

    KEY = "history_window/last_folder"

    def __init__(self, state_file: Path | None) -> None:
        self._state_file = state_file
        self._folder: Path | None = None
        if state_file is not None and state_file.exists():
            stored = self._open(state_file).value(self.KEY)
            self._folder = Path(stored) if isinstance(stored, str) and stored else None

    def folder(self) -> Path:
        if self._folder is not None and self._folder.is_dir():
            return self._folder
        return documents_folder()

    def remember(self, folder: Path) -> None:
        self._folder = folder
        if self._state_file is None:
            return
        settings = self._open(self._state_file)
        settings.setValue(self.KEY, str(folder))
        settings.sync()
        if self._state_file.exists():
            self._state_file.chmod(0o600)

    @staticmethod
    def _open(state_file: Path) -> QSettings:
        return QSettings(str(state_file), QSettings.Format.IniFormat)


def exported_text(held: Tally, fmt: str, path: Path) -> str:
    """What the file holds, counted as everywhere else (``core.tally``): a CSV has no row
    for an empty session, a JSON file lists it, and the message says so."""
    text = tr("Exported {n} to {p}.").format(
        n=plural(held.sessions, tr("session"), tr("sessions")), p=path
    )
    if fmt == "json" and held.empty:
        text += " " + tr("It also lists {n} with nothing done.").format(
            n=plural(held.empty, tr("session"), tr("sessions"))
        )
    return text


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
