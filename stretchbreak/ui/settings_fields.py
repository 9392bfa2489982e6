"""The settings dialog's fields tied to the schema's keys: shown from and read into the file's
shape, so the dialog checks what it reads with the same ``parse_settings`` as the file.

A page registers each field under its dotted key (``"break.sound"``); ranges and choices come
from ``core.settings_schema``, so a field can never offer a value the file would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from stretchbreak.core.settings_schema import FIELDS, range_of
from stretchbreak.ui.text import tr

__all__ = ["Inputs", "read_inputs", "show_inputs", "spin"]

#: Field widget by dotted settings key.
Inputs = dict[str, QWidget]


def spin(key: str, suffix: str, name: str, *, tooltip: bool = True) -> QSpinBox:
    """A spin box that holds exactly the schema's range of ``key``."""
    allowed = range_of(key)
    box = QSpinBox()
    box.setRange(allowed.low, allowed.high)
    box.setSuffix(suffix)
    box.setAccessibleName(name)
    if tooltip:
        box.setToolTip(tr("{low} to {high}").format(low=allowed.low, high=allowed.high))
    return box


def _items(field: QLineEdit) -> list[str]:
    return [part.strip() for part in field.text().split(",") if part.strip()]


def read_inputs(inputs: Mapping[str, QWidget]) -> dict[str, object]:
    """The fields as the file would hold them, nested by table, in the schema's order."""
    data: dict[str, object] = {}
    for field in FIELDS:
        widget = inputs.get(field.key)
        if widget is None:
            continue
        level = data
        for part in field.path[:-1]:
            inner = level.setdefault(part, {})
            assert isinstance(inner, dict)
            level = inner
        level[field.name] = _value(widget)
    return data


def _value(widget: QWidget) -> object:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    assert isinstance(widget, QLineEdit)
    return _items(widget)


def show_inputs(inputs: Mapping[str, QWidget], data: Mapping[str, object]) -> None:
    """Set every registered field from ``data``, a mapping in the file's shape."""
    for field in FIELDS:
        widget = inputs.get(field.key)
        if widget is None:
            continue
        value: object = data
        for part in field.path:
            assert isinstance(value, Mapping)
            value = value[part]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            assert isinstance(value, int)
            widget.setValue(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:
            assert isinstance(widget, QLineEdit)
            assert isinstance(value, list)
            widget.setText(", ".join(str(item) for item in value))
