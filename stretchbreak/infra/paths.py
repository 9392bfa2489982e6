"""Where the app keeps its files, as a value computed once and passed around.

By default the folders come from platformdirs; one ``--data-dir`` root (or the
``STRETCHBREAK_DATA_DIR`` variable) puts every file under that root with fixed names, which
is what tests and people who keep their data in a synced folder use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import platformdirs

APP_NAME = "stretchbreak"
DATA_DIR_VARIABLE = "STRETCHBREAK_DATA_DIR"
DATABASE_NAME = "stretchbreak.sqlite3"
SETTINGS_NAME = "settings.toml"
LOGS_NAME = "logs"
#: Every file name the app uses, in one place (``AppPaths`` joins them to their folders).
LOG_NAME = "stretchbreak.log"
WINDOW_STATE_NAME = "window-state.ini"
SCHEDULE_STATE_NAME = "schedule-state.json"
WELCOME_MARK_NAME = "welcome-shown"
LOCK_NAME = "stretchbreak.lock"
#: The command socket's name: this, then a hash of the user and the data folder
#: (``infra.instance.socket_name``); it lies in the user's private runtime folder.
SOCKET_PREFIX = "stretchbreak-"
#: Beside the socket: held by the one launch at a time that checks the socket and takes it.
SOCKET_LOCK_SUFFIX = ".lock"
#: Beside the socket: the data folder's lock, where the data folder cannot hold one.
SPARE_LOCK_SUFFIX = ".data-lock"
#: The longest file or folder name most file systems take (ext4, btrfs, NTFS, APFS: 255).
NAME_MAX = 255


class PathsError(ValueError):
    """A data folder that cannot be used; the message names it and says why."""


class AppPaths(NamedTuple):
    """Where one run keeps its files (a NamedTuple: the start path avoids loading dataclasses)."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def settings(self) -> Path:
        return self.config_dir / SETTINGS_NAME

    @property
    def log_file(self) -> Path:
        """The app's own log (rotated beside it)."""
        return self.log_dir / LOG_NAME

    @property
    def window_state(self) -> Path:
        """Where the guided and history windows keep their size and place."""
        return self.config_dir / WINDOW_STATE_NAME

    @property
    def schedule_state(self) -> Path:
        """The coordinator's saved plan: snoozes and pauses survive a restart."""
        return self.data_dir / SCHEDULE_STATE_NAME

    @property
    def welcome_mark(self) -> Path:
        """Written once the welcome has been shown for this data folder."""
        return self.data_dir / WELCOME_MARK_NAME

    @property
    def data_lock(self) -> Path:
        """Held by the one app that runs on this data folder."""
        return self.data_dir / LOCK_NAME

    @staticmethod
    def socket_lock(socket: Path) -> Path:
        """Beside the command socket (in the runtime folder, not under these folders): held
        by one starting launch at a time while it checks the socket and takes it."""
        return socket.with_name(socket.name + SOCKET_LOCK_SUFFIX)

    @staticmethod
    def spare_data_lock(socket: Path) -> Path:
        """Beside the command socket: ``data_lock`` where the data folder cannot hold a lock
        (read-only, a network file system without locks); still one per data folder."""
        return socket.with_name(socket.name + SPARE_LOCK_SUFFIX)

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """Every file under one root: the database, ``settings.toml`` and ``logs/``."""
        root = root.expanduser().absolute()
        return cls(data_dir=root, config_dir=root, log_dir=root / LOGS_NAME)

    @classmethod
    def for_user(cls) -> AppPaths:
        """The platform's per-user folders (XDG on Linux, AppData on Windows, Library on macOS)."""
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def as_dict(self) -> dict[str, str]:
        """The three locations people look for, keyed as ``stretchbreak paths --json`` shows."""
        return {
            "database": str(self.database),
            "settings": str(self.settings),
            "logs": str(self.log_dir),
        }

    def create_folders(self) -> None:
        """Create the folders private to the user (0700); existing ones keep their mode."""
        for folder in (self.data_dir, self.config_dir, self.log_dir):
            make_private_folder(folder)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents 0700, whatever the umask (``mkdir``'s mode
    is masked, and ``parents=True`` gives the parents the umask's mode); existing folders
    keep their mode, because they are not ours to change."""
    missing = [part for part in (folder, *folder.parents) if not part.exists()]
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:  # pragma: no cover - made by another process meanwhile: not ours
            continue
        part.chmod(0o700)


def resolve_paths(data_dir: str | None, environ: Mapping[str, str] = os.environ) -> AppPaths:
    """Pick the paths from ``--data-dir``, then the environment, then the platform defaults."""
    chosen = data_dir if data_dir is not None else environ.get(DATA_DIR_VARIABLE)
    if chosen is None:
        return AppPaths.for_user()
    if not chosen.strip():
        source = "--data-dir" if data_dir is not None else DATA_DIR_VARIABLE
        raise PathsError(f"{source} is empty; give a folder path")
    root = Path(chosen).expanduser()
    for part in root.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise PathsError(
                f"{root} cannot be used: a folder name in it is {len(os.fsencode(part))} bytes "
                f"long, and names may be at most {NAME_MAX} bytes long"
            )
    try:
        if root.exists() and not root.is_dir():
            raise PathsError(f"{root} is not a folder")
    except OSError as error:  # a path too long as a whole, a folder we may not look into
        raise PathsError(f"{root} cannot be used: {error.strerror or error}") from None
    return AppPaths.under(root)
