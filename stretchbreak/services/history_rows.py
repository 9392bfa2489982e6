"""The sessions the history window lists, each read from the log when it is first needed.

A long history has 20 000 sessions and the window shows about twenty. Reading every digest
takes longer than all the figures together, so a snapshot holds the sessions' ids and starts
(from the outline it computes the figures from) and the digests of its recent sessions, and
reads the others a block at a time as the table scrolls to them, or all at once when a sort,
a filter or an export needs every one.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import overload

from stretchbreak.core.history import SessionDigest, Source

#: Sessions read at a time around one the table asks for: a few screens, one small query.
BLOCK = 256


class SessionRows(Sequence[SessionDigest]):
    """The digests of the sessions ``session_ids`` (oldest first, as ``started_at``), which
    ``read`` finds by their ids (in any order, leaving out those it does not know) and
    ``read_all`` gives all of, the quicker way once most are wanted.

    ``stale()`` says whether the log changed since the ids were read; reading on then could
    show a session that changed, or find one gone, so ``on_stale()`` is called to have the
    snapshot made again, and a session gone meanwhile stands in with its start alone until
    then. The app's own changes never get that far: the window reads a new snapshot at once.
    """

    def __init__(
        self,
        read: Callable[[Iterable[str]], list[SessionDigest]],
        read_all: Callable[[], list[SessionDigest]],
        session_ids: Sequence[str],
        started_at: Sequence[datetime],
        known: Iterable[SessionDigest],
        stale: Callable[[], bool],
        on_stale: Callable[[], None],
    ) -> None:
        self._read = read
        self._read_all = read_all
        self.session_ids = session_ids
        self.started_at = started_at
        self._stale = stale
        self._on_stale = on_stale
        self._found: list[SessionDigest | None] = [None] * len(session_ids)
        self._missing = len(session_ids)
        self._positions = {session_id: p for p, session_id in enumerate(session_ids)}
        self._place(known)

    def __len__(self) -> int:
        return len(self.session_ids)

    @overload
    def __getitem__(self, index: int) -> SessionDigest: ...

    @overload
    def __getitem__(self, index: slice) -> list[SessionDigest]: ...

    def __getitem__(self, index: int | slice) -> SessionDigest | list[SessionDigest]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self._found[index]
        if found is None:
            position = range(len(self))[index]  # negative indexes, and IndexError
            low = max(0, position - BLOCK // 2)
            self._load(range(low, min(len(self), low + BLOCK)))
            found = self._found[position]
            assert found is not None
        return found

    def __iter__(self) -> Iterator[SessionDigest]:
        """Every session, read in one go if not all read yet: a sort or a filter needs all."""
        if self._missing:
            self._load(range(len(self)))
        return iter(self._found)  # type: ignore[arg-type]  # no None is left

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same digests in the same order, as a tuple would be
        to a tuple: a snapshot compares by what it lists, however much of it was read."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable as it fills in, like a list

    def _load(self, positions: range) -> None:
        wanted = [self.session_ids[p] for p in positions if self._found[p] is None]
        if self._stale():
            self._on_stale()
        self._place(self._read_all() if len(wanted) > len(self) // 2 else self._read(wanted))
        for position in positions:
            if self._found[position] is None:  # gone since the snapshot
                self._found[position] = self._stand_in(position)
                self._missing -= 1

    def _place(self, digests: Iterable[SessionDigest]) -> None:
        for digest in digests:
            position = self._positions.get(digest.session_id)
            if position is not None and self._found[position] is None:
                self._found[position] = digest
                self._missing -= 1

    def _stand_in(self, position: int) -> SessionDigest:
        """A session deleted by another program since the snapshot: its id and start only."""
        session_id, started = self.session_ids[position], self.started_at[position]
        return SessionDigest(
            session_id, "", "", Source.MANUAL, started, None, None, None, 0, 0, 0, 0, 0, 0, 0.0
        )
