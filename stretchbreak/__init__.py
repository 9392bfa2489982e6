"""stretchbreak: a calm desk-break reminder that guides the Dynamic Back Stretch."""

__version__ = "0.1.0"
#: The reverse-DNS id of the desktop entry, icon and metainfo.
APP_ID = "io.github.stretchbreak"
