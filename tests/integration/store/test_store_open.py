"""Opening the database never crashes and never loses the old file, whatever is in its place."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import OpeningKind, StoreOpening, open_store
from tests.faults.sqlite_lock import HeldLock
from tests.integration.store.store_samples import T0, a_real_database, a_set, read_only

MOVED_NAME = "stretchbreak.sqlite3.corrupt-20261124T090000Z"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "stretchbreak.sqlite3"


def open_at_t0(path: Path) -> StoreOpening:
    return open_store(path, lambda: T0)


def assert_fresh_and_usable(opening: StoreOpening) -> None:
    assert opening.store is not None
    with opening.store as store:
        assert store.sessions() == []
        store.record_set(a_set("new"))
        assert store.count_sets() == 1


def assert_moved_aside(opening: StoreOpening, path: Path, original: bytes, why: str) -> None:
    moved = path.with_name(MOVED_NAME)
    assert opening.kind is OpeningKind.RECOVERED
    assert opening.moved_to == moved
    assert moved.read_bytes() == original
    assert opening.notice is not None
    assert str(path) in opening.notice
    assert str(moved) in opening.notice
    assert why in opening.notice
    assert "a new, empty history was started" in opening.notice
    assert_fresh_and_usable(opening)


def test_a_new_database_opens_without_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "stretchbreak.sqlite3"
    opening = open_at_t0(path)
    assert (opening.kind, opening.notice, opening.moved_to) == (OpeningKind.OPENED, None, None)
    assert_fresh_and_usable(opening)
    assert oct(path.parent.stat().st_mode & 0o777) == oct(0o700)


def test_an_empty_file_is_a_valid_empty_database(db_path: Path) -> None:
    db_path.write_bytes(b"")
    opening = open_at_t0(db_path)
    assert opening.kind is OpeningKind.OPENED
    assert_fresh_and_usable(opening)
    assert [p.name for p in db_path.parent.iterdir() if "corrupt" in p.name] == []


def test_random_bytes_are_moved_aside_with_their_wal_and_shm(db_path: Path) -> None:
    garbage = os.urandom(10_000)
    db_path.write_bytes(garbage)
    wal, shm = b"not a wal" * 10, b"not a shm"
    db_path.with_name("stretchbreak.sqlite3-wal").write_bytes(wal)
    db_path.with_name("stretchbreak.sqlite3-shm").write_bytes(shm)
    opening = open_at_t0(db_path)
    assert_moved_aside(opening, db_path, garbage, "file is not a database")
    assert db_path.with_name(MOVED_NAME + "-wal").read_bytes() == wal
    assert db_path.with_name(MOVED_NAME + "-shm").read_bytes() == shm


@pytest.mark.parametrize("keep", [1, 50, 100, 4096, 0.5, -4096], ids=lambda k: f"keep-{k}")
def test_a_truncated_database_is_moved_aside_unchanged(db_path: Path, keep: float) -> None:
    whole = a_real_database(db_path)
    assert len(whole) > 10 * 4096
    size = int(len(whole) * keep) if isinstance(keep, float) else keep % len(whole)
    db_path.write_bytes(whole[:size])
    opening = open_at_t0(db_path)
    damage = "malformed" if size >= 4096 else ""
    assert_moved_aside(opening, db_path, whole[:size], damage)


def damaged_page(whole: bytes, page: int) -> bytes:
    """Cell pointers that point off the end of the page: readable, but wrong."""
    damaged = bytearray(whole)
    start = (page - 1) * 4096
    damaged[start + 12 : start + 200] = b"\xff" * 188
    return bytes(damaged)


def quick_check_reports(path: Path) -> bool:
    """Whether SQLite reports the damage as rows, rather than failing the query."""
    connection = sqlite3.connect(path)
    try:
        return bool(connection.execute("PRAGMA quick_check").fetchone() != ("ok",))
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()


def test_damage_inside_a_page_is_found_by_quick_check(db_path: Path, tmp_path: Path) -> None:
    whole = a_real_database(db_path)
    trial = tmp_path / "trial.sqlite3"
    for page in range(2, len(whole) // 4096):
        trial.write_bytes(damaged_page(whole, page))
        if quick_check_reports(trial):
            break
    else:
        pytest.fail("no page whose damage quick_check reports as rows")
    db_path.write_bytes(damaged_page(whole, page))
    opening = open_at_t0(db_path)
    assert_moved_aside(opening, db_path, damaged_page(whole, page), f"tree page {page}")


def test_a_folder_in_the_databases_place_is_moved_aside(db_path: Path) -> None:
    db_path.mkdir()
    (db_path / "keep.txt").write_text("mine")
    opening = open_at_t0(db_path)
    moved = db_path.with_name(MOVED_NAME)
    assert opening.kind is OpeningKind.RECOVERED
    assert (moved / "keep.txt").read_text() == "mine"
    assert opening.notice is not None
    assert "a folder is in its place" in opening.notice
    assert str(moved) in opening.notice
    assert db_path.is_file()
    assert_fresh_and_usable(opening)


def test_a_pipe_in_the_databases_place_is_moved_aside(db_path: Path) -> None:
    os.mkfifo(db_path)
    opening = open_at_t0(db_path)
    assert opening.kind is OpeningKind.RECOVERED
    assert opening.notice is not None
    assert "not a regular file" in opening.notice
    assert_fresh_and_usable(opening)


def test_two_damaged_files_in_the_same_second_get_two_names(db_path: Path) -> None:
    for garbage in (b"first" * 200, b"second" * 200):
        db_path.write_bytes(garbage)
        opening = open_at_t0(db_path)
        assert opening.store is not None
        opening.store.close()
    assert db_path.with_name(MOVED_NAME).read_bytes() == b"first" * 200
    assert db_path.with_name(MOVED_NAME + "-2").read_bytes() == b"second" * 200


# --------------------------------------------------------------------- read-only, for real
def assert_read_only(opening: StoreOpening, path: Path) -> None:
    assert (opening.store, opening.kind) == (None, OpeningKind.READ_ONLY)
    assert opening.notice is not None
    assert opening.notice.startswith(
        f"{path} is read-only (check the permissions of the file and its folder); your sets "
        "are kept in memory and saved as soon as it can be"
    )
    assert opening.retry, "the app keeps trying: permissions can be fixed while it runs"


def test_a_read_only_file_is_left_alone(db_path: Path) -> None:
    original = a_real_database(db_path)
    with read_only(db_path):
        opening = open_at_t0(db_path)
    assert_read_only(opening, db_path)
    assert db_path.read_bytes() == original


def test_a_read_only_folder_with_a_database_in_it(db_path: Path) -> None:
    original = a_real_database(db_path)
    with read_only(db_path.parent):
        opening = open_at_t0(db_path)
    assert_read_only(opening, db_path)
    assert db_path.read_bytes() == original


def test_a_read_only_folder_without_a_database_yet(db_path: Path) -> None:
    path = db_path.parent / "not" / "yet" / "stretchbreak.sqlite3"
    with read_only(db_path.parent):
        opening = open_at_t0(path)
    assert_read_only(opening, path)


def test_a_damaged_file_in_a_read_only_folder_stays_where_it_is(db_path: Path) -> None:
    db_path.write_bytes(b"garbage" * 100)
    with read_only(db_path.parent):
        opening = open_at_t0(db_path)
    assert (opening.store, opening.kind) == (None, OpeningKind.READ_ONLY)
    assert opening.notice is not None
    assert opening.notice.startswith(f"{db_path} is damaged (file is not a database) and could")
    assert db_path.read_bytes() == b"garbage" * 100


# --------------------------------------------------------------------- simulated failures
def readonly_error_from_sqlite(tmp_path: Path) -> sqlite3.Error:
    """A genuine SQLITE_READONLY, from a connection opened read-only on purpose."""
    path = tmp_path / "probe.sqlite3"
    sqlite3.connect(path).close()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("CREATE TABLE t (x)")
    except sqlite3.OperationalError as error:
        return error
    finally:
        connection.close()
    raise AssertionError("a read-only connection wrote")


def test_sqlite_saying_read_only_counts_even_when_modes_look_writable(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: SQLite refuses although the file's modes allow writing (a read-only mount
    seen only by SQLite, a lock-down tool). The error itself is real."""
    error = readonly_error_from_sqlite(tmp_path)
    assert getattr(error, "sqlite_errorname", "") == "SQLITE_READONLY"

    def refuse(*args: object, **kwargs: object) -> Store:
        raise error

    monkeypatch.setattr(Store, "open", refuse)
    assert_read_only(open_at_t0(db_path), db_path)


@pytest.mark.parametrize("under", ["", "new/folders"])
def test_other_failures_are_reported_in_their_own_words(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, under: str
) -> None:
    def broken(*args: object, **kwargs: object) -> Store:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "open", broken)
    path = db_path.parent / under / db_path.name
    opening = open_at_t0(path)
    assert (opening.store, opening.kind) == (None, OpeningKind.UNAVAILABLE)
    assert opening.notice == (
        f"{path} could not be opened (disk I/O error); your sets are kept in memory and saved"
        " as soon as it can be (stretchbreak keeps trying)."
    )
    assert opening.retry


def test_no_fresh_database_after_moving_aside_is_still_no_crash(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path.write_bytes(b"garbage" * 100)
    real_open = Store.open
    calls: list[Path] = []

    def second_fails(path: Path, **kwargs: object) -> Store:
        calls.append(path)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real_open(path)

    monkeypatch.setattr(Store, "open", second_fails)
    opening = open_at_t0(db_path)
    moved = db_path.with_name(MOVED_NAME)
    assert (opening.store, opening.kind, opening.moved_to) == (None, "unavailable", moved)
    assert opening.notice is not None
    assert opening.notice.startswith(f"Your history {db_path} could not be read")
    assert f"moved, unchanged, to {moved}, but a new history could not be started" in (
        opening.notice
    )
    assert moved.read_bytes() == b"garbage" * 100


def test_broken_packaging_is_a_notice_not_a_crash(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0002_only.sql").write_text("SELECT 1;")
    opening = open_store(db_path, lambda: T0, migrations=folder)
    assert (opening.store, opening.kind) == (None, OpeningKind.UNAVAILABLE)
    assert opening.notice is not None
    assert "without gaps" in opening.notice


# --------------------------------------------------------------------- out of reach for now
def test_a_lock_held_by_another_process_is_in_use_not_read_only(db_path: Path) -> None:
    a_real_database(db_path)
    with HeldLock(db_path):
        opening = open_at_t0(db_path)
    assert (opening.store, opening.kind, opening.retry) == (None, OpeningKind.UNAVAILABLE, True)
    assert opening.notice is not None
    assert opening.notice.startswith(f"{db_path} is in use by another program (")
    with open_at_t0(db_path).store or pytest.fail("free again, it opens") as store:
        assert store.count_sets() == 1200


def test_a_link_to_a_missing_folder_is_named_and_nothing_is_created(
    db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "not-mounted" / "stretchbreak.sqlite3"
    db_path.symlink_to(target)
    opening = open_at_t0(db_path)
    assert (opening.store, opening.kind, opening.retry) == (None, OpeningKind.UNAVAILABLE, True)
    assert opening.notice is not None
    assert f"it is a link to {target}, whose folder {target.parent} does not exist" in (
        opening.notice
    )
    assert not target.parent.exists()
    target.parent.mkdir()
    assert_fresh_and_usable(open_at_t0(db_path))
    assert target.is_file()
    assert db_path.is_symlink()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_folder_in_place_of_a_companion_file_is_named(db_path: Path, suffix: str) -> None:
    a_real_database(db_path)
    companion = db_path.with_name(db_path.name + suffix)
    companion.mkdir()
    opening = open_at_t0(db_path)
    assert (opening.store, opening.kind, opening.retry) == (None, OpeningKind.UNAVAILABLE, True)
    assert opening.notice is not None
    assert f"{companion} is a folder; SQLite needs a file there" in opening.notice
    companion.rmdir()
    assert open_at_t0(db_path).kind is OpeningKind.OPENED


def test_a_newer_database_is_not_tried_again(db_path: Path) -> None:
    a_real_database(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    opening = open_at_t0(db_path)
    assert (opening.kind, opening.retry) == (OpeningKind.TOO_NEW, False)


def test_a_database_lacking_a_column_of_its_version_is_moved_aside(db_path: Path) -> None:
    a_real_database(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("ALTER TABLE sessions DROP COLUMN feeling")
    connection.close()
    original = db_path.read_bytes()
    opening = open_at_t0(db_path)
    assert_moved_aside(opening, db_path, original, "the table sessions lacks the column feeling")


def test_a_damaged_file_goes_aside_with_its_journal(db_path: Path) -> None:
    """Whatever the journal holds belongs to the old file, not to the new, empty history."""
    db_path.write_bytes(b"garbage" * 100)
    journal = db_path.with_name(db_path.name + "-journal")
    journal.write_bytes(b"")
    opening = open_at_t0(db_path)
    assert opening.kind is OpeningKind.RECOVERED
    assert db_path.with_name(MOVED_NAME + "-journal").exists()
    assert_fresh_and_usable(opening)
