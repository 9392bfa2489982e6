"""The session log the app writes to, whether the history file can be opened yet or not.

A history can be out of reach at start, or become so later: another program holds a write
lock, the file is a link into a folder not mounted yet, the disk is full. The keeper stands
between the app and the store so that no finished set is lost to that: while there is no
store it keeps every write in memory, in order (and answers reads from memory); it tries
again on its own timer with back-off (1 s, doubling, then once a minute), never waiting on
the event loop for a lock; once the file opens it writes what waited, in order, and says so.
Writes the open store could not do wait in the store's own queue and are retried the same
way. Whatever still cannot be written when the app quits is returned by ``close`` so the
user can be told exactly what.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from stretchbreak.core.history import CompletedSet, Feeling, PromptRecord
from stretchbreak.core.session_log import LastSession, MemorySessionLog, SessionLog
from stretchbreak.services.timers import WakeTimerFactory
from stretchbreak.services.translate import tr

if TYPE_CHECKING:
    from stretchbreak.core.session_values import SessionStarted, SessionSummary

log = logging.getLogger(__name__)

#: Seconds between tries: quick at first (a lock is often released within seconds), then
#: once a minute, so a history that stays out of reach costs one cheap try a minute.
RETRY_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
#: How long one try waits for another process's lock: short, it runs on the event loop.
RETRY_PATIENCE_MS = 100


class KeptStore(SessionLog, Protocol):
    """What the keeper needs of ``infra.store.Store`` (services never see SQLite)."""

    @property
    def path(self) -> Path: ...

    @property
    def pending_count(self) -> int: ...

    @property
    def pending(self) -> tuple[str, ...]: ...

    def record_prompt(self, prompt: PromptRecord) -> None: ...

    def retry_pending(self, patience_ms: int | None = None) -> bool: ...

    def close(self) -> None: ...


class Opening(Protocol):
    """What ``infra.store_open.open_store`` returns."""

    @property
    def store(self) -> Any: ...

    @property
    def notice(self) -> str | None: ...

    @property
    def retry(self) -> bool: ...


class NotSaved(RuntimeError):
    """A write kept in memory because the history is not open; the message says so."""


@dataclass(frozen=True)
class _Waiting:
    """One write that found no store, replayed into the store once there is one."""

    what: str
    value: object
    apply: Callable[[Any], None]


class LogKeeper(QObject):
    """The app's ``SessionLog`` and prompt log, with the store it owns or the one it awaits.

    Signals: ``store_opened(Store)`` when a store that was missing at start opens;
    ``saved_again(str)`` once everything that waited has reached the disk (the message says
    so); ``notice_changed(str)`` when the reason the file is out of reach changes.
    """

    store_opened = Signal(object)
    saved_again = Signal(str)
    notice_changed = Signal(str)

    def __init__(
        self,
        opening: Opening,
        reopen: Callable[[], Opening],
        wake_timer: WakeTimerFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store: KeptStore | None = opening.store
        #: Writes that could not reach the disk since the last time everything was saved.
        self._held = 0
        self._notice = None if opening.store else opening.notice
        self._reopen = reopen
        self._retrying = opening.retry
        self._memory = MemorySessionLog()
        self._waiting: deque[_Waiting] = deque()
        self._timer = wake_timer(self._on_timer_timeout)
        self._tries = 0
        self._opened_with: str | None = None
        if self._notice:
            log.warning("%s", self._notice)
        if self._store is None and self._retrying:
            self._arm()

    @property
    def store(self) -> KeptStore | None:
        return self._store

    @property
    def notice(self) -> str | None:
        """Why sets are not being saved now, or None while the file is open."""
        return self._notice

    @property
    def unsaved(self) -> tuple[str, ...]:
        """What each write still waiting is, oldest first."""
        if self._store is not None:
            return self._store.pending
        return tuple(w.what for w in self._waiting)

    # ------------------------------------------------------------------ SessionLog
    def record_session_started(self, started: SessionStarted) -> None:
        what = tr("the start of session {id}").format(id=started.session_id)
        self._write(what, started, lambda log: log.record_session_started(started))

    def record_set(self, record: CompletedSet) -> None:
        what = tr("set {index} of session {id}").format(
            index=record.set_index, id=record.session_id
        )
        self._write(what, record, lambda log: log.record_set(record))

    def record_session_ended(self, summary: SessionSummary) -> None:
        what = tr("the end of session {id}").format(id=summary.session_id)
        self._write(what, summary, lambda log: log.record_session_ended(summary))

    def record_feeling(self, session_id: str, feeling: Feeling) -> None:
        what = tr("the feeling of session {id}").format(id=session_id)
        value = (session_id, feeling)
        self._write(what, value, lambda log: log.record_feeling(session_id, feeling))

    def record_prompt(self, prompt: PromptRecord) -> None:
        """Like a set, but quietly: the schedule's bookkeeping is no news for the user, whose
        notice already says the history waits; it is written in turn with the sets."""
        what = tr("the prompt due at {time}").format(time=prompt.due_at.isoformat())
        waiting = len(self.unsaved)
        try:
            self._write(what, prompt, lambda store: store.record_prompt(prompt), memory=False)
        except Exception as error:
            if len(self.unsaved) <= waiting:
                raise  # refused for good, not kept: the caller logs it
            log.info("%s waits in memory: %s", what, error)

    def last_session(
        self, exercise: str, goal: str | None = None, *, with_sets: bool = False
    ) -> LastSession | None:
        source = self._store if self._store is not None else self._memory
        return source.last_session(exercise, goal, with_sets=with_sets)

    def session_sets(self, session_id: str) -> list[CompletedSet]:
        source = self._store if self._store is not None else self._memory
        return source.session_sets(session_id)

    # ------------------------------------------------------------------ writing
    def _write(
        self, what: str, value: object, apply: Callable[[Any], None], *, memory: bool = True
    ) -> None:
        """To the store, or into memory behind what already waits; raises when not saved."""
        store = self._store
        if store is not None:
            waiting = store.pending_count
            try:
                apply(store)
            except Exception:
                if store.pending_count > waiting:  # kept in the store's queue, not refused
                    self._held += 1
                    if not self._timer.armed:
                        self._tries = 0
                        self._arm()
                raise
            if self._held and not store.pending_count:  # what waited went first, in order
                self._timer.disarm()
                self._tries = 0
                self._say_saved()
            return
        if memory:
            apply(self._memory)
        self._waiting.append(_Waiting(what, value, apply))
        self._held += 1
        others = len(self._waiting) - 1
        # Whoever reports it names the write ("Could not save set 2: it waits …").
        raise NotSaved(_waiting_text(others, self._notice, self._retrying))

    def _arm(self) -> None:
        delay = RETRY_DELAYS_S[min(self._tries, len(RETRY_DELAYS_S) - 1)]
        self._tries += 1
        self._timer.arm(delay)

    def _on_timer_timeout(self) -> None:
        if self._store is None and not self._try_to_open():
            if self._retrying:
                self._arm()
            return
        store = self._store
        assert store is not None
        if store.pending_count and not store.retry_pending(RETRY_PATIENCE_MS):
            self._arm()
            return
        self._tries = 0
        self._say_saved()

    def _try_to_open(self) -> bool:
        """One try; on success, what waited in memory goes to the store in order."""
        opening = self._reopen()
        if opening.store is None:
            self._retrying = opening.retry
            if opening.notice and opening.notice != self._notice:
                log.warning("%s", opening.notice)
                self._notice = opening.notice
                self.notice_changed.emit(opening.notice)
            return False
        store = self._store = opening.store
        self._notice = None
        self._opened_with = opening.notice  # a damaged file moved aside: said with the news
        waited = list(self._waiting)
        self._waiting.clear()
        for write in waited:
            before = store.pending_count
            try:
                write.apply(store)
            except Exception as error:
                if store.pending_count == before:  # refused for good: it must not block the rest
                    log.error("dropping %s: %s: %r", write.what, error, write.value)
        self.store_opened.emit(store)
        return True

    def _say_saved(self) -> None:
        store = self._store
        assert store is not None
        count, self._held = self._held, 0
        message = _saved_again_text(store.path, count)
        if self._opened_with:
            message = f"{self._opened_with} {message}"
        self._opened_with = None
        log.info("%s", message)
        self.saved_again.emit(message)

    # ------------------------------------------------------------------ quitting
    def close(self) -> tuple[str, ...]:
        """One last try, then close; returns what could still not be saved (each is logged
        with its full value, so nothing leaves the process without a trace)."""
        self._timer.disarm()
        if self._store is None and self._retrying:
            self._try_to_open()
        store = self._store
        if store is None:
            where = self._notice or "the history is not open"
            for write in self._waiting:
                log.error("not saved (%s), %s: %r", where, write.what, write.value)
            return tuple(w.what for w in self._waiting)
        store.retry_pending(RETRY_PATIENCE_MS)
        unsaved = store.pending
        store.close()
        return unsaved


def _waiting_text(others: int, notice: str | None, retrying: bool) -> str:
    """Why a write was not saved, for the message that names it; ``notice`` is the store's."""
    if others == 1:
        text = tr("it waits in memory with 1 other unsaved change.")
    else:
        text = tr("it waits in memory with {count} other unsaved changes.").format(count=others)
    text += " " + (notice or tr("The history is not open."))
    if not retrying:
        text += " " + tr("Sets not saved by then are listed in the log when you quit.")
    return text


def _saved_again_text(path: Path, count: int) -> str:
    """The news that the history takes writes again, and how many that waited were saved."""
    if count == 0:
        return tr("Your history {path} can be written again.").format(path=path)
    if count == 1:
        return tr(
            "Your history {path} can be written again: "
            "the 1 change that waited in memory was saved."
        ).format(path=path)
    return tr(
        "Your history {path} can be written again: "
        "the {count} changes that waited in memory were saved."
    ).format(path=path, count=count)
