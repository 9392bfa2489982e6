"""settings.toml on disk: every broken file still starts the app, and no file is ever lost."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from stretchbreak.core.settings import Away, ReminderSettings, Settings
from stretchbreak.core.working_hours import TimeRange, WorkingHours
from stretchbreak.infra import settings_file
from stretchbreak.infra.settings_file import (
    HEADER,
    LoadedSettings,
    SettingsNotSaved,
    load_settings,
    remove_stale_temporaries,
    save_settings,
)

#: 10:00 in UTC+1: the name of a moved file must carry the UTC time, 09:00.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=1)))
STAMP = "20261124T090000Z"


def now() -> datetime:
    return NOW


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def write(path: Path, content: bytes | str) -> bytes:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def names(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


def custom() -> Settings:
    return Settings(
        reminders=ReminderSettings(
            interval_minutes=25,
            fixed_times=(datetime(2000, 1, 1, 15).time(),),
            working_hours=WorkingHours(sat=(TimeRange.parse("10:00-12:00"),), mon=()),
        ),
        away=Away(enabled=False, minutes=15),
    )


# ------------------------------------------------------------------ good files


def test_a_missing_file_means_defaults_and_is_not_created(path: Path) -> None:
    assert load_settings(path, now) == LoadedSettings(Settings())
    assert not path.parent.exists()


def test_settings_survive_a_save_and_a_load(path: Path) -> None:
    save_settings(path, custom())
    assert load_settings(path, now) == LoadedSettings(custom())
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "docs/settings.md" in text.splitlines()[0]
    assert tomllib.loads(text)["reminders"]["working_hours"]["sat"] == ["10:00-12:00"]


def test_a_saved_file_is_private_in_a_private_folder(path: Path) -> None:
    deep = path.parent / "a" / "b" / "settings.toml"
    save_settings(deep, Settings())
    assert stat.S_IMODE(deep.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent / "a", path.parent / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_saving_over_a_file_makes_it_private_and_keeps_the_folder_mode(path: Path) -> None:
    write(path, "")
    path.chmod(0o644)
    path.parent.chmod(0o755)
    save_settings(path, Settings())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o755


def test_an_atomic_save_leaves_no_temporary_file(path: Path) -> None:
    save_settings(path, Settings())
    save_settings(path, custom())
    assert names(path.parent) == ["settings.toml"]


def test_a_failed_save_keeps_the_old_file_and_leaves_nothing_behind(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(path, Settings())
    before = path.read_bytes()

    def refuse(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(SettingsNotSaved, match="No space left"):
        save_settings(path, custom())
    assert path.read_bytes() == before
    assert names(path.parent) == ["settings.toml"]


def test_unknown_keys_are_kept_when_the_app_saves(path: Path) -> None:
    write(
        path,
        """
        colour = "teal"
        [reminders]
        interval_minutes = 40
        snooze_minutes = [5, 10]
        [reminders.working_hours]
        holidays = ["2026-12-25"]
        [plugins.calendar]
        url = "https://example.org/cal.ics"
        """,
    )
    loaded = load_settings(path, now)
    assert loaded.settings.reminders.interval_minutes == 40
    assert len(loaded.problems) == 4
    changed = Settings(
        reminders=ReminderSettings(interval_minutes=30), unknown=loaded.settings.unknown
    )
    save_settings(path, changed)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["colour"] == "teal"
    assert data["reminders"]["interval_minutes"] == 30
    assert data["reminders"]["snooze_minutes"] == [5, 10]
    assert data["reminders"]["working_hours"]["holidays"] == ["2026-12-25"]
    assert data["plugins"] == {"calendar": {"url": "https://example.org/cal.ics"}}
    assert load_settings(path, now).settings == changed


def test_a_byte_order_mark_is_accepted(path: Path) -> None:
    write(path, b"\xef\xbb\xbf[away]\nminutes = 9\n")
    assert load_settings(path, now) == LoadedSettings(Settings(away=Away(minutes=9)))


# ------------------------------------------------------------------ readable files with bad values


def test_bad_values_fall_back_and_the_file_is_left_as_written(path: Path) -> None:
    original = write(
        path,
        '[reminders]\ninterval_minutes = -5\nlull_seconds = "3"\n[break]\nsound = 1\n',
    )
    loaded = load_settings(path, now)
    assert loaded.settings == Settings()
    assert loaded.moved_to is None
    assert [problem.key for problem in loaded.problems] == [
        "reminders.interval_minutes",
        "reminders.lull_seconds",
        "break.sound",
    ]
    assert loaded.notice is not None
    assert loaded.notice.startswith(f"The settings file {path} has 3 problems;")
    for problem in loaded.problems:
        assert f"- {problem.message}" in loaded.notice
    assert "whole number from 5 to 240" in loaded.notice
    assert path.read_bytes() == original
    assert names(path.parent) == ["settings.toml"]


def test_wrong_types_are_problems_not_crashes(path: Path) -> None:
    write(path, 'reminders = "often"\n[away]\nenabled = "yes"\nminutes = 2.5\n[system]\n')
    loaded = load_settings(path, now)
    assert loaded.settings == Settings()
    assert [problem.key for problem in loaded.problems] == [
        "reminders",
        "away.enabled",
        "away.minutes",
    ]


def test_one_problem_is_one_problem(path: Path) -> None:
    write(path, "[away]\nminutes = 0\n")
    notice = load_settings(path, now).notice
    assert notice is not None
    assert "has 1 problem;" in notice


def test_a_long_list_of_problems_is_cut_short(path: Path) -> None:
    write(path, "".join(f"unknown_{number} = {number}\n" for number in range(12)))
    loaded = load_settings(path, now)
    assert len(loaded.problems) == 12
    assert loaded.notice is not None
    assert loaded.notice.count("\n- ") == 11
    assert loaded.notice.endswith("- … and 2 more")


def test_huge_strings_give_short_notices(path: Path) -> None:
    write(path, f'[reminders]\ninterval_minutes = "{"9" * 1_000_000}"\n')
    loaded = load_settings(path, now)
    assert loaded.settings == Settings()
    assert loaded.notice is not None
    assert len(loaded.notice) < 500


# ------------------------------------------------------------------ broken files are moved aside


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            b"[reminders]\ninterval_minutes = 50\nheads_up_seconds = \n",
            "it is not valid TOML: Invalid value at line 3, column 20",
            id="syntax-error",
        ),
        pytest.param(
            b'[away]\nminutes = 5\n[system]\nname = "caf\xe9"\n',
            "it is not UTF-8 text (byte 0xe9 on line 4)",
            id="latin-1",
        ),
        pytest.param(
            bytes(range(256)) * 4,
            "it is not UTF-8 text (byte 0x80 on line 2)",
            id="garbage-bytes",
        ),
        pytest.param(
            b"\x00\x01binary\x02",
            "it is not valid TOML: Invalid statement at line 1, column 1",
            id="control-bytes",
        ),
        pytest.param(
            b"[away]\nminutes = " + b"1" * 5000 + b"\n",
            "it cannot be read as TOML: Exceeds the limit (4300 digits)",
            id="huge-number",
        ),
        pytest.param(
            b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
            "it is nested too deeply to read",
            id="deep-nesting",
        ),
    ],
)
def test_a_broken_file_is_moved_aside_byte_for_byte(
    path: Path, content: bytes, reason: str
) -> None:
    original = write(path, content)
    loaded = load_settings(path, now)
    moved = path.with_name(f"settings.toml.bad-{STAMP}")
    assert loaded.settings == Settings()
    assert loaded.problems == ()
    assert loaded.moved_to == moved
    assert moved.read_bytes() == original
    assert not path.exists()
    assert loaded.notice is not None
    assert loaded.notice.startswith(f"The settings file {path} is broken ({reason}")
    assert f"It was moved to {moved} and the default settings are used" in loaded.notice


def test_the_notice_names_the_line_of_a_syntax_error(path: Path) -> None:
    write(path, '[reminders]\n\n\ninterval_minutes = 50\nfixed_times = ["10:30",\n[away]\n')
    notice = load_settings(path, now).notice
    assert notice is not None
    assert "Invalid value at line 6, column 2" in notice  # the "[" of "[away]" opens an array


def test_an_earlier_broken_copy_is_never_overwritten(path: Path) -> None:
    first = write(path, "this is = = not toml")
    assert load_settings(path, now).moved_to == path.with_name(f"settings.toml.bad-{STAMP}")
    second = write(path, "nor [ this")
    assert load_settings(path, now).moved_to == path.with_name(f"settings.toml.bad-{STAMP}-2")
    third = write(path, b"\xff")
    assert load_settings(path, now).moved_to == path.with_name(f"settings.toml.bad-{STAMP}-3")
    assert path.with_name(f"settings.toml.bad-{STAMP}").read_bytes() == first
    assert path.with_name(f"settings.toml.bad-{STAMP}-2").read_bytes() == second
    assert path.with_name(f"settings.toml.bad-{STAMP}-3").read_bytes() == third


def test_without_hard_links_the_file_is_renamed_and_still_never_over_a_copy(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: Path, target: Path) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    older = write(path.with_name(f"settings.toml.bad-{STAMP}"), "older")
    broken = write(path, "[[[")
    assert load_settings(path, now).moved_to == path.with_name(f"settings.toml.bad-{STAMP}-2")
    assert path.with_name(f"settings.toml.bad-{STAMP}").read_bytes() == older
    assert path.with_name(f"settings.toml.bad-{STAMP}-2").read_bytes() == broken
    assert not path.exists()


def test_a_broken_file_that_cannot_be_moved_stays_and_the_notice_says_so(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr(Path, "rename", refuse)
    original = write(path, "= broken")
    loaded = load_settings(path, now)
    assert loaded.settings == Settings()
    assert loaded.moved_to is None
    assert loaded.notice is not None
    assert "could not be moved aside (Permission denied)" in loaded.notice
    assert "copy it somewhere first" in loaded.notice
    assert path.read_bytes() == original


def test_moving_aside_gives_up_when_every_name_is_taken(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_file, "_MAX_ASIDE", 3)
    for name in (f"bad-{STAMP}", f"bad-{STAMP}-2", f"bad-{STAMP}-3"):
        write(path.with_name(f"settings.toml.{name}"), name)
    write(path, "= broken")
    loaded = load_settings(path, now)
    assert loaded.moved_to is None
    assert loaded.notice is not None
    assert "3 earlier broken copies are in the way" in loaded.notice
    assert path.exists()


# ------------------------------------------------------------------ unreadable: left where it is


def test_a_folder_in_its_place_is_reported_and_not_moved(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "keep.txt").write_text("mine", encoding="utf-8")
    loaded = load_settings(path, now)
    assert loaded.settings == Settings()
    assert loaded.moved_to is None
    assert loaded.notice == (
        f"Could not read the settings file {path}: it is a folder, not a file. The default "
        "settings are used for now and the file was left as it is."
    )
    assert names(path) == ["keep.txt"]


def test_a_pipe_in_its_place_is_not_read(path: Path) -> None:
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # reading it would block until someone writes
    loaded = load_settings(path, now)
    assert loaded.notice is not None
    assert "it is not a regular file" in loaded.notice
    assert stat.S_ISFIFO(path.stat().st_mode)


def test_an_unreadable_file_is_reported_and_left_alone(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod 000 does not stop root, and these tests may run as root: the read is made to
    fail the way the operating system fails it, which is all load_settings sees."""
    original = write(path, "[away]\nminutes = 9\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    loaded = load_settings(path, now)
    monkeypatch.undo()
    assert loaded.settings == Settings()
    assert loaded.moved_to is None
    assert loaded.notice == (
        f"Could not read the settings file {path}: Permission denied. The default settings "
        "are used for now and the file was left as it is."
    )
    assert path.read_bytes() == original
    assert names(path.parent) == ["settings.toml"]


def test_a_path_through_a_file_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("not a folder", encoding="utf-8")
    notice = load_settings(blocker / "settings.toml", now).notice
    assert notice is not None
    assert "Not a directory" in notice


def test_the_timestamp_is_utc_whatever_the_clock_zone(path: Path) -> None:
    write(path, "= broken")
    moved = load_settings(path, lambda: datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)).moved_to
    assert moved is not None
    assert moved.name == "settings.toml.bad-20260630T235959Z"


# ----------------------------------------------------------------- saving, and refusing to


def test_a_linked_settings_file_is_written_through_and_stays_a_link(
    path: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "dotfiles" / "stretchbreak.toml"
    write(kept, "[reminders]\ninterval_minutes = 40\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(kept)
    save_settings(path, custom())
    assert path.is_symlink()
    assert tomllib.loads(kept.read_text())["reminders"]["interval_minutes"] == 25
    assert load_settings(path, lambda: NOW).settings == custom()
    assert names(kept.parent) == ["stretchbreak.toml"]


def test_a_read_only_settings_file_is_respected_with_a_message(path: Path) -> None:
    before = write(path, "[reminders]\ninterval_minutes = 40\n")
    path.chmod(0o400)
    with pytest.raises(SettingsNotSaved, match="read-only") as refused:
        save_settings(path, custom())
    assert str(path) in str(refused.value)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_table_nested_too_deep_to_write_back_is_named_and_the_file_kept(path: Path) -> None:
    before = write(path, "[reminders]\ninterval_minutes = 40\n[deep]\n" + "a." * 2000 + "b = 1\n")
    loaded = load_settings(path, lambda: NOW)
    with pytest.raises(SettingsNotSaved, match=r"deep\.a\.a\.…") as refused:
        save_settings(path, loaded.settings)
    assert "Remove it from the file" in str(refused.value)
    assert path.read_bytes() == before


def test_a_folder_the_user_cannot_write_is_named_in_the_message(path: Path) -> None:
    path.parent.mkdir(parents=True)
    (path.parent / "settings.toml").mkdir()  # not a file: nothing may replace it
    with pytest.raises(SettingsNotSaved, match="not a regular file"):
        save_settings(path, custom())


def test_temporary_files_left_by_a_killed_save_are_removed_and_nothing_else(
    path: Path,
) -> None:
    write(path, "[reminders]\ninterval_minutes = 40\n")
    stale = [path.with_name(f".settings.toml.{tag}.tmp") for tag in ("k1x2", "z9")]
    for file in stale:
        file.write_text("half")
    mine = path.with_name(".settings.toml.notes")
    mine.write_text("a note of the user's")
    assert sorted(remove_stale_temporaries(path)) == sorted(stale)
    assert names(path.parent) == [".settings.toml.notes", "settings.toml"]
