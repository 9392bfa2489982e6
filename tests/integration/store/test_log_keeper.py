"""The keeper of the session log: writes wait in memory, in order, until the history opens.

The store is real; what opening finds is scripted (the fault tests make the real causes);
the retry timer is fired by hand.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import Feeling
from stretchbreak.infra.store import Store
from stretchbreak.infra.store_open import OpeningKind, StoreOpening
from stretchbreak.infra.store_writer import StoreWriteError
from stretchbreak.services import log_keeper
from stretchbreak.services.log_keeper import RETRY_DELAYS_S, LogKeeper, NotSaved
from tests.fakes import FakeTimers
from tests.faults.sqlite_lock import HeldLock
from tests.integration.store.store_samples import a_set, prompt, started

LOCKED = StoreOpening(None, OpeningKind.UNAVAILABLE, "the file is in use", retry=True)
TOO_NEW = StoreOpening(None, OpeningKind.TOO_NEW, "the file is too new", retry=False)


class Openings:
    """Hands out the scripted openings in turn; the last one stays."""

    def __init__(self, *openings: StoreOpening) -> None:
        self._openings = list(openings)
        self.calls = 0

    def __call__(self) -> StoreOpening:
        self.calls += 1
        return self._openings.pop(0) if len(self._openings) > 1 else self._openings[0]


def opened(path: Path) -> StoreOpening:
    return StoreOpening(Store.open(path), OpeningKind.OPENED)


def test_writes_wait_in_order_and_reach_the_store_once_it_opens(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "stretchbreak.sqlite3"
    timers = FakeTimers()
    reopen = Openings(LOCKED, LOCKED, opened(path))
    keeper = LogKeeper(LOCKED, reopen, timers)
    (timer,) = timers.made
    assert timer.seconds == RETRY_DELAYS_S[0]
    with pytest.raises(NotSaved, match="waits in memory with 0 other unsaved changes"):
        keeper.record_session_started(started("s"))
    for index in (1, 2):
        with pytest.raises(NotSaved, match=f"with {index} other unsaved change"):
            keeper.record_set(a_set("s", index))
    with pytest.raises(NotSaved):
        keeper.record_feeling("s", Feeling.EASY)
    keeper.record_prompt(prompt(0))  # waits too, without an error for the schedule
    assert keeper.last_session("dynamic-back-stretch") is not None, "reads come from memory"
    assert [s.set_index for s in keeper.session_sets("s")] == [1, 2]

    timer.fire()
    assert timer.seconds == RETRY_DELAYS_S[1], "the next try comes later"
    with qtbot.waitSignal(keeper.saved_again) as said:
        timer.fire()
        timer.fire()
    assert said.args == [
        f"Your history {path} can be written again: the 5 changes that waited in memory were saved."
    ]
    store = keeper.store
    assert isinstance(store, Store)
    assert keeper.notice is None
    assert keeper.unsaved == ()
    (record,) = store.sessions()
    assert [s.set_index for s in record.sets] == [1, 2]
    assert record.feeling is Feeling.EASY
    assert len(store.prompts()) == 1
    assert keeper.close() == ()


def test_a_newer_file_is_not_tried_again_and_what_waits_is_named_at_exit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    timers = FakeTimers()
    keeper = LogKeeper(TOO_NEW, Openings(TOO_NEW), timers)
    assert not timers.made[0].armed
    with pytest.raises(NotSaved, match="listed in the log when you quit"):
        keeper.record_set(a_set("s", 1))
    with caplog.at_level(logging.ERROR):
        assert keeper.close() == ("set 1 of session s",)
    assert "not saved (the file is too new), set 1 of session s" in caplog.text


def test_a_new_reason_is_told_once(qtbot: QtBot, tmp_path: Path) -> None:
    timers = FakeTimers()
    moved = StoreOpening(None, OpeningKind.READ_ONLY, "now it is read-only", retry=True)
    keeper = LogKeeper(LOCKED, Openings(moved), timers)
    with qtbot.waitSignal(keeper.notice_changed) as said:
        timers.made[0].fire()
    assert said.args == ["now it is read-only"]
    with qtbot.assertNotEmitted(keeper.notice_changed):
        timers.made[0].fire()
    assert keeper.notice == "now it is read-only"


def test_a_write_the_open_store_refuses_for_good_is_not_retried(tmp_path: Path) -> None:
    timers = FakeTimers()
    keeper = LogKeeper(opened(tmp_path / "stretchbreak.sqlite3"), Openings(LOCKED), timers)
    with pytest.raises(KeyError):
        keeper.record_feeling("never-started", Feeling.EASY)
    assert not timers.made[0].armed
    assert keeper.close() == ()


def test_a_lock_taken_after_opening_is_waited_out_on_the_timer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A real lock in another process: the write waits in the store's queue, the event loop
    does not (each try waits at most a fraction of a second for the lock)."""
    path = tmp_path / "stretchbreak.sqlite3"
    timers = FakeTimers()
    keeper = LogKeeper(opened(path), Openings(LOCKED), timers)
    (timer,) = timers.made
    with HeldLock(path) as lock:
        with pytest.raises(StoreWriteError, match="database is locked"):
            keeper.record_set(a_set("s", 1))
        assert timer.armed
        timer.fire()
        assert timer.armed, "still locked: tried again later"
        assert keeper.unsaved == ("set 1 of session s",)
        lock.release()
        with qtbot.waitSignal(keeper.saved_again) as said:
            timer.fire()
    assert "the 1 change that waited in memory was saved" in said.args[0]
    store = keeper.store
    assert isinstance(store, Store)
    assert store.count_sets() == 1
    assert keeper.close() == ()


def test_prompts_wait_quietly_and_the_next_write_brings_everything_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "stretchbreak.sqlite3"
    timers = FakeTimers()
    keeper = LogKeeper(LOCKED, Openings(opened(path)), timers)
    keeper.record_prompt(prompt(0))  # no error for the schedule to report
    assert keeper.unsaved == (f"the prompt due at {prompt(0).due_at.isoformat()}",)
    timers.made[0].fire()
    store = keeper.store
    assert isinstance(store, Store)
    assert len(store.prompts()) == 1

    with HeldLock(path) as lock:
        with pytest.raises(StoreWriteError):
            keeper.record_set(a_set("s", 1))
        lock.release()
    with qtbot.waitSignal(keeper.saved_again) as said:
        keeper.record_set(a_set("s", 2))  # the waiting set goes first, then this one
    assert "the 1 change that waited in memory was saved" in said.args[0]
    assert not timers.made[0].armed
    assert [s.set_index for r in store.sessions() for s in r.sets] == [1, 2]
    assert keeper.close() == ()


def test_a_prompt_kept_by_the_store_waits_quietly_in_any_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store names its waiting writes in English; the keeper's own words may be translated
    and must not decide whether the prompt was kept."""
    monkeypatch.setattr(log_keeper, "tr", lambda text: f"übersetzt: {text}")
    path = tmp_path / "stretchbreak.sqlite3"
    keeper = LogKeeper(opened(path), Openings(opened(path)), FakeTimers())
    with HeldLock(path):
        keeper.record_prompt(prompt(0))  # kept for later: no error for the schedule
    (waiting,) = keeper.unsaved
    assert waiting.startswith("the prompt due at ")
    assert keeper.close() == ()
    store = Store.open(path)
    assert len(store.prompts()) == 1
    store.close()
