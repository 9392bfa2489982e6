"""Puts stretchbreak into the application menu of the current user on Linux and the BSDs.

A pip install leaves the menu entry, icon and metainfo inside the package, where no desktop
looks; this copies them into ``$XDG_DATA_HOME`` with the real launch command in ``Exec``.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from stretchbreak.infra.atomic_file import write_atomically
from stretchbreak.infra.autostart import APP_ID, desktop_exec, xdg_base
from stretchbreak.infra.resources import resources_dir

__all__ = ["DESKTOP_FILE", "ICON_FILE", "METAINFO_FILE", "install_desktop", "uninstall_desktop"]

log = logging.getLogger(__name__)

DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"
ICON_FILE = f"{APP_ID}.svg"

# The shipped entry says ``Exec=stretchbreak …``; only that first word is replaced.
_OUR_EXEC = re.compile(r"^Exec=stretchbreak(?=\s|$)", re.MULTILINE)
_TOOL_TIMEOUT_S = 30


def _data_home(home: Path, env: Mapping[str, str]) -> Path:
    return xdg_base(env, "XDG_DATA_HOME", home / ".local" / "share")


def _targets(data_home: Path) -> dict[str, Path]:
    """Shipped file (relative to resources/) → where the desktop looks for it."""
    return {
        f"desktop/{DESKTOP_FILE}": data_home / "applications" / DESKTOP_FILE,
        f"icons/{ICON_FILE}": data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE,
        f"desktop/{METAINFO_FILE}": data_home / "metainfo" / METAINFO_FILE,
    }


def _with_command(entry: str, command: Sequence[str]) -> str:
    """The shipped entry with the launch command that really starts this install."""
    exec_value = desktop_exec(command)
    return _OUR_EXEC.sub(lambda _match: f"Exec={exec_value}", entry)


def install_desktop(home: Path, env: Mapping[str, str], command: Sequence[str]) -> list[Path]:
    """Install (or refresh) the menu entry, icon and metainfo; returns the files written.

    Running it again writes the same files, so it doubles as "repair after a move".
    """
    source = resources_dir()
    data_home = _data_home(home, env)
    written: list[Path] = []
    for relative, target in _targets(data_home).items():
        data = (source / relative).read_bytes()
        if target.name == DESKTOP_FILE:
            data = _with_command(data.decode("utf-8"), command).encode("utf-8")
        write_atomically(target, data, 0o644)
        written.append(target)
    _refresh_caches(data_home, env)
    return written


def uninstall_desktop(home: Path, env: Mapping[str, str]) -> list[Path]:
    """Remove what ``install_desktop`` wrote; returns the files that were there."""
    data_home = _data_home(home, env)
    removed: list[Path] = []
    for target in _targets(data_home).values():
        if target.exists():
            target.unlink()
            removed.append(target)
    if removed:
        _refresh_caches(data_home, env)
    return removed


def _refresh_caches(data_home: Path, env: Mapping[str, str]) -> None:
    """Tell menus and GTK about the change; desktops without these tools rescan by themselves."""
    hicolor = data_home / "icons" / "hicolor"
    tools = (
        ("update-desktop-database", "--quiet", str(data_home / "applications")),
        ("gtk-update-icon-cache", "--force", "--ignore-theme-index", "--quiet", str(hicolor)),
    )
    for name, *args in tools:
        program = shutil.which(name, path=env.get("PATH"))
        if program is None:
            continue
        try:
            result = subprocess.run(
                [program, *args],
                capture_output=True,
                text=True,
                timeout=_TOOL_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            log.info("%s could not run: %s", name, error)
            continue
        if result.returncode != 0:
            log.info("%s exited with %d: %s", name, result.returncode, result.stderr.strip())
