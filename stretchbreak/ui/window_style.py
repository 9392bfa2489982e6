"""The guided window's look, written against palette roles so light and dark both work."""

STYLE = """
QLabel#windowHeading { font-weight: 600; }
QPushButton#goalCard {
    text-align: left;
    padding: 10px 14px;
    border: 1px solid palette(mid);
    border-radius: 8px;
    background: palette(base);
    color: palette(text);
}
QPushButton#goalCard:checked {
    border: 2px solid palette(highlight);
    background: palette(alternate-base);
}
QPushButton#goalCard:focus { border: 2px dashed palette(highlight); }
QPushButton#primaryButton {
    background: palette(highlight);
    color: palette(highlighted-text);
    border: none;
    border-radius: 6px;
    padding: 8px 26px;
    font-weight: 600;
}
QPushButton#primaryButton:disabled { background: palette(mid); }
QPushButton#primaryButton:focus { border: 2px solid palette(text); }
QPushButton#feelingButton {
    padding: 8px;
    border: 1px solid palette(mid);
    border-radius: 6px;
    background: palette(button);
    color: palette(button-text);
}
QPushButton#feelingButton:checked {
    border: 2px solid palette(highlight);
    background: palette(highlight);
    color: palette(highlighted-text);
    font-weight: 600;
}
QPushButton#feelingButton:focus { border: 2px dashed palette(highlight); }
QLabel#setupCue { border-radius: 6px; }
QLabel#setupCue[current="true"] {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QLabel#tip, QLabel#suggestionReason, QLabel#repDetail, QLabel#nextTime { font-style: italic; }
QLabel#pausedNote { color: palette(highlight); }
QFrame#safetyNote, QFrame#confirmBar {
    border: 1px solid palette(highlight);
    border-radius: 8px;
    padding: 6px;
}
QLabel#problemBar, QLabel#historyNotice {
    border: 1px solid palette(highlight);
    border-radius: 6px;
    padding: 6px 10px;
    font-weight: 600;
}
QLineEdit[invalid="true"] { border: 2px solid #d04040; border-radius: 3px; }
QFrame#promptFrame {
    background: palette(window);
    border: 2px solid palette(highlight);
    border-radius: 10px;
}
QLabel#signState { color: palette(placeholder-text); padding-left: 22px; }
QLabel#shortcutStrip { padding-top: 6px; }
"""
