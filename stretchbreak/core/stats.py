"""The numbers the history window shows: totals, streaks, adherence, the heatmap and weekly bars.

Every function takes ``SessionLike`` values and reads only their per-session sums
(``sets_done``, ``reps_done``, ``active_seconds``), never the sets: a whole ``SessionRecord``
and the ``SessionDigest`` the store adds up in SQL give the same figures, and the history
window loads the cheap one.

Rules every function here shares, so that a day looks the same in every view:

* **The day of a session** is the local calendar date (in the ``tz`` passed in) of its
  ``started_at``. A whole session belongs to one day, even one that runs past midnight, so
  the heatmap, the totals and the streak never split it.
* **What counts** is defined once, in ``core/tally.py``: a session counts when it holds a
  set, finished or cut short (a finished or an ended-early session; an empty one counts
  nowhere); its sets are finished sets, its reps every rep done (a cut-short set's
  included), its active time the time in every set. The heatmap and the weekly bars show
  finished sets, the totals and the heatmap tooltip ``tally`` whole sessions.
* **A finished session** — what a streak and adherence need — has outcome ``COMPLETED``
  *and* at least one completed set (``tally.is_finished``). A session ended early never
  keeps a streak alive, even with sets done; it still shows in the totals.

Streak rule (``streaks``): walk the days from the first finished session up to ``today``.
A day with a finished session adds one to the run, whether or not it is a working day — a
weekend session is a bonus day that lengthens the streak. A *working* day without one ends
the run, except ``today``, which is still open: the current streak stays alive and counts up
to the last finished day. A non-working day without a session is skipped: it neither counts
nor breaks anything, so Friday and the next Monday are consecutive.

Adherence, the share of prompts that led to a finished session, is in ``core/adherence.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from stretchbreak.core.adherence import MATCH_BEFORE, Adherence, adherence
from stretchbreak.core.history import Outcome, PromptRecord, SessionLike
from stretchbreak.core.tally import is_counted, tally

#: Monday to Friday, as ``date.weekday()`` numbers them.
WORKING_DAYS: frozenset[int] = frozenset(range(5))
#: The highest heatmap level; the busiest visible day always gets it.
MAX_LEVEL = 4


@dataclass(frozen=True)
class Totals:
    sessions: int
    sets: int
    reps: int
    active_minutes: float


@dataclass(frozen=True)
class PeriodTotals:
    today: Totals
    week: Totals
    month: Totals


@dataclass(frozen=True)
class Streaks:
    """Runs of days with a finished session; ``best`` includes the current run."""

    current: int
    best: int


@dataclass(frozen=True)
class HeatCell:
    """One day of the heatmap; ``future`` days are drawn empty, whatever the data says."""

    day: date
    sets: int
    level: int
    future: bool


@dataclass(frozen=True)
class HistoryOverview:
    """What the history window's header, heatmap (26 weeks) and weekly bars (12) show."""

    periods: PeriodTotals
    streaks: Streaks
    adherence: Adherence
    heat: list[list[HeatCell]]
    weekly: list[tuple[date, int]]


class Outline(NamedTuple):
    """The sessions of a history that count (``tally.is_counted``), oldest first, reduced to
    what figures over all of it need.

    The heatmap, the weekly bars and the streak read only a session's start, its completed
    sets and whether its outcome is ``COMPLETED``; the totals and the adherence read whole
    sessions, but only recent ones (``recent_since``). Reading the outline of a long history
    and the digests of its last weeks is what lets the history window open without reading
    20 000 whole rows. The ids let a list of all sessions be filled in when it is shown.
    """

    session_ids: Sequence[str]
    started_at: Sequence[datetime]
    sets_done: Sequence[int]
    completed: Sequence[bool]


@dataclass(frozen=True)
class DayDetail:
    """What a heatmap tooltip says about one day; ``goals`` in the order first done."""

    day: date
    sessions: int
    sets: int
    reps: int
    active_minutes: float
    goals: tuple[str, ...]


def session_day(session: SessionLike, tz: tzinfo) -> date:
    return session.started_at.astimezone(tz).date()


def local_days(sessions: Sequence[SessionLike], tz: tzinfo) -> list[date]:
    """``session_day`` of each session, in order: the one per-session cost of every figure.

    Converting an instant to a zone with DST rules is by far the slowest step here, so
    ``overview`` does it once for all its figures instead of once per figure.
    """
    return [s.started_at.astimezone(tz).date() for s in sessions]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def totals(sessions: Iterable[SessionLike]) -> Totals:
    """``core.tally.tally`` of ``sessions``, with the time in minutes."""
    counted = tally(sessions)
    return Totals(counted.sessions, counted.sets, counted.reps, counted.active_seconds / 60)


def period_totals(sessions: Sequence[SessionLike], today: date, tz: tzinfo) -> PeriodTotals:
    """Totals for today, today's ISO week (Monday first) and today's calendar month."""
    return _period_totals(sessions, local_days(sessions, tz), today)


def _period_totals(
    sessions: Sequence[SessionLike], days: Sequence[date], today: date
) -> PeriodTotals:
    monday = week_start(today)
    sunday = monday + timedelta(days=6)
    first = today.replace(day=1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    # The days of this week and month first, so that each period looks through a few only.
    low, high = min(monday, first), max(sunday, last)
    near = [(s, d) for s, d in zip(sessions, days, strict=True) if low <= d <= high]
    return PeriodTotals(
        today=totals(s for s, d in near if d == today),
        week=totals(s for s, d in near if monday <= d <= sunday),
        month=totals(s for s, d in near if first <= d <= last),
    )


def streaks(
    sessions: Sequence[SessionLike],
    today: date,
    tz: tzinfo,
    working_days: frozenset[int] = WORKING_DAYS,
) -> Streaks:
    """Current and best streak by the rule in the module docstring."""
    _, finished = _daily_sets(sessions, local_days(sessions, tz))
    return _streaks(finished, today, working_days)


def _streaks(finished: set[date], today: date, working_days: frozenset[int]) -> Streaks:
    """From the days with a finished session, by the rule in the module docstring."""
    if not working_days <= set(range(7)):
        raise ValueError(f"working days must be 0 (Monday) to 6 (Sunday), got {working_days}")
    done = {d for d in finished if d <= today}
    if not done:
        return Streaks(0, 0)
    run = best = 0
    day = min(done)
    while day <= today:
        if day in done:
            run += 1
            best = max(best, run)
        elif day.weekday() in working_days and day != today:
            run = 0
        day += timedelta(days=1)
    return Streaks(run, best)


def daily_sets(sessions: Sequence[SessionLike], tz: tzinfo) -> dict[date, int]:
    """Completed sets per local day; days without any completed set are left out."""
    daily, _ = _daily_sets(sessions, local_days(sessions, tz))
    return daily


def _daily_sets(
    sessions: Sequence[SessionLike], days: Sequence[date]
) -> tuple[dict[date, int], set[date]]:
    """Completed sets per day, and the days with a finished session: one loop for both."""
    completed = Outcome.COMPLETED
    return _daily_counts(
        days, [s.sets_done for s in sessions], [s.outcome is completed for s in sessions]
    )


def _daily_counts(
    days: Sequence[date], sets_done: Sequence[int], completed: Sequence[bool]
) -> tuple[dict[date, int], set[date]]:
    """``_daily_sets`` from a session's day, completed sets and outcome alone."""
    daily: dict[date, int] = {}
    finished: set[date] = set()
    for day, count, ok in zip(days, sets_done, completed, strict=True):
        if count:
            daily[day] = daily.get(day, 0) + count
            if ok:  # with sets done: ``is_finished``
                finished.add(day)
    return daily, finished


def level(sets: int, busiest: int) -> int:
    """0 for an empty day, else 1–4 in proportion to the busiest day, which gets 4.

    Proportional (not quantile) steps so that one set more always looks at least as dark.
    """
    if sets <= 0 or busiest <= 0:
        return 0
    return min(MAX_LEVEL, max(1, math.ceil(MAX_LEVEL * sets / busiest)))


def heatmap_weeks(daily: dict[date, int], today: date, weeks: int = 26) -> list[list[HeatCell]]:
    """``weeks`` columns of Monday..Sunday cells, oldest first, ending with today's week.

    Levels are scaled to the busiest day on the visible, non-future part of the map.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, got {weeks}")
    first = week_start(today) - timedelta(weeks=weeks - 1)
    days = [first + timedelta(days=i) for i in range(weeks * 7)]
    busiest = max((daily.get(d, 0) for d in days if d <= today), default=0)
    cells = [
        HeatCell(d, daily.get(d, 0), 0, True)
        if d > today
        else HeatCell(d, daily.get(d, 0), level(daily.get(d, 0), busiest), False)
        for d in days
    ]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def day_detail(sessions: Sequence[SessionLike], day: date, tz: tzinfo) -> DayDetail:
    on_day = [s for s in sessions if session_day(s, tz) == day]
    total = totals(on_day)
    goals = dict.fromkeys(s.goal for s in on_day if is_counted(s))
    return DayDetail(
        day, total.sessions, total.sets, total.reps, total.active_minutes, tuple(goals)
    )


def weekly_sets(
    sessions: Sequence[SessionLike], today: date, tz: tzinfo, weeks: int = 12
) -> list[tuple[date, int]]:
    """Completed sets per week (Monday start), oldest first, the current week last."""
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, got {weeks}")
    return _weekly_sets(daily_sets(sessions, tz), today, weeks)


def _weekly_sets(daily: dict[date, int], today: date, weeks: int) -> list[tuple[date, int]]:
    current = week_start(today)
    starts = [current - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    per_week = dict.fromkeys(starts, 0)
    for day, count in daily.items():
        monday = week_start(day)
        if monday in per_week:
            per_week[monday] += count
    return list(per_week.items())


def overview(
    sessions: Sequence[SessionLike],
    prompts: Sequence[PromptRecord],
    today: date,
    tz: tzinfo,
    adherence_days: int = 30,
) -> HistoryOverview:
    """Every figure of the history window at once, equal to asking each function in turn.

    ``adherence`` covers the ``adherence_days`` local days up to and including ``today``.
    Only the sessions' local days are shared between the figures; with 20 000 sessions that
    saves most of the work.
    """
    if adherence_days < 1:
        raise ValueError(f"adherence days must be 1 or more, got {adherence_days}")
    days = local_days(sessions, tz)
    daily, finished = _daily_sets(sessions, days)
    since = datetime.combine(today - timedelta(days=adherence_days - 1), time(), tz)
    until = datetime.combine(today + timedelta(days=1), time(), tz)
    return HistoryOverview(
        periods=_period_totals(sessions, days, today),
        streaks=_streaks(finished, today, WORKING_DAYS),
        adherence=adherence(prompts, sessions, since, until),
        heat=heatmap_weeks(daily, today),
        weekly=_weekly_sets(daily, today, 12),
    )


def recent_since(today: date, prompts: Iterable[PromptRecord], tz: tzinfo) -> date:
    """The first local day whose sessions ``outline_overview`` needs whole.

    The totals of today, this week and this month read the sessions of their days; the
    adherence reads the sessions a prompt may have led to, from ``MATCH_BEFORE`` before its
    decision on. A source that picks days by their bounds rather than by each session's own
    local day should ask for a day or two more: some zones repeat an hour across midnight.
    """
    first = min(week_start(today), today.replace(day=1))
    decided = min((p.decided_at for p in prompts), default=None)
    if decided is not None:
        first = min(first, (decided - MATCH_BEFORE).astimezone(tz).date())
    return first


def outline_overview(
    outline: Outline,
    recent: Sequence[SessionLike],
    prompts: Sequence[PromptRecord],
    today: date,
    tz: tzinfo,
    adherence_days: int = 30,
) -> HistoryOverview:
    """``overview`` of a whole history from its outline and its recent sessions.

    ``recent`` are the history's sessions (oldest first, older ones may be among them) that
    start on ``recent_since(today, prompts, tz)`` or later, and every one that starts at
    ``MATCH_BEFORE`` before a prompt's decision or later: with them the figures equal those
    of ``overview`` over every session, to the last bit of every float, since each figure
    adds up the same sessions in the same order.
    """
    if adherence_days < 1:
        raise ValueError(f"adherence days must be 1 or more, got {adherence_days}")
    days = [started.astimezone(tz).date() for started in outline.started_at]
    daily, finished = _daily_counts(days, outline.sets_done, outline.completed)
    since = datetime.combine(today - timedelta(days=adherence_days - 1), time(), tz)
    until = datetime.combine(today + timedelta(days=1), time(), tz)
    return HistoryOverview(
        periods=_period_totals(recent, local_days(recent, tz), today),
        streaks=_streaks(finished, today, WORKING_DAYS),
        adherence=adherence(prompts, recent, since, until),
        heat=heatmap_weeks(daily, today),
        weekly=_weekly_sets(daily, today, 12),
    )
