"""Start at login, per operating system, behind one small API.

``autostart_entry`` only *describes* what would be written, so every platform's entry can be
built and checked on any machine; ``enable``/``disable``/``is_enabled`` touch the real place.
Linux and the BSDs use an XDG autostart file, macOS a LaunchAgent, Windows the ``Run`` key of
the current user (``winreg`` is imported only when a registry entry is really used).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from stretchbreak import APP_ID
from stretchbreak.infra.atomic_file import write_atomically

__all__ = [
    "APP_ID",
    "RUN_KEY",
    "AutostartEntry",
    "AutostartError",
    "FileEntry",
    "RegistryEntry",
    "autostart_entry",
    "desktop_exec",
    "disable",
    "enable",
    "is_current",
    "is_enabled",
    "launch_command",
    "windows_command_line",
    "xdg_base",
]

SCRIPT_NAME = "stretchbreak"
DESKTOP_NAME = "stretchbreak.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "stretchbreak"

# Characters that make the desktop-entry spec require an Exec argument to be quoted.
_RESERVED = frozenset(" \t\"'\\><~|&;$*?#()`")
_NEEDS_BACKSLASH = re.compile(r'([`"$\\])')
_BSD = ("freebsd", "openbsd", "netbsd", "dragonfly")


class AutostartError(OSError):
    """Start at login cannot be set up here; the message says what and why."""


@dataclass(frozen=True)
class FileEntry:
    """A file that starts the app at login (XDG autostart file or LaunchAgent plist)."""

    path: Path
    content: bytes

    @property
    def location(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class RegistryEntry:
    """A string value under ``HKEY_CURRENT_USER`` that Windows runs at login."""

    key: str
    value_name: str
    data: str

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{self.key}\\{self.value_name}"


AutostartEntry = FileEntry | RegistryEntry


# ------------------------------------------------------------------ the command


def launch_command(
    executable: str | None,
    data_dir: Path | str | None = None,
    *,
    search_path: str | None = None,
) -> list[str]:
    """The command that starts this install of the app, with absolute paths only.

    ``executable`` is the interpreter running the app (``sys.executable``, which may be empty
    when embedded). The launcher script beside it wins, since it surely belongs to this very
    install (a venv's ``bin`` is usually not on the login session's PATH); then a
    ``stretchbreak`` on ``search_path`` (default: PATH); then ``python -m stretchbreak``.
    ``--data-dir`` is carried over so the app started at login uses the same data.
    """
    command: list[str]
    found = _beside(executable) or shutil.which(SCRIPT_NAME, path=search_path)
    if found:
        command = [str(Path(found).absolute())]
    elif executable:
        command = [_windowless(Path(executable).absolute()), "-m", SCRIPT_NAME]
    else:
        raise AutostartError("cannot tell how to start stretchbreak: no launcher, no interpreter")
    if data_dir is not None:
        command += ["--data-dir", str(Path(data_dir).expanduser().absolute())]
    return command


def _beside(executable: str | None) -> str | None:
    if not executable:
        return None
    folder = Path(executable).absolute().parent
    # Windows keeps scripts in Scripts\ beside python.exe, except inside a venv.
    return shutil.which(SCRIPT_NAME, path=os.pathsep.join([str(folder), str(folder / "Scripts")]))


def _windowless(interpreter: Path) -> str:
    """On Windows, ``pythonw.exe`` starts the app at login without a console window."""
    quiet = interpreter.with_name("pythonw.exe")
    if interpreter.name.lower() == "python.exe" and quiet.is_file():
        return str(quiet)
    return str(interpreter)


def desktop_exec(command: Sequence[str]) -> str:
    """An Exec value as the desktop-entry spec wants it: quoted, then escaped as a string."""
    if not command:
        raise ValueError("empty command")
    return " ".join(_escape_value(_quote_exec_arg(arg)) for arg in command)


def _quote_exec_arg(arg: str) -> str:
    if any(char in arg for char in "\n\r\0"):
        raise ValueError(f"a command argument cannot hold a line break or NUL: {arg!r}")
    arg = arg.replace("%", "%%")  # a lone % would be a field code such as %f
    if arg and not _RESERVED.intersection(arg):
        return arg
    return '"' + _NEEDS_BACKSLASH.sub(r"\\\1", arg) + '"'


def _escape_value(text: str) -> str:
    return text.replace("\\", "\\\\")


def windows_command_line(command: Sequence[str]) -> str:
    """The program always in quotes, so a path with spaces cannot start the wrong file."""
    if not command:
        raise ValueError("empty command")
    program, *args = command
    import subprocess  # here, not at the top: the tray process never needs it

    return " ".join([f'"{program}"', subprocess.list2cmdline(args)]).rstrip()


# ------------------------------------------------------------------ the entry


def autostart_entry(
    platform: str, env: Mapping[str, str], home: Path, command: Sequence[str]
) -> AutostartEntry:
    """What enabling would write for ``platform`` (a ``sys.platform`` value)."""
    if platform == "win32":
        return RegistryEntry(RUN_KEY, RUN_VALUE, windows_command_line(command))
    if platform == "darwin":
        return FileEntry(
            home / "Library" / "LaunchAgents" / f"{APP_ID}.plist", _launch_agent(command)
        )
    if platform.startswith(("linux", "sunos", *_BSD)):
        folder = xdg_base(env, "XDG_CONFIG_HOME", home / ".config") / "autostart"
        return FileEntry(folder / DESKTOP_NAME, _autostart_desktop(command).encode("utf-8"))
    raise AutostartError(f"start at login is not supported on {platform!r}")


def xdg_base(env: Mapping[str, str], variable: str, fallback: Path) -> Path:
    """An XDG base folder; the spec says an empty or relative value is to be ignored."""
    configured = Path(env.get(variable, ""))
    return configured if configured.is_absolute() else fallback


def _autostart_desktop(command: Sequence[str]) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=stretchbreak",
        "GenericName=Stretch break reminder",
        "Comment=Starts stretchbreak quietly in the tray when you log in",
        f"Exec={desktop_exec(command)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "StartupNotify=false",
        "X-GNOME-Autostart-enabled=true",
        # KDE: wait for the panel, so the tray icon has somewhere to go.
        "X-KDE-autostart-after=panel",
    ]
    return "\n".join(lines) + "\n"


def _launch_agent(command: Sequence[str]) -> bytes:
    agent = {
        "Label": APP_ID,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",  # only in a graphical login, never over ssh
    }
    import plistlib  # macOS only; it brings an XML parser

    return plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=True)


# ------------------------------------------------------------------ file entries


def _file_enabled(entry: FileEntry) -> bool:
    """Present and not switched off by the desktop (GNOME and KDE flip a key, not the file)."""
    try:
        data = entry.path.read_bytes()
    except FileNotFoundError:
        return False
    if entry.path.suffix == ".plist":
        import plistlib

        try:
            agent = plistlib.loads(data)
        except Exception:  # launchd cannot load a broken plist: it is not enabled
            return False
        return isinstance(agent, dict) and not agent.get("Disabled", False)
    keys = _desktop_keys(data.decode("utf-8", errors="replace"))
    return (
        keys.get("Hidden", "false") != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true") != "false"
    )


def _desktop_keys(text: str) -> dict[str, str]:
    """The ``[Desktop Entry]`` group's keys; other groups and comments are skipped."""
    keys: dict[str, str] = {}
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif group == "Desktop Entry" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


# ------------------------------------------------------------------ registry entries


class _Key(Protocol):
    def __enter__(self) -> _Key: ...
    def __exit__(self, *exc: object) -> None: ...


class _WinReg(Protocol):
    """The few ``winreg`` names used here; a fake module can stand in for it in tests."""

    HKEY_CURRENT_USER: int
    KEY_QUERY_VALUE: int
    KEY_SET_VALUE: int
    REG_SZ: int

    def CreateKeyEx(self, key: int, sub_key: str, reserved: int, access: int) -> _Key: ...  # noqa: N802
    def OpenKey(self, key: int, sub_key: str, reserved: int, access: int) -> _Key: ...  # noqa: N802
    def SetValueEx(  # noqa: N802
        self, key: _Key, value_name: str, reserved: int, type: int, value: str
    ) -> None: ...
    def QueryValueEx(self, key: _Key, name: str) -> tuple[Any, int]: ...  # noqa: N802
    def DeleteValue(self, key: _Key, value: str) -> None: ...  # noqa: N802


def _winreg() -> _WinReg:
    try:
        module = importlib.import_module("winreg")
    except ImportError:
        raise AutostartError("the Windows registry is only available on Windows") from None
    return cast(_WinReg, module)


@contextlib.contextmanager
def _existing_key(reg: _WinReg, key: str, access: int) -> Iterator[_Key | None]:
    """The key, or None when it does not exist (so there is nothing to read or remove)."""
    try:
        opened = reg.OpenKey(reg.HKEY_CURRENT_USER, key, 0, access)
    except FileNotFoundError:
        yield None
        return
    with opened as handle:
        yield handle


def _registry_value(entry: RegistryEntry) -> str | None:
    reg = _winreg()
    with _existing_key(reg, entry.key, reg.KEY_QUERY_VALUE) as handle:
        if handle is None:
            return None
        try:
            value, _kind = reg.QueryValueEx(handle, entry.value_name)
        except FileNotFoundError:
            return None
    return str(value)


# ------------------------------------------------------------------ the API


def enable(entry: AutostartEntry) -> None:
    """Write the entry, replacing any older one (e.g. with a command from a moved install)."""
    if isinstance(entry, FileEntry):
        write_atomically(entry.path, entry.content, mode=0o644)  # a desktop file, not a secret
        return
    reg = _winreg()
    with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, entry.key, 0, reg.KEY_SET_VALUE) as handle:
        reg.SetValueEx(handle, entry.value_name, 0, reg.REG_SZ, entry.data)


def disable(entry: AutostartEntry) -> None:
    """Remove our entry and nothing else; nothing to remove is fine."""
    if isinstance(entry, FileEntry):
        entry.path.unlink(missing_ok=True)
        return
    reg = _winreg()
    with _existing_key(reg, entry.key, reg.KEY_SET_VALUE) as handle:
        if handle is not None:
            with contextlib.suppress(FileNotFoundError):
                reg.DeleteValue(handle, entry.value_name)


def is_enabled(entry: AutostartEntry) -> bool:
    """Whether the app starts at login now, whatever command the entry holds."""
    if isinstance(entry, FileEntry):
        return _file_enabled(entry)
    return _registry_value(entry) is not None


def is_current(entry: AutostartEntry) -> bool:
    """Whether exactly this entry is in place; False after a move means: enable again."""
    if isinstance(entry, FileEntry):
        try:
            return entry.path.read_bytes() == entry.content
        except FileNotFoundError:
            return False
    return _registry_value(entry) == entry.data
