"""What the history window shows and changes: the log's sessions, their statistics, edits.

The window never touches the store; it asks this book for a snapshot and for edits, and
redraws when the book says the log changed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.clock import Clock
from stretchbreak.core.export import parse_sets_csv, sessions_to_json, sets_to_csv
from stretchbreak.core.history import PromptRecord, SessionDigest, SessionRecord
from stretchbreak.core.stats import (
    Adherence,
    DayDetail,
    HeatCell,
    PeriodTotals,
    Streaks,
    day_detail,
    overview,
)
from stretchbreak.infra.atomic_file import write_atomically

#: How far back the adherence figure looks.
ADHERENCE_DAYS = 30
ExportFormat = Literal["csv", "json"]


class ImportCount(Protocol):
    @property
    def added(self) -> int: ...

    @property
    def skipped(self) -> int: ...


class HistorySource(Protocol):
    """The part of the store the history needs; days are local ones, in the source's zone."""

    def session_digests(
        self, since: date | None = None, until: date | None = None
    ) -> list[SessionDigest]:
        """Sessions with their sets added up, oldest first: cheap enough for every refresh."""
        ...

    def revision(self) -> Hashable:
        """Differs whenever the log may have changed; an equal one means the same reads."""
        ...

    def sessions_by_id(self, ids: Iterable[str]) -> list[SessionRecord]:
        """Whole sessions, sets included, oldest first: for what must not lose a detail."""
        ...

    def prompts(
        self, since: date | None = None, until: date | None = None
    ) -> list[PromptRecord]: ...

    def delete_sessions(self, ids: Iterable[str]) -> list[SessionRecord]: ...

    def restore_sessions(self, records: Iterable[SessionRecord]) -> None: ...

    def import_sessions(self, records: Iterable[SessionRecord]) -> ImportCount: ...


@dataclass(frozen=True)
class HistorySnapshot:
    sessions: tuple[SessionDigest, ...]
    periods: PeriodTotals
    streaks: Streaks
    adherence: Adherence
    heat: list[list[HeatCell]]
    weekly: list[tuple[date, int]]
    today: date
    tz: tzinfo
    #: Why there is no history to show (no database), or None.
    unavailable: str | None


class HistoryBook(QObject):
    """Signals: ``changed()`` whenever the log gained, lost or regained sessions.

    A snapshot is kept until the log's revision, the day or the zone differs: opening the
    window again on an unchanged log then costs no read at all.
    """

    changed = Signal()

    def __init__(
        self,
        source: HistorySource | None,
        clock: Clock,
        zone: Callable[[], tzinfo],
        unavailable: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._clock = clock
        self._zone = zone
        self._unavailable = unavailable
        self._sessions: tuple[SessionDigest, ...] = ()
        self._kept: tuple[Hashable, HistorySnapshot] | None = None

    @property
    def available(self) -> bool:
        return self._source is not None

    def snapshot(self) -> HistorySnapshot:
        """Read the whole log as digests and compute every figure the window shows.

        The same snapshot as last time when neither the log, nor the day, nor the zone
        changed since: each figure depends on nothing else.
        """
        tz = self._zone()
        today = self._clock.now().astimezone(tz).date()
        key = (self._source.revision(), today, tz) if self._source else None
        if key is not None and self._kept is not None and self._kept[0] == key:
            return self._kept[1]
        sessions = tuple(self._source.session_digests()) if self._source else ()
        # Only the adherence figure reads prompts, and only its last days; two days more
        # than it needs cover a source that counts days in another zone than ``tz``.
        first = today - timedelta(days=ADHERENCE_DAYS + 1)
        prompts = self._source.prompts(since=first) if self._source else []
        self._sessions = sessions
        figures = overview(sessions, prompts, today, tz, ADHERENCE_DAYS)
        snapshot = HistorySnapshot(
            sessions=sessions,
            periods=figures.periods,
            streaks=figures.streaks,
            adherence=figures.adherence,
            heat=figures.heat,
            weekly=figures.weekly,
            today=today,
            tz=tz,
            unavailable=None if self._source else self._unavailable,
        )
        self._kept = None if key is None else (key, snapshot)
        return snapshot

    def day_detail(self, day: date) -> DayDetail:
        return day_detail(self._sessions, day, self._zone())

    def notify_changed(self) -> None:
        """Something outside the window (a finished set) added to the log."""
        self.changed.emit()

    def delete(self, ids: Iterable[str]) -> list[SessionRecord]:
        """Delete sessions and hand them back whole, so Undo can restore them exactly.

        The store reads them inside the deleting transaction, so what comes back is exactly
        what went; reading them first and deleting after would leave a gap between the two.
        """
        if self._source is None:
            return []
        deleted = self._source.delete_sessions(ids)
        self.changed.emit()
        return deleted

    def restore(self, records: Sequence[SessionRecord]) -> None:
        if self._source is None or not records:
            return
        self._source.restore_sessions(records)
        self.changed.emit()

    def export(self, ids: Iterable[str], fmt: ExportFormat, path: Path) -> None:
        """Write atomically: a failed export never leaves half a file where the user expects one.

        The window lists digests; an export needs every set, so the sessions are read whole.
        """
        sessions = self._source.sessions_by_id(ids) if self._source else []
        text = sets_to_csv(sessions) if fmt == "csv" else sessions_to_json(sessions)
        write_atomically(path, text.encode("utf-8"))

    def import_csv(self, path: Path) -> ImportCount:
        """Check every row first; one bad row imports nothing and says which line."""
        if self._source is None:
            raise OSError(self._unavailable or "the history is unavailable")
        text = path.read_text(encoding="utf-8-sig")
        records = parse_sets_csv(text, str(path))
        result = self._source.import_sessions(records)
        self.changed.emit()
        return result
