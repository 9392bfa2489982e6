"""The committed icon PNGs show what their SVGs render, judged by picture, never by bytes.

PNG bytes differ between machines for the same picture (zlib, Qt's encoder), so the check in
``scripts/make_icons.py`` compares the recorded hash of each SVG and the pixels, within a small
tolerance. These tests prove it passes on a re-encoded copy and fails on a real change.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_icons.py"


def test_the_committed_pngs_are_rendered_from_the_current_svgs() -> None:
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stderr


@pytest.fixture
def icons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> ModuleType:
    """The script, working on a copy of resources/icons."""
    spec = importlib.util.spec_from_file_location("make_icons", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    copy = tmp_path / "icons"
    shutil.copytree(REPO / "resources" / "icons", copy)
    monkeypatch.setattr(module, "ICONS", copy)
    return module


def test_a_png_encoded_differently_but_showing_the_same_picture_passes(
    icons: ModuleType,
) -> None:
    png = icons.ICONS / "tray" / "tray-active-22.png"
    before = png.read_bytes()
    QImage(str(png)).save(str(png), "PNG", 0)  # type: ignore[call-overload]  # quality 0: other compression, other bytes
    assert png.read_bytes() != before
    assert icons.stale_files() == []


def test_an_edited_svg_or_a_changed_picture_is_reported(icons: ModuleType) -> None:
    svg = icons.ICONS / "tray-paused.svg"
    svg.write_text(svg.read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8")
    png = icons.ICONS / "app" / "io.github.stretchbreak-32.png"
    image = QImage(str(png))
    image.setPixelColor(16, 16, QColor("magenta"))
    image.save(str(png))
    stale = icons.stale_files()
    assert len(stale) == 2, stale
    assert "tray-paused.svg: changed since its PNGs were rendered" in stale[0]
    assert "io.github.stretchbreak-32.png: not what" in stale[1]


def test_a_missing_png_is_reported(icons: ModuleType) -> None:
    (icons.ICONS / "tray" / "tray-due-16.png").unlink()
    (line,) = icons.stale_files()
    assert line.endswith("tray-due-16.png: missing or unreadable")
