"""Widgets that render state values and emit user intents."""
