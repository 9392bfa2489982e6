"""Whether this data folder has seen the welcome: one small file in the data folder.

The mark lives beside the log, not in the user's home, so a fresh ``--data-dir`` is a fresh
first start, and a data folder that already holds a log (a user from before the welcome) is
not greeted as new.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from stretchbreak.infra.atomic_file import write_atomically
from stretchbreak.infra.paths import WELCOME_MARK_NAME  # the name is kept with AppPaths'

__all__ = ["mark_welcomed", "needs_welcome"]

log = logging.getLogger(__name__)


def needs_welcome(data_dir: Path, had_log: bool) -> bool:
    """True on the first start for this folder; a folder with an older log counts as known."""
    if (data_dir / WELCOME_MARK_NAME).exists():
        return False
    if had_log:
        mark_welcomed(data_dir, None)
        return False
    return True


def mark_welcomed(data_dir: Path, at: datetime | None) -> None:
    """Remember the welcome; a failed write only means it may be shown once more."""
    text = f"{at.isoformat(timespec='seconds')}\n" if at is not None else "before the welcome\n"
    try:
        write_atomically(data_dir / WELCOME_MARK_NAME, text.encode("utf-8"), mode=0o600)
    except OSError as error:
        log.warning("could not remember the welcome in %s: %s", data_dir, error)
