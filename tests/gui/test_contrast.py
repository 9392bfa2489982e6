"""Text contrast (WCAG 2 AA) of the colours the windows really use, light and dark.

The light palette is Fusion's standard one, the dark one is the palette the screenshots use;
both pass through ``readable_palette`` as the app's launch does. Ratios are computed from the
colours the widgets hold after they were shown, not from constants.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from stretchbreak.core.stats import DayDetail
from stretchbreak.ui.contrast import AA_NORMAL, contrast_ratio, muted, readable_palette
from stretchbreak.ui.heatmap import Heatmap
from tests.gui.conftest import Guided

ROOT = Path(__file__).resolve().parents[2]


def dark_palette() -> QPalette:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    palette = module.dark_palette()
    assert isinstance(palette, QPalette)
    return palette


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    base = dark_palette() if request.param == "dark" else app.style().standardPalette()
    app.setPalette(readable_palette(base))
    yield request.param
    app.setPalette(before)


def colours(widget: QWidget, role: QPalette.ColorRole) -> QColor:
    return widget.palette().color(role)


def test_known_ratios() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast_ratio(QColor("#BEBEBE"), QColor("#EFEFEF")) == pytest.approx(1.6, abs=0.05)
    faded = muted(QColor("#000000"), QColor("#ffffff"), 0.9)
    assert contrast_ratio(faded, QColor("#ffffff")) >= AA_NORMAL


def test_secondary_text_meets_aa_in_the_session_window(theme: str, guided: Guided) -> None:
    window = guided.window
    background = colours(window, QPalette.ColorRole.Window)
    ratios = {
        "body text": contrast_ratio(colours(window, QPalette.ColorRole.WindowText), background),
        "shortcut strip": contrast_ratio(window.shortcuts.text_colour(), background),
    }
    guided.key(Qt.Key.Key_Return)  # Start: the setup view, first cue current
    cues = window.setup_view.cues
    upcoming = cues[-1]
    assert upcoming.property("upcoming") is True
    ratios["upcoming setup cue"] = contrast_ratio(
        colours(upcoming, QPalette.ColorRole.WindowText), background
    )
    # The current cue and every primary button: highlighted text on the highlight.
    ratios["current setup cue"] = contrast_ratio(
        colours(window, QPalette.ColorRole.HighlightedText),
        colours(window, QPalette.ColorRole.Highlight),
    )
    ring = window.rep_view.ring
    ratios["countdown caption"] = contrast_ratio(
        muted(
            colours(ring, QPalette.ColorRole.WindowText),
            colours(ring, QPalette.ColorRole.Window),
            0.3,
        ),
        colours(ring, QPalette.ColorRole.Window),
    )
    heatmap = Heatmap(lambda day: DayDetail(day, 0, 0, 0, 0.0, ()))
    guided.qtbot.addWidget(heatmap)
    ratios["heatmap day and month names"] = contrast_ratio(
        heatmap.label_colour(), colours(heatmap, QPalette.ColorRole.Window)
    )
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        ratios[f"placeholder text on {role.name}"] = contrast_ratio(
            colours(window, QPalette.ColorRole.PlaceholderText), colours(window, role)
        )
    print(theme, {k: round(v, 2) for k, v in ratios.items()})
    failing = {k: round(v, 2) for k, v in ratios.items() if v < AA_NORMAL}
    assert failing == {}


def test_disabled_text_that_carries_information_meets_aa(theme: str, guided: Guided) -> None:
    """ "No audio output" is a disabled button that still tells the user something."""
    button = guided.window.sound_button
    guided.window.set_sound_available(False)
    assert (button.text(), button.isEnabled()) == ("No audio output", False)
    disabled = QPalette.ColorGroup.Disabled
    pairs = {
        "disabled button text": (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
        "disabled label text": (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
        "disabled field text": (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
    }
    palette = button.palette()
    ratios = {
        name: contrast_ratio(palette.color(disabled, text), palette.color(disabled, ground))
        for name, (text, ground) in pairs.items()
    }
    print(theme, {k: round(v, 2) for k, v in ratios.items()})
    assert {k: round(v, 2) for k, v in ratios.items() if v < AA_NORMAL} == {}
    # Still fainter than enabled text, so a disabled control looks disabled.
    enabled = contrast_ratio(
        palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText),
        palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Button),
    )
    assert ratios["disabled button text"] < enabled
