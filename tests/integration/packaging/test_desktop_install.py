"""The menu entry, icon and metainfo installed for real under the test's private XDG_DATA_HOME."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from stretchbreak.infra.desktop_install import install_desktop, uninstall_desktop
from stretchbreak.infra.resources import resources_dir

COMMAND = ["/opt/stretch break/bin/stretchbreak", "--data-dir", "/home/me/data"]


@pytest.fixture
def data_home() -> Path:
    """tests/conftest.py points XDG_DATA_HOME at a temporary folder for every test."""
    return Path(os.environ["XDG_DATA_HOME"])


def _exec_line(path: Path) -> str:
    (line,) = [line for line in path.read_text().splitlines() if line.startswith("Exec=")]
    return line


def test_the_three_files_land_where_desktops_look(data_home: Path, private_home: Path) -> None:
    written = install_desktop(private_home, os.environ, COMMAND)
    assert written == [
        data_home / "applications" / "io.github.stretchbreak.desktop",
        data_home / "icons/hicolor/scalable/apps/io.github.stretchbreak.svg",
        data_home / "metainfo" / "io.github.stretchbreak.metainfo.xml",
    ]
    shipped = resources_dir()
    entry, icon, metainfo = written
    assert (
        _exec_line(entry) == 'Exec="/opt/stretch break/bin/stretchbreak" --data-dir /home/me/data'
    )
    shipped_lines = (shipped / "desktop" / entry.name).read_text().splitlines()
    assert [line for line in entry.read_text().splitlines() if not line.startswith("Exec=")] == [
        line for line in shipped_lines if not line.startswith("Exec=")
    ]
    assert icon.read_bytes() == (shipped / "icons" / icon.name).read_bytes()
    assert metainfo.read_bytes() == (shipped / "desktop" / metainfo.name).read_bytes()
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_installing_again_writes_the_same_files_and_nothing_else(
    data_home: Path, private_home: Path
) -> None:
    first = install_desktop(private_home, os.environ, ["/old/stretchbreak"])
    before = {path: path.read_bytes() for path in first}
    second = install_desktop(private_home, os.environ, ["/old/stretchbreak"])
    assert second == first
    assert {path: path.read_bytes() for path in second} == before
    leftovers = [p for p in data_home.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    moved = install_desktop(private_home, os.environ, ["/new/stretchbreak"])
    assert _exec_line(moved[0]) == "Exec=/new/stretchbreak"


@pytest.mark.parametrize("value", [None, "relative/share"])
def test_without_a_usable_xdg_data_home_the_default_is_used(
    tmp_path: Path, value: str | None
) -> None:
    env = {"PATH": ""} if value is None else {"PATH": "", "XDG_DATA_HOME": value}
    written = install_desktop(tmp_path, env, COMMAND)
    assert all(path.is_relative_to(tmp_path / ".local" / "share") for path in written)


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)",
)
def test_the_installed_entry_passes_desktop_file_validate(private_home: Path) -> None:
    entry = install_desktop(private_home, os.environ, ['/tmp/it\'s "here"/stretchbreak'])[0]
    result = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("update-desktop-database") is None,
    reason="update-desktop-database is not installed (Debian: desktop-file-utils)",
)
def test_the_real_menu_cache_is_refreshed(data_home: Path, private_home: Path) -> None:
    install_desktop(private_home, os.environ, COMMAND)
    assert (data_home / "applications" / "mimeinfo.cache").is_file()


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(body)
    path.chmod(0o755)


def test_cache_tools_that_fail_do_not_stop_the_install(
    tmp_path: Path, private_home: Path, data_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    calls = tmp_path / "calls.txt"
    _tool(tools, "update-desktop-database", f'#!/bin/sh\necho "$@" >> "{calls}"\nexit 3\n')
    _tool(tools, "gtk-update-icon-cache", "#!/nonexistent/interpreter\n")  # cannot even start
    env = {**os.environ, "PATH": str(tools)}
    with caplog.at_level(logging.INFO, logger="stretchbreak.infra.desktop_install"):
        written = install_desktop(private_home, env, COMMAND)
    assert all(path.is_file() for path in written)
    assert calls.read_text() == f"--quiet {data_home / 'applications'}\n"
    assert "update-desktop-database exited with 3" in caplog.text
    assert "gtk-update-icon-cache could not run" in caplog.text


def test_uninstall_removes_exactly_what_install_wrote(data_home: Path, private_home: Path) -> None:
    neighbour = data_home / "applications" / "someone-else.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    written = install_desktop(private_home, os.environ, COMMAND)
    assert uninstall_desktop(private_home, os.environ) == written
    assert not any(path.exists() for path in written)
    assert neighbour.is_file()
    assert uninstall_desktop(private_home, os.environ) == []
