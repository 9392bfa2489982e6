"""Units and the history's messages reach the user through the translation catalog too.

A German catalog is stood in by a translator that knows a handful of texts: what it knows
must come out translated wherever the app shows it, numbers in their place.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from stretchbreak.core.history import Outcome, SessionDigest, Source
from stretchbreak.core.target import Target
from stretchbreak.infra.export_file import write_export
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.ui.history_table import SessionTableModel
from stretchbreak.ui.text import goal_ranges, target_text
from tests.builders import make_goal
from tests.fakes import FakeClock

GERMAN = {
    "{seconds} s": "{seconds} Sek.",
    "hold": "Halten",
    "The history is unavailable.": "Der Verlauf ist nicht verfügbar.",
}
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class Catalog(QTranslator):
    """A catalog from a dict: Qt asks it for every ``tr()`` text, whatever the context."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return GERMAN.get(source, "")


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    catalog = Catalog()
    assert qapp.installTranslator(catalog)
    yield
    qapp.removeTranslator(catalog)


def test_the_history_table_writes_the_hold_in_the_user_s_language(german: None) -> None:
    started = NOW - timedelta(hours=1)
    session = SessionDigest(
        "a", "ex", "warmup", Source.MANUAL, started, started + timedelta(minutes=5),
        Outcome.COMPLETED, None, 5, 2, 16, 8, 0, 0, 60.0,
    )  # fmt: skip
    model = SessionTableModel({"warmup": "Warm-up"})
    model.set_sessions([session], UTC)
    assert model.index(0, 3).data() == "5 Sek."


def test_a_target_and_a_goal_write_their_seconds_in_the_user_s_language(german: None) -> None:
    assert target_text(Target(sets=2, reps=8, hold_seconds=4)).endswith("4 Sek. Halten")
    assert goal_ranges(make_goal(hold=(3, 5))).endswith("3–5 Sek. Halten")


def test_importing_without_a_history_says_why_in_the_user_s_language(
    german: None, tmp_path: Path
) -> None:
    book = HistoryBook(None, FakeClock(start=NOW), lambda: UTC, write_file=write_export)
    with pytest.raises(OSError, match=r"^Der Verlauf ist nicht verfügbar\.$"):
        book.start_import(tmp_path / "history.csv")
