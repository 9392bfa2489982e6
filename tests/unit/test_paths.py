"""Where files live: one --data-dir root, the environment variable, or the platform folders."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from stretchbreak.infra.paths import AppPaths, PathsError, resolve_paths


def test_a_data_dir_holds_every_file_under_fixed_names(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "root"), environ={})
    assert paths.database == tmp_path / "root" / "stretchbreak.sqlite3"
    assert paths.settings == tmp_path / "root" / "settings.toml"
    assert paths.log_dir == tmp_path / "root" / "logs"


def test_the_environment_variable_works_like_data_dir(tmp_path: Path) -> None:
    paths = resolve_paths(None, environ={"STRETCHBREAK_DATA_DIR": str(tmp_path)})
    assert paths.database == tmp_path / "stretchbreak.sqlite3"


def test_the_option_wins_over_the_environment(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "a"), environ={"STRETCHBREAK_DATA_DIR": str(tmp_path)})
    assert paths.data_dir == tmp_path / "a"


def test_a_relative_root_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_paths("data", environ={}).data_dir == tmp_path / "data"


def test_platform_folders_by_default(private_home: Path) -> None:
    paths = resolve_paths(None, environ={})
    assert paths.database == private_home / ".local/share/stretchbreak/stretchbreak.sqlite3"
    assert paths.settings == private_home / ".config/stretchbreak/settings.toml"
    assert paths.log_dir.is_relative_to(private_home)
    assert not paths.data_dir.exists(), "computing paths creates nothing"


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_root_is_refused_by_name(value: str) -> None:
    with pytest.raises(PathsError, match="--data-dir is empty"):
        resolve_paths(value, environ={})
    with pytest.raises(PathsError, match="STRETCHBREAK_DATA_DIR is empty"):
        resolve_paths(None, environ={"STRETCHBREAK_DATA_DIR": value})


def test_a_file_in_place_of_the_root_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PathsError, match="is not a folder"):
        resolve_paths(str(blocker), environ={})


def test_folders_are_created_private(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path / "root")
    paths.create_folders()
    for folder in (paths.data_dir, paths.log_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_three_locations_as_printed() -> None:
    paths = AppPaths.under(Path("/x"))
    assert paths.as_dict() == {
        "database": "/x/stretchbreak.sqlite3",
        "settings": "/x/settings.toml",
        "logs": "/x/logs",
    }


def test_a_folder_name_longer_than_file_systems_allow_is_refused(tmp_path: Path) -> None:
    root = tmp_path / ("a" * 300) / "data"
    with pytest.raises(PathsError, match="a folder name in it is 300 bytes long") as raised:
        resolve_paths(str(root), environ={})
    assert str(root) in str(raised.value)
