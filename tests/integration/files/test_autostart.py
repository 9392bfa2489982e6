"""Start at login: the XDG file written for real, the LaunchAgent and the Run key by content.

The Windows registry is reached through a fake ``winreg`` module, so the very code that runs
on Windows is exercised here too.
"""

from __future__ import annotations

import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchbreak.infra.atomic_file import write_atomically
from stretchbreak.infra.autostart import (
    RUN_KEY,
    AutostartError,
    FileEntry,
    RegistryEntry,
    autostart_entry,
    desktop_exec,
    disable,
    enable,
    is_current,
    is_enabled,
    launch_command,
    windows_command_line,
)

COMMAND = ["/opt/stretch break/bin/stretchbreak", "--data-dir", "/home/me/my data"]


def _script(folder: Path, name: str = "stretchbreak") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def _desktop_keys(path: Path) -> dict[str, str]:
    """Read back the way a desktop reads it: one group, ``key=value`` lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def _parse_exec(value: str) -> list[str]:
    """The desktop-entry spec's reading of an Exec value: string escapes, then quoting."""
    text, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            text += {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(value[i + 1], value[i + 1])
            i += 2
        else:
            text += value[i]
            i += 1
    args: list[str] = []
    current: str | None = None
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\" and text[i + 1] in '"`$\\':
                current = (current or "") + text[i + 1]
                i += 1
            elif char == '"':
                quoted = False
            else:
                current = (current or "") + char
        elif char == " ":
            if current is not None:
                args.append(current)
            current = None
        elif char == '"':
            quoted, current = True, current or ""
        else:
            current = (current or "") + char
        i += 1
    assert not quoted, f"unclosed quote in {value!r}"
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


# ------------------------------------------------------------------ the command


def test_the_launcher_beside_the_interpreter_wins(tmp_path: Path) -> None:
    beside = _script(tmp_path / "venv" / "bin")
    _script(tmp_path / "elsewhere")
    python = tmp_path / "venv" / "bin" / "python"
    command = launch_command(str(python), search_path=str(tmp_path / "elsewhere"))
    assert command == [str(beside)]


def test_a_launcher_on_the_path_comes_next(tmp_path: Path) -> None:
    on_path = _script(tmp_path / "elsewhere")
    python = tmp_path / "python" / "python3"
    assert launch_command(str(python), search_path=str(tmp_path / "elsewhere")) == [str(on_path)]
    assert launch_command(None, search_path=str(tmp_path / "elsewhere")) == [str(on_path)]


def test_without_a_launcher_the_interpreter_runs_the_package(tmp_path: Path) -> None:
    python = tmp_path / "python3"
    assert launch_command(str(python), search_path="") == [str(python), "-m", "stretchbreak"]


def test_on_windows_the_console_free_interpreter_is_chosen(tmp_path: Path) -> None:
    python = _script(tmp_path, "python.exe")
    pythonw = _script(tmp_path, "pythonw.exe")
    assert launch_command(str(python), search_path="")[0] == str(pythonw)


def test_the_data_dir_is_carried_over_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    command = launch_command(str(tmp_path / "python3"), "my-data", search_path="")
    assert command[-2:] == ["--data-dir", str(tmp_path / "my-data")]
    command = launch_command(str(tmp_path / "python3"), Path("/srv/data"), search_path="")
    assert command[-2:] == ["--data-dir", str(Path("/srv/data").absolute())]


def test_no_launcher_and_no_interpreter_is_a_clear_error() -> None:
    with pytest.raises(AutostartError, match="cannot tell how to start"):
        launch_command("", search_path="")


def test_the_real_launcher_of_this_environment_is_found() -> None:
    command = launch_command(sys.executable)
    assert Path(command[0]).is_absolute()
    assert command[0].endswith(("stretchbreak", "stretchbreak.exe")) or command[1:] == [
        "-m",
        "stretchbreak",
    ]


# ------------------------------------------------------------------ Exec quoting


def test_exec_arguments_are_quoted_and_escaped_as_the_spec_says() -> None:
    value = desktop_exec(["/opt/my apps/stretchbreak", "--data-dir", '/a "b"/$x\\y', "50%"])
    assert value == '"/opt/my apps/stretchbreak" --data-dir "/a \\\\"b\\\\"/\\\\$x\\\\\\\\y" 50%%'
    assert desktop_exec(["stretchbreak", ""]) == 'stretchbreak ""'


@given(st.lists(st.text(st.characters(exclude_categories=("Cc", "Cs"))), min_size=1))
def test_exec_values_read_back_as_the_same_arguments(command: list[str]) -> None:
    assert _parse_exec(desktop_exec(command)) == command


@pytest.mark.parametrize("command", [[], ["stretchbreak", "two\nlines"]])
def test_commands_a_desktop_file_cannot_hold_are_refused(command: list[str]) -> None:
    with pytest.raises(ValueError, match=r"empty|line break"):
        desktop_exec(command)


# ------------------------------------------------------------------ Linux and the BSDs


def test_the_linux_entry_is_written_read_and_removed_for_real(tmp_path: Path) -> None:
    config = tmp_path / "config"
    entry = autostart_entry("linux", {"XDG_CONFIG_HOME": str(config)}, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    assert entry.path == config / "autostart" / "stretchbreak.desktop"
    assert entry.location == str(entry.path)
    assert not is_enabled(entry)
    assert not is_current(entry)

    enable(entry)  # the folder does not exist yet
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o644
    keys = _desktop_keys(entry.path)
    assert _parse_exec(keys["Exec"]) == COMMAND
    assert keys["Type"] == "Application"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert keys["Terminal"] == "false"
    assert keys["Icon"] == "io.github.stretchbreak"
    assert is_enabled(entry)
    assert is_current(entry)

    foreign = entry.path.with_name("someone-else.desktop")
    foreign.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    enable(entry)  # again: replaces ours, leaves theirs
    disable(entry)
    assert not entry.path.exists()
    assert not is_enabled(entry)
    disable(entry)  # nothing left to remove is fine
    assert foreign.read_text().endswith("Exec=other\n")
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["someone-else.desktop"]


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)",
)
def test_the_linux_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    entry = autostart_entry("linux", {}, tmp_path, ['/tmp/a "b"/$HOME/stretchbreak', "x%y"])
    enable(entry)
    result = subprocess.run(
        ["desktop-file-validate", entry.location], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("value", [None, "", "relative/config"])
def test_a_missing_or_relative_xdg_config_home_means_the_default(
    tmp_path: Path, value: str | None
) -> None:
    env = {} if value is None else {"XDG_CONFIG_HOME": value}
    entry = autostart_entry("linux", env, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    assert entry.path == tmp_path / ".config" / "autostart" / "stretchbreak.desktop"


@pytest.mark.parametrize("platform", ["freebsd14", "openbsd7", "netbsd10", "sunos5"])
def test_the_bsds_use_the_xdg_entry_too(tmp_path: Path, platform: str) -> None:
    entry = autostart_entry(platform, {}, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    assert entry.path.name == "stretchbreak.desktop"


def test_an_unknown_platform_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AutostartError, match="not supported on 'emscripten'"):
        autostart_entry("emscripten", {}, tmp_path, COMMAND)


@pytest.mark.parametrize(
    "switch",
    ["X-GNOME-Autostart-enabled=false", "Hidden=true"],
)
def test_an_entry_switched_off_by_the_desktop_is_not_enabled(tmp_path: Path, switch: str) -> None:
    entry = autostart_entry("linux", {}, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    text = entry.content.decode().replace("X-GNOME-Autostart-enabled=true", switch)
    write_atomically(entry.path, f"# edited by the desktop\n{text}[Other]\nHidden=false\n".encode())
    assert not is_enabled(entry)
    assert not is_current(entry)
    enable(entry)
    assert is_enabled(entry)


def test_an_entry_from_a_moved_install_is_enabled_but_not_current(tmp_path: Path) -> None:
    old = autostart_entry("linux", {}, tmp_path, ["/old/place/stretchbreak"])
    new = autostart_entry("linux", {}, tmp_path, ["/new/place/stretchbreak"])
    enable(old)
    assert is_enabled(new)
    assert not is_current(new)
    enable(new)
    assert is_current(new)


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "autostart" / "stretchbreak.desktop"
    target.mkdir(parents=True)  # a folder in the way: the final rename fails
    with pytest.raises(OSError, match="directory"):
        write_atomically(target, b"[Desktop Entry]\n")
    assert [p.name for p in target.parent.iterdir()] == ["stretchbreak.desktop"]


# ------------------------------------------------------------------ macOS


def test_the_macos_entry_is_a_launch_agent(tmp_path: Path) -> None:
    entry = autostart_entry("darwin", {"XDG_CONFIG_HOME": "/ignored"}, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    assert entry.path == tmp_path / "Library" / "LaunchAgents" / "io.github.stretchbreak.plist"
    agent = plistlib.loads(entry.content)
    assert agent["Label"] == "io.github.stretchbreak"
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True
    assert "KeepAlive" not in agent  # quitting the app must not make launchd restart it

    enable(entry)
    assert is_enabled(entry)
    assert is_current(entry)
    disable(entry)
    assert not is_enabled(entry)


@pytest.mark.parametrize(
    ("content", "enabled"),
    [
        (plistlib.dumps({"Label": "io.github.stretchbreak", "Disabled": True}), False),
        (plistlib.dumps(["not", "a", "dict"]), False),
        (b"<?xml version='1.0'?><plist><dict><key>broken", False),
        (plistlib.dumps({"Label": "io.github.stretchbreak"}), True),
    ],
)
def test_a_launch_agent_is_enabled_only_when_launchd_would_load_it(
    tmp_path: Path, content: bytes, enabled: bool
) -> None:
    entry = autostart_entry("darwin", {}, tmp_path, COMMAND)
    assert isinstance(entry, FileEntry)
    write_atomically(entry.path, content)
    assert is_enabled(entry) is enabled


# ------------------------------------------------------------------ Windows


class FakeKey:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.closed = False

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True


class FakeWinreg:
    """The part of ``winreg`` the module uses, over a dict of keys under HKEY_CURRENT_USER."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_QUERY_VALUE = 0x0001
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {}
        self.opened: list[FakeKey] = []

    def _key(self, values: dict[str, str]) -> FakeKey:
        key = FakeKey(values)
        self.opened.append(key)
        return key

    def CreateKeyEx(self, hive: int, sub_key: str, reserved: int, access: int) -> FakeKey:
        assert (hive, reserved, access) == (self.HKEY_CURRENT_USER, 0, self.KEY_SET_VALUE)
        return self._key(self.keys.setdefault(sub_key, {}))

    def OpenKey(self, hive: int, sub_key: str, reserved: int, access: int) -> FakeKey:
        assert hive == self.HKEY_CURRENT_USER
        if sub_key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._key(self.keys[sub_key])

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: str) -> None:
        assert kind == self.REG_SZ
        key.values[name] = value

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name], self.REG_SZ

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


@pytest.fixture
def winreg(monkeypatch: pytest.MonkeyPatch) -> FakeWinreg:
    fake = FakeWinreg()
    monkeypatch.setitem(sys.modules, "winreg", fake)
    return fake


WINDOWS_COMMAND = [r"C:\Program Files\stretchbreak\stretchbreak.exe", "--data-dir", r"D:\my data\\"]


def test_the_windows_entry_is_a_quoted_run_value(tmp_path: Path) -> None:
    entry = autostart_entry("win32", {}, tmp_path, WINDOWS_COMMAND)
    assert entry == RegistryEntry(
        RUN_KEY,
        "stretchbreak",
        r'"C:\Program Files\stretchbreak\stretchbreak.exe" --data-dir "D:\my data\\\\"',
    )
    assert entry.location == (
        r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\stretchbreak"
    )
    assert windows_command_line([r"C:\Apps\stretchbreak.exe"]) == r'"C:\Apps\stretchbreak.exe"'
    with pytest.raises(ValueError, match="empty"):
        windows_command_line([])


def test_the_run_value_is_written_read_and_removed(tmp_path: Path, winreg: FakeWinreg) -> None:
    entry = autostart_entry("win32", {}, tmp_path, WINDOWS_COMMAND)
    assert isinstance(entry, RegistryEntry)
    other = {"OneDrive": '"C:\\OneDrive.exe" /background'}
    assert not is_enabled(entry)  # the Run key does not even exist yet
    disable(entry)  # nor does that stop disabling
    winreg.keys[RUN_KEY] = dict(other)
    assert not is_enabled(entry)
    assert not is_current(entry)

    enable(entry)
    assert winreg.keys[RUN_KEY]["stretchbreak"] == entry.data
    assert is_enabled(entry)
    assert is_current(entry)
    moved = autostart_entry("win32", {}, tmp_path, [r"E:\stretchbreak.exe"])
    assert is_enabled(moved)
    assert not is_current(moved)

    disable(entry)
    assert winreg.keys[RUN_KEY] == other
    disable(entry)
    assert not is_enabled(entry)
    assert all(key.closed for key in winreg.opened)


def test_without_a_registry_the_windows_entry_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "winreg", None)  # what every other platform sees
    entry = autostart_entry("win32", {}, tmp_path, WINDOWS_COMMAND)
    for action in (enable, disable, is_enabled, is_current):
        with pytest.raises(AutostartError, match="only available on Windows"):
            action(entry)
