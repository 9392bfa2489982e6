#!/usr/bin/env python3
"""Renders the tray and app icons (resources/icons/*.svg) into PNGs at the sizes asked for.

The tray and the window icon use PNG sets so the idle process never loads Qt's SVG module
(~0.7 MiB RSS, docs/performance.md); the SVGs stay the sources (the desktop entry installs
the SVG app icon). The PNGs are committed; this script is how
they are made again after an SVG changes.

    .venv/bin/python scripts/make_icons.py            write the files
    .venv/bin/python scripts/make_icons.py --check    exit 1 if a committed file differs
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
#: What XEmbed and StatusNotifier trays ask for at 1× and 2×.
SIZES = (16, 22, 24, 32, 44, 48, 64)
#: Window icons: title bars, task switchers, docks.
APP_SIZES = (16, 24, 32, 48, 64, 128, 256)
APP_ICON = "io.github.stretchbreak"


def render(svg: Path, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, Qt a str
    return bytes(data.data())


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    QGuiApplication(sys.argv[:1])
    stale = []
    jobs = [(svg, size, "tray") for svg in sorted(ICONS.glob("tray-*.svg")) for size in SIZES]
    jobs += [(ICONS / f"{APP_ICON}.svg", size, "app") for size in APP_SIZES]
    for svg, size, folder in jobs:
        target = ICONS / folder / f"{svg.stem}-{size}.png"
        png = render(svg, size)
        if not args.check:
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(png)
        elif not target.exists() or target.read_bytes() != png:
            stale.append(target)
    for path in stale:
        print(f"out of date: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
