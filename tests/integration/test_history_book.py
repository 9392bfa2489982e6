"""The history book on a real store: digests give the figures whole records would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.adherence import adherence
from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.history import (
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionDigest,
    SessionRecord,
    Source,
)
from stretchbreak.core.stats import (
    daily_sets,
    day_detail,
    heatmap_weeks,
    period_totals,
    streaks,
    weekly_sets,
)
from stretchbreak.core.tally import is_counted
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import ADHERENCE_DAYS, HistoryBook
from tests.fakes import FakeClock
from tests.integration.store_samples import a_set, record

NOW = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # already the 25th in Berlin
BERLIN = ZoneInfo("Europe/Berlin")


def history() -> list[SessionRecord]:
    """A session a day for seven weeks, some cancelled, some prompted, some without sets."""
    made = []
    for day in range(50):
        minutes = (day - 49) * 24 * 60 + (day % 5) * 60
        one = record(f"d{day:02}", minutes, day % 4)
        if day % 3 == 0:
            one = replace(one, outcome=Outcome.COMPLETED)
        if day % 2 == 0:
            one = replace(one, source=Source.MANUAL)
        made.append(one)
    return made


def prompts() -> list[PromptRecord]:
    """One a day, due two minutes before that day's session and decided as it started."""
    outcomes = [PromptOutcome.SNOOZED, PromptOutcome.STARTED] * 25  # started: prompted ones
    return [
        PromptRecord(s.started_at - timedelta(minutes=2), None, outcome, s.started_at)
        for s, outcome in zip(history(), outcomes, strict=True)
    ]


@pytest.fixture(params=[BERLIN, UTC], ids=["same zone", "store in UTC"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    with Store.open(tmp_path / "stretchbreak.sqlite3", tz=request.param) as opened:
        opened.import_sessions(history())
        for prompt in prompts():
            opened.record_prompt(prompt)
        yield opened


def test_the_snapshot_from_digests_matches_the_figures_of_whole_records(store: Store) -> None:
    tz: tzinfo = BERLIN
    book = HistoryBook(store, FakeClock(start=NOW), lambda: tz, write_file=write_export)
    snapshot = book.snapshot()
    records = store.sessions()
    today = date(2026, 11, 25)
    since = datetime.combine(today - timedelta(days=ADHERENCE_DAYS - 1), time(), tz)
    until = datetime.combine(today + timedelta(days=1), time(), tz)
    assert snapshot.today == today
    assert snapshot.sessions == tuple(r.digest() for r in records if is_counted(r))
    assert snapshot.periods == period_totals(records, today, tz)
    assert snapshot.streaks == streaks(records, today, tz)
    assert snapshot.adherence == adherence(store.prompts(), records, since, until)
    assert (snapshot.adherence.prompts, snapshot.adherence.snoozed) == (29, 14)
    assert snapshot.adherence.completed > 0
    assert snapshot.heat == heatmap_weeks(daily_sets(records, tz), today)
    assert snapshot.weekly == weekly_sets(records, today, tz)
    for day in (today, date(2026, 11, 22), date(2026, 10, 30)):
        assert book.day_detail(day) == day_detail(records, day, tz)
    assert book.day_detail(date(2026, 11, 22)).sets == 2


class Files:
    """The export's file writing, kept in memory (the disk's part: test_export_file.py)."""

    def __init__(self) -> None:
        self.written: dict[Path, str] = {}

    def write(self, path: Path, text: str) -> None:
        self.written[path] = text


def test_export_and_delete_read_whole_sessions(store: Store, tmp_path: Path) -> None:
    files = Files()
    book = HistoryBook(store, FakeClock(start=NOW), lambda: BERLIN, write_file=files.write)
    wanted = ["d07", "d03", "d48"]
    target = tmp_path / "out.csv"
    book.export(wanted, "csv", target)
    whole = store.sessions_by_id(wanted)
    assert [s.session_id for s in whole] == ["d03", "d07", "d48"]
    assert files.written == {target: sets_to_csv(whole)}
    assert book.delete(wanted) == whole
    assert store.sessions_by_id(wanted) == []


def test_without_a_store_an_export_is_the_header_alone(tmp_path: Path) -> None:
    files = Files()
    book = HistoryBook(
        None, FakeClock(start=NOW), lambda: UTC, unavailable="no database", write_file=files.write
    )
    target = tmp_path / "out.csv"
    book.export(["a"], "csv", target)
    assert files.written == {target: sets_to_csv([])}
    assert book.snapshot().sessions == ()
    assert book.delete(["a"]) == []


# --------------------------------------------------------------------- an unchanged log
class CountingStore(Store):
    """The real store, counting how often the whole log is read."""

    reads = 0

    def session_digests(
        self, since: date | None = None, until: date | None = None
    ) -> list[SessionDigest]:
        self.reads += 1
        return super().session_digests(since, until)


@pytest.fixture
def counted(tmp_path: Path) -> Iterator[CountingStore]:
    with CountingStore.open(tmp_path / "stretchbreak.sqlite3", tz=BERLIN) as opened:
        opened.import_sessions(history())
        yield opened


def test_an_unchanged_log_gives_the_same_snapshot_without_reading_it(
    counted: CountingStore,
) -> None:
    book = HistoryBook(counted, FakeClock(start=NOW), lambda: BERLIN, write_file=write_export)
    first = book.snapshot()
    counted.sessions()  # reading changes nothing
    assert book.snapshot() is first
    assert counted.reads == 1
    assert (
        HistoryBook(
            counted, FakeClock(start=NOW), lambda: BERLIN, write_file=write_export
        ).snapshot()
        == first
    )


def test_a_set_recorded_since_is_read(counted: CountingStore) -> None:
    book = HistoryBook(counted, FakeClock(start=NOW), lambda: BERLIN, write_file=write_export)
    before = book.snapshot()
    counted.record_set(a_set("new", 1, 24 * 60, reps=9))
    after = book.snapshot()
    assert counted.reads == 2
    assert [s.session_id for s in after.sessions[-1:]] == ["new"]
    assert after.periods.today.sets == before.periods.today.sets + 1


def test_a_change_by_another_process_is_read(counted: CountingStore, tmp_path: Path) -> None:
    book = HistoryBook(counted, FakeClock(start=NOW), lambda: BERLIN, write_file=write_export)
    book.snapshot()
    other = sqlite3.connect(tmp_path / "stretchbreak.sqlite3", isolation_level=None)
    try:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM sessions WHERE id = 'd49'")
    finally:
        other.close()
    assert "d49" not in [s.session_id for s in book.snapshot().sessions]
    assert counted.reads == 2


def test_a_new_day_or_zone_is_computed_afresh(counted: CountingStore) -> None:
    clock = FakeClock(start=NOW)
    zone: list[tzinfo] = [BERLIN]
    book = HistoryBook(counted, clock, lambda: zone[0], write_file=write_export)
    first = book.snapshot()
    clock.advance(60)  # the same day
    assert book.snapshot() is first
    clock.advance(24 * 3600)
    tomorrow = book.snapshot()
    assert tomorrow.today == first.today + timedelta(days=1)
    zone[0] = UTC
    assert book.snapshot().tz is UTC
    assert counted.reads == 3


def test_a_write_rolled_back_inside_a_transaction_is_not_kept(counted: CountingStore) -> None:
    """Reads inside a transaction see its rows; after a rollback they must not linger."""
    book = HistoryBook(counted, FakeClock(start=NOW), lambda: BERLIN, write_file=write_export)
    before = book.snapshot()
    connection = counted._connection
    connection.execute("BEGIN")
    connection.execute("DELETE FROM sessions")
    assert book.snapshot().sessions == ()
    connection.execute("ROLLBACK")
    assert book.snapshot().sessions == before.sessions
