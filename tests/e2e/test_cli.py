"""The command line as a user's script sees it: a real process, no display, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from stretchbreak import __version__


def stretchbreak(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m stretchbreak`` with no display and no Qt platform set."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    clean.pop("QT_QPA_PLATFORM", None)
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "stretchbreak", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=60,
        check=False,
    )


def test_version_without_a_display() -> None:
    result = stretchbreak("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"stretchbreak {__version__}"


def test_help_lists_the_global_options_and_commands() -> None:
    result = stretchbreak("--help")
    assert result.returncode == 0
    for word in ("--data-dir DIR", "--speed FACTOR", "--no-tray", "paths", "STRETCHBREAK_DATA_DIR"):
        assert word in result.stdout


def test_paths_prints_the_three_locations_under_a_data_dir(tmp_path: Path) -> None:
    result = stretchbreak("--data-dir", str(tmp_path), "paths")
    assert result.returncode == 0
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert lines == {
        "database": str(tmp_path / "stretchbreak.sqlite3"),
        "settings": str(tmp_path / "settings.toml"),
        "logs": str(tmp_path / "logs"),
    }
    assert list(tmp_path.iterdir()) == [], "printing paths writes nothing"


def test_paths_json_is_machine_readable_and_honours_the_variable(tmp_path: Path) -> None:
    result = stretchbreak("paths", "--json", env={"STRETCHBREAK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "database": str(tmp_path / "stretchbreak.sqlite3"),
        "settings": str(tmp_path / "settings.toml"),
        "logs": str(tmp_path / "logs"),
    }


def test_paths_json_uses_the_platform_folders_by_default(private_home: Path) -> None:
    result = stretchbreak("paths", "--json", env={"HOME": str(private_home)})
    assert result.returncode == 0
    located = json.loads(result.stdout)
    assert located["database"].endswith("stretchbreak/stretchbreak.sqlite3")
    assert located["settings"].endswith("stretchbreak/settings.toml")


def test_wrong_arguments_give_usage_and_exit_2_without_a_traceback() -> None:
    for args in (
        ("frobnicate",),
        ("--speed", "fast", "paths"),
        ("--speed", "0", "paths"),
        ("paths", "--xml"),
    ):
        result = stretchbreak(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("usage: stretchbreak"), args
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_a_file_as_data_dir_is_named_in_the_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = stretchbreak("--data-dir", str(blocker), "paths")
    assert result.returncode == 2
    assert f"{blocker} is not a folder" in result.stderr
    assert "Traceback" not in result.stderr
