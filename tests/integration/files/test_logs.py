"""The log file rotates at its size limit and stays private to its owner."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from stretchbreak.infra.logs import RotatingLog, setup_logging
from stretchbreak.infra.paths import LOG_NAME


@pytest.fixture
def handler(tmp_path: Path) -> Iterator[RotatingLog]:
    made = RotatingLog(tmp_path / LOG_NAME, max_bytes=200, keep=2)
    made.setFormatter(logging.Formatter("%(message)s"))
    yield made
    made.close()


def write(handler: RotatingLog, text: str) -> None:
    handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, text, None, None))


def test_a_full_log_moves_to_dot_one_and_the_oldest_is_dropped(
    handler: RotatingLog, tmp_path: Path
) -> None:
    for n in range(4):
        write(handler, f"batch {n} " + "x" * 200)
    handler.flush()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2"]
    assert "batch 3" in (tmp_path / LOG_NAME).read_text()
    assert "batch 2" in (tmp_path / f"{LOG_NAME}.1").read_text()
    assert "batch 1" in (tmp_path / f"{LOG_NAME}.2").read_text()
    assert "batch 0" not in "".join(p.read_text() for p in tmp_path.iterdir())


def test_a_log_started_after_rotation_is_private(handler: RotatingLog, tmp_path: Path) -> None:
    for n in range(2):
        write(handler, f"batch {n} " + "x" * 200)
    handler.flush()
    mode = stat.S_IMODE((tmp_path / LOG_NAME).stat().st_mode)
    assert mode == 0o600


def test_setup_logging_writes_info_to_the_file_and_keeps_it_private(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    logging.getLogger("stretchbreak.test").info("hello from the test")
    for h in logging.getLogger().handlers:
        h.flush()
    assert "hello from the test" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    root = logging.getLogger()
    for h in [
        h for h in root.handlers if h.get_name() in ("stretchbreak-file", "stretchbreak-console")
    ]:
        root.removeHandler(h)
        h.close()
