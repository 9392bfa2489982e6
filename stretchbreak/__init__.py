"""stretchbreak: a calm desk-break reminder that guides the Dynamic Back Stretch."""

__version__ = "0.1.0"
