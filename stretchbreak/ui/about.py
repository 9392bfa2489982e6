"""About stretchbreak: the version, where its files are, and where the documentation is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent, QFont
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label, px_font
from stretchbreak.ui.window_style import STYLE


class LinkLabel(QLabel):
    """A label whose link Tab reaches in one stop: a plain QLabel first takes the focus with
    no link chosen (Enter does nothing there) and needs a second Tab to choose it."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.focusNextPrevChild(reason is Qt.FocusReason.TabFocusReason)


class AboutWindow(QDialog):
    """Signals: ``welcome_requested()``. Enter or Esc closes it."""

    welcome_requested = Signal()

    def __init__(
        self, version: str, data_folder: Path, docs: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data_folder = data_folder
        self.setWindowTitle(tr("About"))
        self.setAccessibleName(tr("About stretchbreak"))
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        self.heading = label(tr("stretchbreak {version}").format(version=version))
        self.heading.setObjectName("windowHeading")
        self.heading.setFont(px_font(self, 20, QFont.Weight.DemiBold))
        self.what = label(
            tr("Calm reminders for a back stretch at your desk, and an exact log of every set.")
        )
        self.folder_title = label(tr("Data folder"), name="windowHeading")
        self.folder = label(str(data_folder), selectable=True)
        self.folder.setAccessibleName(tr("Data folder: {path}").format(path=data_folder))
        self.open_folder = QPushButton(tr("Open folder"))
        self.open_folder.setAccessibleName(tr("Open the data folder"))
        self.open_folder.clicked.connect(self._on_open_folder_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignTop)
        self.docs = LinkLabel()
        self.docs.setWordWrap(True)
        if docs is not None:
            url = QUrl.fromLocalFile(str(docs)).toString()
            self.docs.setTextFormat(Qt.TextFormat.RichText)
            self.docs.setText(
                tr('Documentation: <a href="{url}">{name}</a>').format(url=url, name=docs.name)
            )
            self.docs.setOpenExternalLinks(True)
            self.docs.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            self.docs.setAccessibleName(tr("Documentation: {path}").format(path=docs))
        else:
            self.docs.setTextFormat(Qt.TextFormat.PlainText)
            self.docs.setText(
                tr(
                    "Documentation: README.md and docs/ in the source package; "
                    "stretchbreak --help lists every command."
                )
            )
        self.welcome_button = QPushButton(tr("Welcome…"))
        self.welcome_button.setAccessibleName(tr("Show the welcome again"))
        self.welcome_button.clicked.connect(self._on_welcome_button_clicked)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.setObjectName("primaryButton")
        self.close_button.setAccessibleName(tr("Close About"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.welcome_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        for widget in (self.heading, self.what, self.folder_title):
            layout.addWidget(widget)
        layout.addLayout(folder_row)
        layout.addWidget(self.docs)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def open_now(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.close_button.setFocus()

    def _on_welcome_button_clicked(self) -> None:
        self.accept()
        self.welcome_requested.emit()

    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))
