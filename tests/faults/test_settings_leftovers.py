"""What a save killed half-way leaves, and a settings file kept elsewhere, meet the real app."""

from __future__ import annotations

from pathlib import Path

from tests.app_process import LOG_NAME, quit_app, running_app


def test_a_start_removes_leftovers_of_a_killed_save_and_keeps_a_linked_file(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    kept = tmp_path / "dotfiles" / "stretchbreak.toml"
    kept.parent.mkdir()
    kept.write_text("[reminders]\ninterval_minutes = 40\n", encoding="utf-8")
    (data / "settings.toml").symlink_to(kept)
    leftovers = [data / ".settings.toml.x81kq_2.tmp", data / ".schedule-state.json.abc.tmp"]
    for file in leftovers:
        file.write_text("half a save", encoding="utf-8")
    with running_app(data) as app:
        quit_app(data, app)
    assert [file for file in leftovers if file.exists()] == []
    assert (data / "settings.toml").is_symlink()
    assert kept.read_text(encoding="utf-8") == "[reminders]\ninterval_minutes = 40\n"
    assert "removed" in (data / LOG_NAME).read_text(encoding="utf-8")
