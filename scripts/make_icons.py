#!/usr/bin/env python3
"""Renders the tray and app icons (resources/icons/*.svg) into PNGs at the sizes asked for.

The tray and the window icon use PNG sets so the idle process never loads Qt's SVG module
(~0.7 MiB RSS, docs/performance.md); the SVGs stay the sources (the desktop entry installs
the SVG app icon). The PNGs are committed; this script is how they are made again after an
SVG changes.

The bytes of a PNG depend on the machine (zlib, Qt's encoder), so ``--check`` never compares
them. It checks what matters: ``rendered.json`` beside the PNGs records the SHA-256 of each
SVG they were rendered from (an edited SVG with old PNGs is stale), and each committed PNG
must show the same picture as a fresh render, within a small per-channel tolerance.

    .venv/bin/python scripts/make_icons.py            write the PNGs and rendered.json
    .venv/bin/python scripts/make_icons.py --check    exit 1 if a PNG is missing or stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
MANIFEST = "rendered.json"
#: What XEmbed and StatusNotifier trays ask for at 1× and 2×.
SIZES = (16, 22, 24, 32, 44, 48, 64)
#: Window icons: title bars, task switchers, docks.
APP_SIZES = (16, 24, 32, 48, 64, 128, 256)
APP_ICON = "io.github.stretchbreak"
#: Largest difference in one channel (0–255) that still counts as the same pixel:
#: anti-aliasing may round differently elsewhere; a changed picture differs by far more.
TOLERANCE = 8


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pixel_difference(first: QImage, second: QImage) -> int | None:
    """The largest channel difference between two pictures; None if their sizes differ."""
    if first.size() != second.size():
        return None
    a = first.convertToFormat(QImage.Format.Format_RGBA8888)
    b = second.convertToFormat(QImage.Format.Format_RGBA8888)
    worst = 0
    width = a.width() * 4
    for y in range(a.height()):
        row_a = bytes(a.constScanLine(y))[:width]  # type: ignore[call-overload]
        row_b = bytes(b.constScanLine(y))[:width]  # type: ignore[call-overload]
        worst = max(worst, *(abs(p - q) for p, q in zip(row_a, row_b, strict=True)))
    return worst


def jobs() -> list[tuple[Path, int, str]]:
    found = [(svg, size, "tray") for svg in sorted(ICONS.glob("tray-*.svg")) for size in SIZES]
    found += [(ICONS / f"{APP_ICON}.svg", size, "app") for size in APP_SIZES]
    return found


def manifest() -> dict[str, dict[str, object]]:
    """SVG name → its hash and the PNGs rendered from it."""
    entries: dict[str, dict[str, object]] = {}
    for svg, size, folder in jobs():
        entry = entries.setdefault(svg.name, {"sha256": sha256(svg), "pngs": []})
        pngs = entry["pngs"]
        assert isinstance(pngs, list)
        pngs.append(f"{folder}/{svg.stem}-{size}.png")
    return entries


def stale_files() -> list[str]:
    """Why each out-of-date file is out of date, one line each."""
    problems: list[str] = []
    try:
        recorded = json.loads((ICONS / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{ICONS / MANIFEST}: cannot be read ({error})"]
    expected = manifest()
    for name, entry in expected.items():
        if recorded.get(name) != entry:
            problems.append(f"{ICONS / name}: changed since its PNGs were rendered")
    for svg, size, folder in jobs():
        target = ICONS / folder / f"{svg.stem}-{size}.png"
        committed = QImage(str(target))
        if committed.isNull():
            problems.append(f"{target}: missing or unreadable")
            continue
        worst = pixel_difference(committed, render(svg, size))
        if worst is None or worst > TOLERANCE:
            shown = "another size" if worst is None else f"pixels differ by up to {worst}"
            problems.append(f"{target}: not what {svg.name} renders ({shown})")
    return problems


def write() -> None:
    for svg, size, folder in jobs():
        target = ICONS / folder / f"{svg.stem}-{size}.png"
        target.parent.mkdir(exist_ok=True)
        render(svg, size).save(str(target), "PNG")  # type: ignore[call-overload]  # the stubs want bytes, Qt a str
    text = json.dumps(manifest(), indent=2, sort_keys=True) + "\n"
    (ICONS / MANIFEST).write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    QGuiApplication(sys.argv[:1])
    if not args.check:
        write()
        return 0
    stale = stale_files()
    for line in stale:
        print(f"out of date: {line}; run scripts/make_icons.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
