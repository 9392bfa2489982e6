"""Statistics of the history window, from hand-built records with known answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchbreak.core.adherence import MATCH_AFTER, MATCH_BEFORE, Adherence, adherence
from stretchbreak.core.history import (
    CompletedSet,
    Outcome,
    PromptOutcome,
    PromptRecord,
    SessionDigest,
    SessionLike,
    SessionRecord,
    Source,
)
from stretchbreak.core.stats import (
    DayDetail,
    HistoryOverview,
    Outline,
    Streaks,
    Totals,
    daily_sets,
    day_detail,
    heatmap_weeks,
    level,
    local_days,
    outline_overview,
    overview,
    period_totals,
    recent_since,
    session_day,
    streaks,
    totals,
    weekly_sets,
)
from stretchbreak.core.tally import is_finished

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)
_counter = iter(range(1_000_000))


def at(day: date, hour: int = 9, minute: int = 0, tz: tzinfo = UTC) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def session(
    started_at: datetime,
    sets: tuple[tuple[int, bool], ...] = ((8, False),),
    *,
    outcome: Outcome | None = Outcome.COMPLETED,
    source: Source = Source.MANUAL,
    goal: str = "recovery",
    active: float = 30.0,
) -> SessionRecord:
    """A session whose sets are given as (reps, partial), each ``active`` seconds long."""
    sid = f"s{next(_counter)}"
    records = tuple(
        CompletedSet(
            sid,
            "ex",
            goal,
            i,
            reps,
            3,
            started_at + timedelta(minutes=i),
            started_at + timedelta(minutes=i, seconds=active),
            active,
            0.0,
            source,
            partial,
        )
        for i, (reps, partial) in enumerate(sets, start=1)
    )
    return SessionRecord(
        sid,
        "ex",
        goal,
        source,
        "guided",
        len(sets),
        8,
        3,
        started_at,
        started_at + timedelta(minutes=len(sets) + 1),
        outcome,
        None,
        records,
    )


def done_on(*days: date) -> list[SessionRecord]:
    return [session(at(d)) for d in days]


# ---------------------------------------------------------------- totals


def test_totals_count_finished_sets_but_every_rep_and_all_active_time() -> None:
    records = [
        session(at(MONDAY), ((8, False), (6, False), (3, True)), outcome=Outcome.CANCELLED),
        session(at(MONDAY, 10), ((2, True),), outcome=Outcome.CANCELLED),
        session(at(MONDAY, 11), (), outcome=Outcome.CANCELLED),  # ended before its first rep
    ]
    assert totals(records) == Totals(sessions=2, sets=2, reps=19, active_minutes=2.0)


def test_period_boundaries_midnight_monday_and_month_start() -> None:
    today = date(2026, 11, 25)  # a Wednesday
    records = [
        session(datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN)),  # today's first minute
        session(datetime(2026, 11, 24, 23, 59, 59, tzinfo=BERLIN)),  # yesterday
        session(datetime(2026, 11, 23, 0, 0, tzinfo=BERLIN)),  # Monday: this week
        session(datetime(2026, 11, 22, 23, 59, tzinfo=BERLIN)),  # Sunday: last week
        session(datetime(2026, 11, 1, 0, 0, tzinfo=BERLIN)),  # month start
        session(datetime(2026, 10, 31, 23, 59, tzinfo=BERLIN)),  # last month
    ]
    result = period_totals(records, today, BERLIN)
    assert (result.today.sessions, result.week.sessions, result.month.sessions) == (1, 3, 5)


def test_utc_timestamps_are_counted_on_their_local_day() -> None:
    late_utc = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 00:30 on the 25th in Berlin
    result = period_totals([session(late_utc)], date(2026, 11, 25), BERLIN)
    assert result.today.sessions == 1
    assert period_totals([session(late_utc)], date(2026, 11, 24), UTC).today.sessions == 1


def test_spring_forward_day_in_berlin() -> None:
    today = date(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
    records = [
        session(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)),  # 00:30 CET on the 29th
        session(datetime(2026, 3, 29, 21, 59, tzinfo=UTC)),  # 23:59 CEST on the 29th
        session(datetime(2026, 3, 29, 22, 30, tzinfo=UTC)),  # 00:30 CEST on the 30th
    ]
    assert period_totals(records, today, BERLIN).today.sessions == 2
    april = session(datetime(2026, 3, 31, 22, 30, tzinfo=UTC))  # 00:30 CEST on 1 April
    assert period_totals([april], date(2026, 3, 31), BERLIN).month.sessions == 0
    assert period_totals([april], date(2026, 4, 1), BERLIN).month.sessions == 1


def test_fall_back_day_in_berlin_has_25_hours() -> None:
    records = [
        session(datetime(2026, 10, 24, 22, 30, tzinfo=UTC)),  # 00:30 CEST on the 25th
        session(datetime(2026, 10, 25, 22, 59, tzinfo=UTC)),  # 23:59 CET on the 25th
        session(datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),  # 00:00 CET on the 26th
    ]
    assert period_totals(records, date(2026, 10, 25), BERLIN).today.sessions == 2


session_times = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
set_shapes = st.lists(st.tuples(st.integers(0, 20), st.booleans()), max_size=4).map(tuple)


@given(
    st.lists(st.tuples(session_times, set_shapes), max_size=12),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
)
def test_totals_never_negative_and_nest_by_period(
    shapes: list[tuple[datetime, tuple[tuple[int, bool], ...]]], today: date
) -> None:
    result = period_totals([session(t, s) for t, s in shapes], today, BERLIN)
    for period in (result.today, result.week, result.month):
        assert min(period.sessions, period.sets, period.reps, period.active_minutes) >= 0
        # Only a session holding a set, finished or cut short, counts.
        assert period.sessions <= sum(1 for _, sets in shapes if sets)
    assert result.today.sets <= result.week.sets
    monday = today - timedelta(days=today.weekday())
    if monday.month == today.month == (monday + timedelta(days=6)).month:
        assert result.week.sets <= result.month.sets
        assert result.week.reps <= result.month.reps


# ---------------------------------------------------------------- streaks


def day(offset: int) -> date:
    """``MONDAY`` plus ``offset`` days: 4 is Friday, 7 the next Monday."""
    return MONDAY + timedelta(days=offset)


def test_no_sessions_no_streak() -> None:
    assert streaks([], MONDAY, UTC) == Streaks(0, 0)


def test_friday_and_monday_are_consecutive() -> None:
    result = streaks(done_on(day(3), day(4), day(7), day(8)), day(8), UTC)
    assert (result.current, result.best) == (4, 4)


def test_weekend_session_is_a_bonus_day() -> None:
    result = streaks(done_on(day(4), day(5), day(7)), day(7), UTC)
    assert (result.current, result.best) == (3, 3)


def test_a_missed_working_day_breaks_the_streak() -> None:
    # Mon–Wed done, Thu missed, Fri and the next Monday done.
    result = streaks(done_on(day(0), day(1), day(2), day(4), day(7)), day(7), UTC)
    assert (result.current, result.best) == (2, 3)


def test_today_not_done_yet_keeps_the_streak_alive() -> None:
    assert streaks(done_on(day(0), day(1)), day(2), UTC).current == 2
    assert streaks(done_on(day(0), day(1)), day(3), UTC).current == 0  # Wednesday missed
    assert streaks(done_on(day(3), day(4)), day(5), UTC).current == 2  # a Saturday
    assert streaks(done_on(day(0), day(1), day(2)), day(2), UTC).current == 3


def test_cancelled_and_partial_only_sessions_do_not_count() -> None:
    records = [
        session(at(day(0))),
        session(at(day(1)), ((8, False), (4, True)), outcome=Outcome.CANCELLED),
        session(at(day(1), 10), ((4, True),)),
        session(at(day(1), 11), (), outcome=None),
    ]
    assert streaks(records, day(2), UTC).current == 0
    assert streaks(records, day(2), UTC).best == 1


def test_future_sessions_are_ignored_and_the_local_day_decides() -> None:
    assert streaks(done_on(day(3)), day(2), UTC) == streaks([], day(2), UTC)
    late = session(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))  # Tuesday 00:30 in Berlin
    assert streaks([late], day(1), BERLIN).current == 1
    assert streaks([late], day(0), BERLIN).current == 0


def test_custom_working_days() -> None:
    mon_wed_fri = frozenset({0, 2, 4})
    assert streaks(done_on(day(0), day(2), day(4)), day(4), UTC, mon_wed_fri).current == 3
    with pytest.raises(ValueError, match="working days"):
        streaks([], day(0), UTC, frozenset({7}))


@given(
    st.sets(st.integers(0, 40), max_size=30),
    st.integers(0, 45),
    st.frozensets(st.integers(0, 6)),
)
def test_best_is_never_below_current(
    offsets: set[int], today: int, working: frozenset[int]
) -> None:
    result = streaks(done_on(*(day(o) for o in offsets)), day(today), UTC, working)
    assert 0 <= result.current <= result.best <= len(offsets)
    assert result.current == walk_back(offsets, today, working)
    if today in offsets:
        assert result.current >= 1


def walk_back(done: set[int], today: int, working: frozenset[int]) -> int:
    """The current streak by the rule read backwards from today, as a user would count it."""
    count = int(today in done)
    for offset in range(today - 1, -1, -1):
        if offset in done:
            count += 1
        elif day(offset).weekday() in working:
            break
    return count


# ---------------------------------------------------------------- adherence

T = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
SINCE, UNTIL = T - timedelta(days=1), T + timedelta(days=1)


def prompt(
    decided_at: datetime, outcome: PromptOutcome = PromptOutcome.STARTED, due: datetime = T
) -> PromptRecord:
    return PromptRecord(due, due, outcome, decided_at)


def answered(started_at: datetime, outcome: Outcome = Outcome.COMPLETED) -> SessionRecord:
    return session(started_at, source=Source.PROMPT, outcome=outcome)


def test_no_prompts_no_percent() -> None:
    result = adherence([], [answered(T)], SINCE, UNTIL)
    assert (result.prompts, result.completed, result.percent) == (0, 0, None)


def test_a_started_prompt_answered_by_a_finished_session() -> None:
    result = adherence([prompt(T)], [answered(T + timedelta(minutes=2))], SINCE, UNTIL)
    assert (result.prompts, result.completed, result.percent) == (1, 1, 100.0)


@pytest.mark.parametrize(
    ("offset", "matched"),
    [
        (-MATCH_BEFORE, True),
        (-MATCH_BEFORE - timedelta(seconds=1), False),
        (MATCH_AFTER, True),
        (MATCH_AFTER + timedelta(seconds=1), False),
    ],
)
def test_the_matching_window(offset: timedelta, matched: bool) -> None:
    assert adherence([prompt(T)], [answered(T + offset)], SINCE, UNTIL).completed == matched


def test_manual_and_cancelled_sessions_do_not_complete_a_prompt() -> None:
    manual = session(T + timedelta(minutes=1))
    assert adherence([prompt(T)], [manual], SINCE, UNTIL).completed == 0
    cancelled = answered(T + timedelta(minutes=1), Outcome.CANCELLED)
    assert adherence([prompt(T)], [cancelled], SINCE, UNTIL).completed == 0


def test_one_session_answers_one_prompt() -> None:
    prompts = [prompt(T), prompt(T + timedelta(minutes=1))]
    one = [answered(T + timedelta(minutes=2))]
    assert adherence(prompts, one, SINCE, UNTIL).percent == 50.0
    two = [*one, answered(T + timedelta(minutes=3))]
    assert adherence(prompts, two, SINCE, UNTIL).completed == 2


def test_outcomes_are_counted_and_the_range_is_half_open() -> None:
    prompts = [
        prompt(T),
        prompt(T, PromptOutcome.SNOOZED),
        prompt(T, PromptOutcome.SKIPPED),
        prompt(T, PromptOutcome.MISSED),
        prompt(T, PromptOutcome.NATURAL_BREAK),
        prompt(T, PromptOutcome.DEFERRED),
        prompt(UNTIL, due=UNTIL),
        prompt(SINCE, due=SINCE - timedelta(seconds=1)),
    ]
    result = adherence(prompts, [answered(T)], SINCE, UNTIL)
    assert result.prompts == 6
    assert result.completed == 1
    assert result.percent == pytest.approx(100 / 6)
    counts = (result.snoozed, result.skipped, result.missed, result.natural_breaks)
    assert (*counts, result.deferred) == (1, 1, 1, 1, 1)


# ---------------------------------------------------------------- heatmap and weekly bars


def test_daily_sets_per_local_day_without_empty_days() -> None:
    records = [
        session(at(day(0)), ((8, False), (8, False))),
        session(at(day(0), 15), ((8, False), (2, True))),
        session(at(day(1)), ((2, True),)),
        session(datetime(2026, 11, 25, 23, 30, tzinfo=UTC)),
    ]
    assert daily_sets(records, BERLIN) == {day(0): 3, day(3): 1}


def test_heatmap_shape_monday_first_ending_with_this_week() -> None:
    today = day(2)
    columns = heatmap_weeks({}, today)
    assert len(columns) == 26
    assert all(len(column) == 7 for column in columns)
    assert all(cell.day.weekday() == i for column in columns for i, cell in enumerate(column))
    assert columns[0][0].day == MONDAY - timedelta(weeks=25)
    assert columns[-1][2].day == today
    assert all(cell.level == 0 for column in columns for cell in column)
    assert len(heatmap_weeks({}, today, weeks=1)) == 1
    with pytest.raises(ValueError, match="weeks"):
        heatmap_weeks({}, today, weeks=0)


def test_heatmap_levels_are_relative_to_the_busiest_visible_day() -> None:
    daily = {day(0): 8, day(1): 4, day(2): 1, day(-1): 3, day(3): 99, day(-400): 1000}
    week = heatmap_weeks(daily, day(2), weeks=2)
    this_week, last_week = week[1], week[0]
    assert [c.level for c in this_week[:3]] == [4, 2, 1]
    assert last_week[6].level == 2  # 3 of 8 rounds up
    assert [c.future for c in this_week] == [False] * 3 + [True] * 4
    assert (this_week[3].sets, this_week[3].level) == (99, 0)


def test_level_scale() -> None:
    assert [level(n, 8) for n in (0, 1, 2, 3, 6, 7, 8, 9)] == [0, 1, 1, 2, 3, 4, 4, 4]
    assert level(3, 0) == 0


def test_day_detail_for_the_tooltip() -> None:
    records = [
        session(at(day(0)), ((8, False), (6, False)), goal="warmup"),
        session(at(day(0), 12), ((4, True),), goal="mobility"),
        session(at(day(0), 15), goal="recovery"),
        session(at(day(0), 16), goal="warmup"),
        session(at(day(1)), goal="desk-reset"),
    ]
    # The session with a set cut short counts, with its reps: it was ended early.
    assert day_detail(records, day(0), UTC) == DayDetail(
        day(0), 4, 4, 34, 2.5, ("warmup", "mobility", "recovery")
    )


def test_weekly_sets_include_zero_weeks_oldest_first() -> None:
    records = [
        session(at(day(1)), ((8, False), (8, False))),
        session(at(day(6))),  # Sunday of this week
        session(at(day(-14))),
        session(at(day(-7 * 12))),  # just before the window
        session(at(day(7))),  # next week: not shown
    ]
    bars = weekly_sets(records, day(2), UTC)
    assert len(bars) == 12
    assert [start for start, _ in bars] == [MONDAY - timedelta(weeks=11 - i) for i in range(12)]
    assert [count for _, count in bars] == [0] * 9 + [1, 0, 3]
    assert weekly_sets([], day(2), UTC, weeks=1) == [(MONDAY, 0)]
    with pytest.raises(ValueError, match="weeks"):
        weekly_sets([], day(2), UTC, weeks=0)


# ---------------------------------------------------------------- records and digests


def test_a_digest_keeps_the_sums_of_its_record() -> None:
    record = session(
        at(MONDAY), ((8, False), (10, False), (12, True)), outcome=Outcome.CANCELLED, active=20.5
    )
    assert (record.sets_done, record.reps_done, record.max_reps, record.partial_sets) == (
        2,
        18,
        10,
        1,
    )
    assert record.active_seconds == 61.5
    assert record.digest() == SessionDigest(
        session_id=record.session_id,
        exercise="ex",
        goal="recovery",
        source=Source.MANUAL,
        started_at=at(MONDAY),
        ended_at=at(MONDAY) + timedelta(minutes=4),
        outcome=Outcome.CANCELLED,
        feeling=None,
        target_hold_seconds=3,
        sets_done=2,
        reps_done=18,
        max_reps=10,
        partial_sets=1,
        partial_reps=12,
        active_seconds=61.5,
    )


def test_a_session_without_sets_or_with_partial_ones_only() -> None:
    for shape in ((), ((4, True), (2, True))):
        digest = session(at(MONDAY), shape, outcome=None).digest()
        assert (digest.sets_done, digest.reps_done, digest.max_reps) == (0, 0, 0)
        assert digest.partial_sets == len(shape)
        assert not is_finished(digest)


def reference_adherence(
    prompts: list[PromptRecord], sessions: list[SessionLike], since: datetime, until: datetime
) -> tuple[int, int]:
    """(prompts, completed) by the rule in the stats module, read literally."""
    chosen = sorted((p for p in prompts if since <= p.due_at < until), key=lambda p: p.decided_at)
    free = sorted((s for s in sessions if s.source is Source.PROMPT), key=lambda s: s.started_at)
    completed = 0
    for prompt in chosen:
        if prompt.outcome is not PromptOutcome.STARTED:
            continue
        low, high = prompt.decided_at - MATCH_BEFORE, prompt.decided_at + MATCH_AFTER
        match = next((s for s in free if low <= s.started_at <= high), None)
        if match is not None:
            free.remove(match)
            completed += is_finished(match)
    return len(chosen), completed


START = datetime(2026, 10, 26, tzinfo=UTC)  # a Monday; the month turns within the range
minutes = st.integers(0, 12 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
history_sessions = st.lists(
    st.tuples(
        minutes,
        set_shapes,
        st.sampled_from([Outcome.COMPLETED, Outcome.CANCELLED, None]),
        st.sampled_from(Source),
        st.sampled_from(["recovery", "warmup"]),
        st.sampled_from([0.0, 12.5, 30.0, 41.25]),
    ),
    max_size=25,
)
history_prompts = st.lists(
    st.tuples(minutes, st.sampled_from(PromptOutcome), st.integers(0, 90)), max_size=12
)


@given(
    history_sessions,
    history_prompts,
    st.integers(0, 12).map(lambda d: START.date() + timedelta(days=d)),
    st.sampled_from([UTC, BERLIN]),
)
def test_digests_give_the_same_figures_as_records_and_overview_as_each_function(
    shapes: list[tuple[datetime, tuple[tuple[int, bool], ...], Outcome | None, Source, str, float]],
    prompt_shapes: list[tuple[datetime, PromptOutcome, int]],
    today: date,
    tz: tzinfo,
) -> None:
    records = [
        session(t, sets, outcome=outcome, source=source, goal=goal, active=active)
        for t, sets, outcome, source, goal, active in shapes
    ]
    digests = [r.digest() for r in records]
    prompts = [
        PromptRecord(t, t, outcome, t + timedelta(seconds=delay))
        for t, outcome, delay in prompt_shapes
    ]
    since = datetime.combine(today - timedelta(days=29), datetime.min.time(), tz)
    until = datetime.combine(today + timedelta(days=1), datetime.min.time(), tz)
    figures: dict[str, Callable[[Sequence[SessionLike]], object]] = {
        "periods": lambda s: period_totals(s, today, tz),
        "streaks": lambda s: streaks(s, today, tz),
        "adherence": lambda s: adherence(prompts, s, since, until),
        "daily": lambda s: daily_sets(s, tz),
        "weekly": lambda s: weekly_sets(s, today, tz),
        "detail": lambda s: day_detail(s, today, tz),
        "days": lambda s: local_days(s, tz),
    }
    for name, figure in figures.items():
        assert figure(records) == figure(digests), name

    assert overview(digests, prompts, today, tz) == HistoryOverview(
        periods=period_totals(records, today, tz),
        streaks=streaks(records, today, tz),
        adherence=adherence(prompts, records, since, until),
        heat=heatmap_weeks(daily_sets(records, tz), today),
        weekly=weekly_sets(records, today, tz),
    )
    # The shortcuts taken for speed change nothing against the rules read literally.
    result: Adherence = adherence(prompts, digests, since, until)
    assert (result.prompts, result.completed) == reference_adherence(
        prompts, list(digests), since, until
    )
    on_day = [(d, session_day(d, tz)) for d in digests]
    periods = period_totals(digests, today, tz)
    monday = today - timedelta(days=today.weekday())
    assert periods.today == totals(d for d, day in on_day if day == today)
    assert periods.week == totals(
        d for d, day in on_day if monday <= day < monday + timedelta(days=7)
    )
    assert periods.month == totals(
        d for d, day in on_day if (day.year, day.month) == (today.year, today.month)
    )


def outline(sessions: Sequence[SessionLike]) -> Outline:
    return Outline(
        [s.session_id for s in sessions],
        [s.started_at for s in sessions],
        [s.sets_done for s in sessions],
        [s.outcome is Outcome.COMPLETED for s in sessions],
    )


@given(
    history_sessions,
    history_prompts,
    st.integers(0, 12).map(lambda d: START.date() + timedelta(days=d)),
    st.sampled_from([UTC, BERLIN]),
    st.integers(0, 3),
)
def test_the_outline_and_the_recent_sessions_give_the_figures_of_the_whole_history(
    shapes: list[tuple[datetime, tuple[tuple[int, bool], ...], Outcome | None, Source, str, float]],
    prompt_shapes: list[tuple[datetime, PromptOutcome, int]],
    today: date,
    tz: tzinfo,
    older: int,
) -> None:
    digests = sorted(
        (
            session(t, sets, outcome=outcome, source=source, goal=goal, active=active).digest()
            for t, sets, outcome, source, goal, active in shapes
        ),
        key=lambda d: d.started_at,
    )
    prompts = [
        PromptRecord(t, t, outcome, t + timedelta(seconds=delay))
        for t, outcome, delay in prompt_shapes
    ]
    first = recent_since(today, prompts, tz) - timedelta(days=older)  # older ones do no harm
    recent = [d for d in digests if session_day(d, tz) >= first]
    assert outline_overview(outline(digests), recent, prompts, today, tz) == overview(
        digests, prompts, today, tz
    )


def test_recent_days_reach_back_to_the_week_the_month_and_the_earliest_prompt() -> None:
    wednesday = MONDAY + timedelta(days=2)
    assert recent_since(wednesday, [], UTC) == date(2026, 11, 1)
    assert recent_since(date(2026, 12, 2), [], UTC) == date(2026, 11, 30)
    early = PromptRecord(at(date(2026, 10, 3), 0, 0), None, PromptOutcome.SKIPPED,
                         at(date(2026, 10, 3), 0, 0))  # fmt: skip
    assert recent_since(wednesday, [early], UTC) == date(2026, 10, 2)  # a minute before
    assert recent_since(wednesday, [early], BERLIN) == date(2026, 10, 3)


def test_overview_needs_at_least_one_adherence_day() -> None:
    with pytest.raises(ValueError, match="adherence days"):
        overview([], [], MONDAY, UTC, adherence_days=0)
    with pytest.raises(ValueError, match="adherence days"):
        outline_overview(outline([]), [], [], MONDAY, UTC, adherence_days=0)


def test_a_prompt_deferred_by_a_call_and_then_taken_counts_once_as_completed() -> None:
    waited = PromptRecord(T, None, PromptOutcome.DEFERRED, T, reason="microphone")
    later = T + timedelta(minutes=40)
    taken = PromptRecord(T, later, PromptOutcome.STARTED, later)
    result = adherence([waited, taken], [answered(later)], SINCE, UNTIL)
    assert (result.prompts, result.completed, result.percent) == (1, 1, 100.0)
    assert (result.deferred, result.deferred_by_calls) == (0, 1)


def test_a_prompt_deferred_by_a_call_and_never_shown_stays_deferred() -> None:
    waited = PromptRecord(T, None, PromptOutcome.DEFERRED, T, reason="camera")
    skipped_later = PromptRecord(
        T + timedelta(hours=1), T + timedelta(hours=1), PromptOutcome.SKIPPED, UNTIL
    )
    result = adherence([waited, skipped_later], [], SINCE, UNTIL)
    assert (result.prompts, result.completed, result.deferred) == (2, 0, 1)
    assert result.deferred_by_calls == 1
