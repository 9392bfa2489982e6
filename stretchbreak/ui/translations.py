"""Loads the app's translations, and Qt's own for its standard buttons and dialogs.

A language without a file simply stays in English; nothing here can stop the app starting.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

__all__ = ["CATALOG", "install_translations"]

log = logging.getLogger(__name__)

#: ``stretchbreak_<lang>.qm``: the file name stem the release tool's output must have.
CATALOG = "stretchbreak"


def install_translations(
    app: QCoreApplication, folder: Path, locale: QLocale | None = None
) -> list[QTranslator]:
    """Install the catalogs that exist for ``locale`` (default: the system's); returns them.

    Qt's ``qtbase`` goes in first so that our own catalog, installed last, is asked first.
    Each installed translator is parented to ``app``: Qt holds only a pointer to it, and a
    translator that Python collected would silently take its strings with it.
    """
    locale = locale if locale is not None else QLocale.system()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for catalog, where in (("qtbase", qt_folder), (CATALOG, str(folder))):
        translator = QTranslator()
        # Tries e.g. stretchbreak_de_DE.qm, then stretchbreak_de.qm, for each UI language.
        if not translator.load(locale, catalog, "_", where):
            continue
        if not app.installTranslator(translator):
            log.warning("could not install the translation %s", translator.filePath())
            continue
        translator.setParent(app)
        installed.append(translator)
        log.info("translation installed: %s", translator.filePath())
    return installed
