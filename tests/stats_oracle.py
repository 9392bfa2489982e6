"""The history window's figures worked out the plain way, one session at a time: the oracle.

The app computes every figure at once from an outline of the whole history and the whole
records of its last weeks (``core.stats.outline_overview``), sharing work between figures so
that a long history opens fast. These functions read the rules of ``core/stats.py``
literally instead, over every session, each figure on its own, so that a test can say
"the fast path gives what the rules say" without trusting the fast path's shortcuts.
They live here because nothing in the app needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from stretchbreak.core.adherence import adherence
from stretchbreak.core.history import PromptRecord, SessionLike
from stretchbreak.core.stats import (
    HistoryOverview,
    PeriodTotals,
    heatmap_weeks,
    session_day,
    streaks,
    totals,
    week_start,
)


def period_totals(sessions: Sequence[SessionLike], today: date, tz: tzinfo) -> PeriodTotals:
    """Totals for today, today's ISO week (Monday first) and today's calendar month."""
    days = [(s, session_day(s, tz)) for s in sessions]
    monday = week_start(today)
    return PeriodTotals(
        today=totals(s for s, day in days if day == today),
        week=totals(s for s, day in days if monday <= day < monday + timedelta(days=7)),
        month=totals(s for s, day in days if (day.year, day.month) == (today.year, today.month)),
    )


def daily_sets(sessions: Sequence[SessionLike], tz: tzinfo) -> dict[date, int]:
    """Completed sets per local day; days without any completed set are left out."""
    daily: dict[date, int] = {}
    for s in sessions:
        if s.sets_done:
            day = session_day(s, tz)
            daily[day] = daily.get(day, 0) + s.sets_done
    return daily


def weekly_sets(
    sessions: Sequence[SessionLike], today: date, tz: tzinfo, weeks: int = 12
) -> list[tuple[date, int]]:
    """Completed sets per week (Monday start), oldest first, the current week last."""
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, got {weeks}")
    current = week_start(today)
    per_week = dict.fromkeys((current - timedelta(weeks=weeks - 1 - i) for i in range(weeks)), 0)
    for day, count in daily_sets(sessions, tz).items():
        if week_start(day) in per_week:
            per_week[week_start(day)] += count
    return list(per_week.items())


def overview(
    sessions: Sequence[SessionLike],
    prompts: Sequence[PromptRecord],
    today: date,
    tz: tzinfo,
    adherence_days: int = 30,
) -> HistoryOverview:
    """Every figure of the history window, each asked of its own function over every session.

    ``adherence`` covers the ``adherence_days`` local days up to and including ``today``.
    """
    if adherence_days < 1:
        raise ValueError(f"adherence days must be 1 or more, got {adherence_days}")
    since = datetime.combine(today - timedelta(days=adherence_days - 1), time(), tz)
    until = datetime.combine(today + timedelta(days=1), time(), tz)
    return HistoryOverview(
        periods=period_totals(sessions, today, tz),
        streaks=streaks(sessions, today, tz),
        adherence=adherence(prompts, sessions, since, until),
        heat=heatmap_weeks(daily_sets(sessions, tz), today),
        weekly=weekly_sets(sessions, today, tz),
    )
