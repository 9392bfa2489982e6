"""Text colours that stay readable: WCAG 2 contrast ratios and a muted colour that passes AA.

Secondary text (upcoming setup cues, the shortcut strip, chart captions) is drawn lighter
than body text, but never so light that it drops below 4.5:1 against its background, in
whichever palette the desktop gives us.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: WCAG 2.x level AA: normal text, and large text (18 pt, or 14 pt bold).
AA_NORMAL = 4.5
AA_LARGE = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """Relative luminance as WCAG defines it (sRGB, 0 for black, 1 for white)."""
    return (
        0.2126 * _channel(colour.red())
        + 0.7152 * _channel(colour.green())
        + 0.0722 * _channel(colour.blue())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """From 1 (the same) to 21 (black on white). ``a`` is the text: a translucent one (Qt's
    default placeholder is the text colour at half opacity) is seen over ``b``."""
    if a.alpha() < 255:
        a = _mix(b, QColor(a.red(), a.green(), a.blue()), a.alphaF())
    la, lb = luminance(a), luminance(b)
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def muted(text: QColor, background: QColor, amount: float, minimum: float = AA_NORMAL) -> QColor:
    """``text`` faded ``amount`` of the way towards ``background``, but only as far as still
    gives ``minimum`` contrast; the text colour itself when even that is too little."""
    step = amount
    while step > 0:
        candidate = _mix(text, background, step)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
        step = round(step - 0.02, 4)
    return QColor(text)


def readable_palette(palette: QPalette) -> QPalette:
    """The palette with its highlight darkened (or lightened) until highlighted text on it
    reaches 4.5:1: primary buttons and the current setup cue are drawn in those colours, and
    some stock palettes (Fusion's light one: white on #308cc6, 3.6:1) fall short. Placeholder
    text (empty fields, secondary notes) is brought to 4.5:1 on both the window and fields,
    and so is disabled text: a disabled control may still carry information ("No audio
    output"), so it stays readable, only fainter than enabled text."""
    fixed = QPalette(palette)
    _readable_disabled(fixed)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text = fixed.color(group, QPalette.ColorRole.Text)
        placeholder = fixed.color(group, QPalette.ColorRole.PlaceholderText)
        grounds = [
            fixed.color(group, role)
            for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base)
        ]
        if min(contrast_ratio(placeholder, g) for g in grounds) < AA_NORMAL:
            # Opaque, the shade of the darker (lighter) ground it would have had, then
            # moved towards the text colour until it reads on both grounds.
            start = _mix(grounds[0], QColor(placeholder.rgb()), placeholder.alphaF())
            step = 0.0
            placeholder = start
            while min(contrast_ratio(placeholder, g) for g in grounds) < AA_NORMAL and step < 1:
                step += 0.02
                placeholder = _mix(start, text, step)
            fixed.setColor(group, QPalette.ColorRole.PlaceholderText, placeholder)
        text = fixed.color(group, QPalette.ColorRole.HighlightedText)
        highlight = fixed.color(group, QPalette.ColorRole.Highlight)
        toward = QColor("black") if luminance(text) > 0.5 else QColor("white")
        step = 0.0
        candidate = highlight
        while contrast_ratio(text, candidate) < AA_NORMAL and step < 1:
            step += 0.02
            candidate = _mix(highlight, toward, step)
        fixed.setColor(group, QPalette.ColorRole.Highlight, candidate)
    return fixed


#: Disabled text and the ground it is drawn on; the enabled text it fades from.
_DISABLED_PAIRS = (
    (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
    (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
    (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
)


def _readable_disabled(palette: QPalette) -> None:
    """Move disabled text towards its enabled colour until it reads at 4.5:1 on its ground."""
    disabled, active = QPalette.ColorGroup.Disabled, QPalette.ColorGroup.Active
    for text_role, ground_role in _DISABLED_PAIRS:
        text = palette.color(disabled, text_role)
        ground = palette.color(disabled, ground_role)
        if contrast_ratio(text, ground) >= AA_NORMAL:
            continue
        start, goal = QColor(text.rgb()), palette.color(active, text_role)
        step = 0.0
        candidate = start
        while contrast_ratio(candidate, ground) < AA_NORMAL and step < 1:
            step += 0.02
            candidate = _mix(start, goal, step)
        palette.setColor(disabled, text_role, candidate)
