"""The shipped menu entry, AppStream metainfo and icons: parsable, valid, and drawable.

The freedesktop validators run when they are installed (Debian: ``desktop-file-utils`` and
``appstream``); the parsing and rendering checks always run.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from stretchbreak import __version__
from stretchbreak.infra.desktop_install import install_desktop
from stretchbreak.infra.resources import resources_dir

APP_ID = "io.github.stretchbreak"
TRAY_ICONS = ["tray-active", "tray-due", "tray-paused", "tray-off-hours"]
SIZES = [16, 22, 32, 128]


@pytest.fixture
def desktop_dir() -> Path:
    return resources_dir() / "desktop"


@pytest.fixture
def icons_dir() -> Path:
    return resources_dir() / "icons"


def _needs(tool: str, package: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        shutil.which(tool) is None,
        reason=f"{tool} is not installed (Debian: apt-get install {package})",
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=False, timeout=60)


def _errors(output: str) -> list[str]:
    """appstreamcli's report lines of error severity ("E: id:line: tag")."""
    return [line.strip() for line in output.splitlines() if line.strip().startswith("E:")]


# ------------------------------------------------------------------ the menu entry


def test_the_menu_entry_parses_and_names_what_the_app_uses(
    desktop_dir: Path, icons_dir: Path
) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(desktop_dir / f"{APP_ID}.desktop", encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "stretchbreak"
    assert entry["GenericName"] == "Stretch break reminder"
    assert entry["Exec"] == "stretchbreak"  # rewritten to the real command when installed
    assert entry["Icon"] == APP_ID
    assert (icons_dir / f"{entry['Icon']}.svg").is_file()
    assert entry["Categories"].split(";")[:2] == ["Utility", "Qt"]
    assert entry["Keywords"].endswith(";")
    assert entry["StartupNotify"] == "true"
    assert entry["StartupWMClass"] == "stretchbreak"
    assert entry["Terminal"] == "false"
    assert entry["Comment"]


@_needs("desktop-file-validate", "desktop-file-utils")
def test_the_menu_entry_passes_desktop_file_validate(desktop_dir: Path) -> None:
    result = _run("desktop-file-validate", str(desktop_dir / f"{APP_ID}.desktop"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint


# ------------------------------------------------------------------ the metainfo


def test_the_metainfo_parses_and_matches_the_app(desktop_dir: Path) -> None:
    root = ET.parse(desktop_dir / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == "stretchbreak"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("summary")
    assert len(root.findall("description/p")) >= 1
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert (desktop_dir / (launchable.text or "")).is_file()
    rating = root.find("content_rating")
    assert rating is not None
    assert rating.get("type") == "oars-1.1"
    releases = root.findall("releases/release")
    assert releases[0].get("version") == __version__, "the newest release comes first"
    assert {(r.get("version"), r.get("date")) for r in releases} >= {("0.1.0", "2026-11-24")}


@_needs("appstreamcli", "appstream")
def test_the_metainfo_passes_appstreamcli_validate(desktop_dir: Path) -> None:
    result = _run(
        "appstreamcli",
        "validate",
        "--no-net",
        "--pedantic",
        str(desktop_dir / f"{APP_ID}.metainfo.xml"),
    )
    report = result.stdout + result.stderr
    assert _errors(report) == [], report
    assert result.returncode in (0, 3), report  # 3: warnings only, which are allowed


@_needs("appstreamcli", "appstream")
def test_the_installed_tree_links_up(tmp_path: Path) -> None:
    """Metainfo, menu entry and icon as installed find each other (launchable, icon name)."""
    share = tmp_path / "usr" / "share"
    install_desktop(tmp_path, {"XDG_DATA_HOME": str(share), "PATH": ""}, ["/usr/bin/stretchbreak"])
    result = _run("appstreamcli", "validate-tree", "--no-net", str(tmp_path))
    report = result.stdout + result.stderr
    assert _errors(report) == [], report
    assert "not-found" not in report, report


# ------------------------------------------------------------------ the icons


def _render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _opaque_share(image: QImage) -> float:
    """Share of pixels that are mostly opaque, sampled on a grid to stay fast at 128 px."""
    step = max(1, image.width() // 32)
    points = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    return sum(image.pixelColor(x, y).alpha() > 128 for x, y in points) / len(points)


def test_every_icon_the_app_needs_is_shipped(icons_dir: Path) -> None:
    names = {path.stem for path in icons_dir.glob("*.svg")}
    assert names >= {APP_ID, *TRAY_ICONS}


@pytest.mark.parametrize("name", [APP_ID, *TRAY_ICONS])
def test_each_icon_is_small_hand_written_svg(icons_dir: Path, name: str) -> None:
    text = (icons_dir / f"{name}.svg").read_text(encoding="utf-8")
    assert len(text) < 4096
    assert "<image" not in text  # no embedded bitmaps
    root = ET.fromstring(text)
    size = "128" if name == APP_ID else "32"
    assert root.get("viewBox") == f"0 0 {size} {size}"


@pytest.mark.parametrize("name", [APP_ID, *TRAY_ICONS])
def test_each_icon_renders_at_every_size(qapp: QApplication, icons_dir: Path, name: str) -> None:
    renderer = QSvgRenderer(str(icons_dir / f"{name}.svg"))
    assert renderer.isValid()
    for size in SIZES:
        image = _render(renderer, size)
        assert not image.isNull()
        # A filled disc or rounded square covers well over half of the canvas.
        assert _opaque_share(image) > 0.5, f"{name} at {size} px is mostly empty"


def _changed_share(first: QImage, second: QImage) -> float:
    """Share of pixels whose colour differs clearly (not just anti-aliasing)."""
    points = [(x, y) for x in range(first.width()) for y in range(first.height())]
    changed = 0
    for x, y in points:
        a, b = first.pixelColor(x, y), second.pixelColor(x, y)
        channels = [(a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())]
        changed += max(abs(p - q) for p, q in [*channels, (a.alpha(), b.alpha())]) > 64
    return changed / len(points)


def test_the_tray_states_look_different_from_each_other(
    qapp: QApplication, icons_dir: Path
) -> None:
    """At the smallest tray size every state must still be its own picture."""
    images = {
        name: _render(QSvgRenderer(str(icons_dir / f"{name}.svg")), 16) for name in TRAY_ICONS
    }
    for name, image in images.items():
        for other, other_image in images.items():
            if name < other:
                share = _changed_share(image, other_image)
                assert share > 0.08, f"{name} and {other} differ in {share:.0%} of pixels at 16 px"
