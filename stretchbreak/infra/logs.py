"""The app's log file: a few rotated files in the log folder, so problems can be reported."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from stretchbreak.infra.paths import LOG_NAME, make_private_folder

_OURS = ("stretchbreak-file", "stretchbreak-console")


class RotatingLog(logging.FileHandler):
    """``stretchbreak.log`` up to ``max_bytes``, then ``.1`` … ``.<keep>``, the oldest dropped.

    What ``logging.handlers.RotatingFileHandler`` does, without that module's imports
    (``socket``, ``pickle``, ``queue``…: ~15 ms and ~1 MiB at every start, for handlers the
    app never uses).
    """

    def __init__(self, path: Path, max_bytes: int, keep: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.keep = keep

    def _open(self):  # type: ignore[no-untyped-def]  # typeshed: TextIOWrapper
        """Create the file readable by its owner alone, as the first one was."""
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(descriptor, "a", encoding=self.encoding)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self._rotate()
        except OSError:
            self.handleError(record)
        super().emit(record)

    def _rotate(self) -> None:
        self.close()  # reopened by FileHandler.emit on the next record
        base = Path(self.baseFilename)
        for number in range(self.keep - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                older.replace(base.with_name(f"{base.name}.{number + 1}"))
        base.replace(base.with_name(f"{base.name}.1"))


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``log_dir/stretchbreak.log`` (1 MB × 3) and warnings to stderr; returns the file."""
    make_private_folder(log_dir)
    path = log_dir / LOG_NAME
    path.touch(mode=0o600, exist_ok=True)  # before the handler opens it with the umask's mode
    handler = RotatingLog(path, max_bytes=1_000_000, keep=3)
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
