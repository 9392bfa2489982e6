"""The export file on a real disk: written whole, private, and never half on failure."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from stretchbreak.infra.export_file import write_export


def test_an_export_replaces_the_file_whole_and_privately(tmp_path: Path) -> None:
    target = tmp_path / "exports" / "stretches.csv"
    write_export(target, "first\n")
    write_export(target, "zweite Fassung – ünïcode\n")
    assert target.read_text(encoding="utf-8") == "zweite Fassung – ünïcode\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["stretches.csv"]


def test_a_failed_export_leaves_no_half_file(tmp_path: Path) -> None:
    taken = tmp_path / "stretches.csv"
    taken.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(IsADirectoryError):
        write_export(taken, "rows\n")
    assert taken.is_dir()
    assert list(tmp_path.iterdir()) == [taken]  # no temporary file left beside it


def test_a_folder_that_is_a_file_is_an_error_the_caller_can_show(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises((FileExistsError, NotADirectoryError)):
        write_export(blocker / "stretches.json", "{}")
    assert blocker.read_text(encoding="utf-8") == "x"
