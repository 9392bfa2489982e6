"""The app's log file: a few rotated files in the log folder, so problems can be reported."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "stretchbreak.log"
_OURS = ("stretchbreak-file", "stretchbreak-console")


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``log_dir/stretchbreak.log`` (1 MB × 3) and warnings to stderr; returns the file."""
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    path.touch(mode=0o600, exist_ok=True)  # before the handler opens it with the umask's mode
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("stretchbreak: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if h.get_name() in _OURS]:
        root.removeHandler(old)
        old.close()
    ours: tuple[logging.Handler, ...] = (handler, console)
    for name, new in zip(_OURS, ours, strict=True):
        new.set_name(name)
        root.addHandler(new)
    return path
