"""Translations: a catalog built here with Qt's own release tool is found and used."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from stretchbreak.ui.translations import install_translations

LRELEASE = Path(sys.executable).parent / "pyside6-lrelease"

GERMAN_TS = """\
<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>stretchbreak</name>
    <message>
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
</context>
</TS>
"""


def _translate(text: str) -> str:
    return QCoreApplication.translate("stretchbreak", text)


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    """A folder holding ``stretchbreak_de.qm``, released from a one-message .ts file."""
    if not LRELEASE.exists():
        pytest.skip(f"pyside6-lrelease not found beside the interpreter ({LRELEASE})")
    source = tmp_path / "stretchbreak_de.ts"
    source.write_text(GERMAN_TS, encoding="utf-8")
    folder = tmp_path / "i18n"
    folder.mkdir()
    subprocess.run(
        [str(LRELEASE), str(source), "-qm", str(folder / "stretchbreak_de.qm")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return folder


@pytest.fixture
def installed(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """Collects what a test installs and takes it out again, so other tests see English."""
    translators: list[QTranslator] = []
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
        translator.setParent(None)
    assert _translate("Start") == "Start"


def test_the_catalog_for_the_locale_is_installed(
    qapp: QApplication, catalogs: Path, installed: list[QTranslator]
) -> None:
    assert _translate("Start") == "Start"
    installed += install_translations(qapp, catalogs, QLocale("de"))
    assert _translate("Start") == "Beginnen"
    ours = [t for t in installed if Path(t.filePath()).name == "stretchbreak_de.qm"]
    assert len(ours) == 1
    assert all(t.parent() is qapp for t in installed), "parented, so never garbage-collected"
    assert _translate("Snooze") == "Snooze"  # untranslated text stays readable


def test_a_regional_locale_falls_back_to_its_language(
    qapp: QApplication, catalogs: Path, installed: list[QTranslator]
) -> None:
    installed += install_translations(qapp, catalogs, QLocale("de_AT"))
    assert _translate("Start") == "Beginnen"


def test_qt_s_own_strings_come_along_when_qt_ships_them(
    qapp: QApplication, catalogs: Path, installed: list[QTranslator]
) -> None:
    installed += install_translations(qapp, catalogs, QLocale("de"))
    names = {Path(t.filePath()).name for t in installed}
    assert names <= {"qtbase_de.qm", "stretchbreak_de.qm"}
    if "qtbase_de.qm" in names:  # the PySide6 wheels ship it; a distro Qt may not
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"


@pytest.mark.parametrize("language", ["fi", "eo", "C"])
def test_a_locale_without_our_catalog_keeps_english(
    qapp: QApplication, catalogs: Path, installed: list[QTranslator], language: str
) -> None:
    installed += install_translations(qapp, catalogs, QLocale(language))
    assert not [t for t in installed if Path(t.filePath()).parent == catalogs]
    assert _translate("Start") == "Start"


def test_a_missing_folder_and_the_system_locale_are_fine(
    qapp: QApplication, tmp_path: Path, installed: list[QTranslator]
) -> None:
    installed += install_translations(qapp, tmp_path / "no-such-folder")
    assert not [t for t in installed if Path(t.filePath()).name.startswith("stretchbreak")]


def test_a_catalog_qt_refuses_is_not_reported_as_installed(
    qapp: QApplication,
    catalogs: Path,
    installed: list[QTranslator],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qapp, "installTranslator", lambda translator: False)
    installed += install_translations(qapp, catalogs, QLocale("de"))
    assert installed == []
    assert _translate("Start") == "Start"
