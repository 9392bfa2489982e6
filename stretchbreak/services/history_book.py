"""What the history window shows and changes: the log's sessions, their statistics, edits.

The window never touches the store; it asks this book for a snapshot and for edits, and
redraws when the book says the log changed. A snapshot is computed from the log's outline
and its recent sessions (``core.stats.outline_overview``), and lists every session through
``SessionRows``, which reads a session's digest only once it is shown or needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import QObject, Qt, Signal

from stretchbreak.core.adherence import Adherence
from stretchbreak.core.clock import Clock
from stretchbreak.core.export import sessions_to_json, sets_to_csv
from stretchbreak.core.history import PromptRecord, SessionDigest, SessionRecord
from stretchbreak.core.stats import (
    DayDetail,
    HeatCell,
    Outline,
    PeriodTotals,
    Streaks,
    day_detail,
    outline_overview,
    recent_since,
)
from stretchbreak.core.tally import Tally, tally
from stretchbreak.services.history_import import FileImport, Importer, ImportJob
from stretchbreak.services.history_rows import SessionRows
from stretchbreak.services.translate import tr

log = logging.getLogger(__name__)

#: How far back the adherence figure looks.
ADHERENCE_DAYS = 30
#: Days read beyond those a figure needs, for a source that counts days by their bounds or in
#: another zone than the window's: some zones repeat an hour across midnight.
MARGIN = timedelta(days=2)
ExportFormat = Literal["csv", "json"]
#: Puts an export's text into the file the user chose, whole or not at all (raises OSError).
ExportWriter = Callable[[Path, str], None]


class HistorySource(Protocol):
    """The part of the store the history needs; days are local ones, in the source's zone."""

    def session_digests(
        self, since: date | None = None, until: date | None = None
    ) -> list[SessionDigest]:
        """Sessions with their sets added up, oldest first."""
        ...

    def session_outline(self, since: date | None = None, until: date | None = None) -> Outline:
        """Every session reduced to what figures over all of them need: cheap for any length."""
        ...

    def session_digests_by_id(self, ids: Iterable[str]) -> list[SessionDigest]:
        """The digests of these sessions (unknown ones left out), in any order."""
        ...

    def reading(self) -> AbstractContextManager[None]:
        """Reads inside the ``with`` block see one state of the log."""
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

    def import_csv_file(
        self,
        csv_path: Path,
        tz: tzinfo,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> FileImport:
        """Add a CSV file's new sessions, all or nothing; safe to call from another thread."""
        ...


@dataclass(frozen=True)
class HistorySnapshot:
    #: Every session, oldest first; each is read from the log when first asked for.
    sessions: Sequence[SessionDigest]
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
    #: Emitted while the window reads a session; ``changed`` follows once that is done.
    _stale = Signal()

    def __init__(
        self,
        source: HistorySource | None,
        clock: Clock,
        zone: Callable[[], tzinfo],
        unavailable: str | None = None,
        parent: QObject | None = None,
        *,
        write_file: ExportWriter,
    ) -> None:
        """``write_file`` puts an export on disk: the root gives ``infra.export_file``'s,
        tests a fake or that one."""
        super().__init__(parent)
        self._write_file = write_file
        self._source = source
        self._clock = clock
        self._zone = zone
        self._unavailable = unavailable
        self._kept: tuple[Hashable, HistorySnapshot] | None = None
        self._jobs: set[ImportJob] = set()
        self._stale.connect(self.changed.emit, Qt.ConnectionType.QueuedConnection)

    @property
    def available(self) -> bool:
        return self._source is not None

    def use_source(self, source: HistorySource | None, unavailable: str | None = None) -> None:
        """The history opened after all (or went out of reach, saying why): show that."""
        self._source = source
        self._unavailable = unavailable if source is None else None
        self._kept = None
        self.changed.emit()

    def snapshot(self) -> HistorySnapshot:
        """Read the log and compute every figure the window shows.

        The same snapshot as last time when neither the log, nor the day, nor the zone
        changed since: each figure depends on nothing else. The revision is taken before the
        reads, so a change that slips in between only costs one more read next time.
        """
        tz = self._zone()
        today = self._clock.now().astimezone(tz).date()
        source = self._source
        if source is None:
            return self._computed(Outline((), (), (), ()), [], [], today, tz, None)
        key = (source.revision(), today, tz)
        if self._kept is not None and self._kept[0] == key:
            return self._kept[1]
        with source.reading():
            outline = source.session_outline()
            # Only the adherence figure reads prompts, and only its last days.
            prompts = source.prompts(since=today - timedelta(days=ADHERENCE_DAYS - 1) - MARGIN)
            recent = source.session_digests(since=recent_since(today, prompts, tz) - MARGIN)
        snapshot = self._computed(outline, recent, prompts, today, tz, key[0])
        self._kept = (key, snapshot)
        return snapshot

    def _computed(
        self,
        outline: Outline,
        recent: list[SessionDigest],
        prompts: list[PromptRecord],
        today: date,
        tz: tzinfo,
        revision: Hashable,
    ) -> HistorySnapshot:
        """The figures, and the sessions as the revision read left them."""
        figures = outline_overview(outline, recent, prompts, today, tz, ADHERENCE_DAYS)
        source = self._source
        sessions = SessionRows(
            source.session_digests_by_id if source else lambda ids: [],
            source.session_digests if source else list,
            outline.session_ids,
            outline.started_at,
            recent,
            stale=lambda: source is not None and source.revision() != revision,
            on_stale=self._stale.emit,
        )
        return HistorySnapshot(
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

    def day_detail(self, day: date) -> DayDetail:
        """What a heatmap tooltip says: that day's sessions, read when it is shown."""
        tz = self._zone()
        near = self._source.session_digests(day - MARGIN, day + MARGIN) if self._source else []
        return day_detail(near, day, tz)

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

    def export(self, ids: Iterable[str], fmt: ExportFormat, path: Path) -> Tally:
        """Write atomically (a failed export never leaves half a file where the user expects
        one); return the written sessions added up, for a message that counts what the file
        holds: ``sessions`` for both formats, and ``empty`` ones only a JSON file holds (a CSV
        has rows of sets, and an empty session has none).

        The window lists digests; an export needs every set, so the sessions are read whole.
        """
        sessions = self._source.sessions_by_id(ids) if self._source else []
        text = sets_to_csv(sessions) if fmt == "csv" else sessions_to_json(sessions)
        self._write_file(path, text)
        return tally(sessions)

    def _importer(self) -> Importer:
        source = self._source
        if source is None:
            raise OSError(self._unavailable or tr("The history is unavailable."))
        zone = self._zone()
        return lambda csv, progress, cancelled: source.import_csv_file(
            csv, zone, progress, cancelled
        )

    def import_csv(self, path: Path) -> FileImport:
        """Import now, on this thread: every row is checked first, one bad row imports
        nothing and says which line. The window uses ``start_import`` instead."""
        result = self._importer()(path, lambda done, total: None, lambda: False)
        self.changed.emit()
        return result

    def start_import(self, path: Path) -> ImportJob:
        """An import on a worker thread; the caller connects its signals, then starts it.

        The book says ``changed`` once it succeeded, and the job deletes itself when done.
        """
        job = ImportJob(self._importer(), path, self)
        job.imported.connect(self._on_job_imported)
        job.finished.connect(lambda: self._jobs.discard(job))
        job.finished.connect(job.deleteLater)
        self._jobs.add(job)
        return job

    def stop_imports(self) -> None:
        """At quit: cancel every running import and wait for it, so no thread outlives the
        app and the log is closed only after the import's own connection let go of it.

        A cancelled import adds nothing, so the log is exactly as before it began.
        """
        for job in list(self._jobs):
            if job.isRunning():
                log.warning("quitting during an import of %s: it is cancelled", job.path)
                job.cancel()
                job.wait()
        self._jobs.clear()

    def _on_job_imported(self, result: object) -> None:
        self.changed.emit()
