"""The history book on a real store: digests give the figures whole records would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stretchbreak.core.export import sets_to_csv
from stretchbreak.core.history import Outcome, PromptOutcome, PromptRecord, SessionRecord, Source
from stretchbreak.core.stats import (
    adherence,
    daily_sets,
    day_detail,
    heatmap_weeks,
    period_totals,
    streaks,
    weekly_sets,
)
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import ADHERENCE_DAYS, HistoryBook
from tests.fakes import FakeClock
from tests.integration.store_samples import record

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
    book = HistoryBook(store, FakeClock(start=NOW), lambda: tz)
    snapshot = book.snapshot()
    records = store.sessions()
    today = date(2026, 11, 25)
    since = datetime.combine(today - timedelta(days=ADHERENCE_DAYS - 1), time(), tz)
    until = datetime.combine(today + timedelta(days=1), time(), tz)
    assert snapshot.today == today
    assert snapshot.sessions == tuple(r.digest() for r in records)
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


def test_export_and_delete_read_whole_sessions(store: Store, tmp_path: Path) -> None:
    book = HistoryBook(store, FakeClock(start=NOW), lambda: BERLIN)
    wanted = ["d07", "d03", "d48"]
    target = tmp_path / "out.csv"
    book.export(wanted, "csv", target)
    whole = store.sessions_by_id(wanted)
    assert [s.session_id for s in whole] == ["d03", "d07", "d48"]
    assert target.read_text(encoding="utf-8") == sets_to_csv(whole)
    assert book.delete(wanted) == whole
    assert store.sessions_by_id(wanted) == []


def test_without_a_store_an_export_is_the_header_alone(tmp_path: Path) -> None:
    book = HistoryBook(None, FakeClock(start=NOW), lambda: UTC, unavailable="no database")
    target = tmp_path / "out.csv"
    book.export(["a"], "csv", target)
    assert target.read_text(encoding="utf-8") == sets_to_csv([])
    assert book.snapshot().sessions == ()
    assert book.delete(["a"]) == []
