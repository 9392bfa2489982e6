"""Writing a history export where the user chose: whole or not at all.

The history book builds the text (``core.export``); putting it on disk is the outside
world's part, here. Atomic, so a failed export (a full disk, a folder without write access)
never leaves half a file where the user expects one; the ``OSError`` is the caller's to show.
"""

from __future__ import annotations

from pathlib import Path

from stretchbreak.infra.atomic_file import write_atomically

__all__ = ["write_export"]


def write_export(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in UTF-8, readable by the user alone like every file
    the app writes (the history is personal)."""
    write_atomically(path, text.encode("utf-8"))
