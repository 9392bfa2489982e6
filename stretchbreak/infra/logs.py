"""The app's log file: a few rotated files in the log folder, so problems can be reported."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "stretchbreak.log"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``log_dir/stretchbreak.log`` (1 MB × 3) and warnings to stderr; returns the file."""
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    path.touch(mode=0o600, exist_ok=True)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("stretchbreak: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "_stretchbreak", False)]:
        root.removeHandler(old)
        old.close()
    for new in (handler, console):
        new._stretchbreak = True  # type: ignore[attr-defined]
        root.addHandler(new)
    return path
