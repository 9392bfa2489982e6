"""Files replaced whole: a reader, or a crash, sees the old content or the new, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from stretchbreak.infra.paths import make_private_folder

__all__ = ["make_private_folder", "remove_stale_temporaries", "write_atomically"]


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write beside ``path``, fsync, rename over ``path``, then sync the folder."""
    make_private_folder(path.parent)
    handle, name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every system can open a folder, so best effort."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(descriptor)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove what a write of ``path`` killed half-way left beside it (``.<name>.*.tmp``).

    Called at start, while this app alone writes the file (one app per data folder), so a
    temporary file there cannot be another save in progress. Only regular files are removed.
    """
    removed: list[Path] = []
    try:
        candidates = list(path.parent.glob(f"{_temporary_prefix(path)}*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if candidate.is_symlink() or not candidate.is_file():
                continue
            candidate.unlink()
        except OSError:
            continue
        removed.append(candidate)
    return removed
