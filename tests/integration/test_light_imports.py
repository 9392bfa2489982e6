"""What the tray process loads: the start path and APScheduler leave heavy modules out.

Each check runs in a fresh interpreter, because this test process has imported most of the
standard library already.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stretchbreak.infra import apscheduler_import
from stretchbreak.infra.apscheduler_import import installed_version, stand_ins

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(script: str) -> dict[str, object]:
    """Run ``script`` offscreen; it prints one JSON object as its last line."""
    answer = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(answer.stdout.strip().splitlines()[-1])
    return result


def test_the_scheduler_runs_without_asyncio_metadata_or_process_pools() -> None:
    result = loaded_after(
        """
import json, sys
from datetime import UTC, datetime, timedelta
from PySide6.QtCore import QCoreApplication, QTimer
qt = QCoreApplication([])
from stretchbreak.infra.scheduler import BreakScheduler
rang = []
alarm = BreakScheduler()
alarm.start()
soon = datetime.now(UTC) + timedelta(milliseconds=50)
alarm.schedule_at(soon, lambda: (rang.append(1), qt.quit()))
QTimer.singleShot(10_000, qt.quit)
qt.exec()
heavy = ("asyncio", "ssl", "importlib.metadata", "multiprocessing", "apscheduler.executors.pool")
loaded = [name for name in heavy if name in sys.modules]
import asyncio, importlib.metadata  # the real modules are still there for anyone who asks
real = asyncio.run(asyncio.sleep(0, "ok")) == "ok"
real = real and bool(importlib.metadata.version("APScheduler"))
alarm.shutdown()
print(json.dumps({"rang": rang, "loaded": loaded, "real": real}))
"""
    )
    assert result == {"rang": [1], "loaded": [], "real": True}


def test_showing_the_tray_loads_neither_the_app_nor_its_windows() -> None:
    # json is not in the list: every start hands its wish to a running app first, as one JSON
    # line (``instance_protocol``), so json is loaded before the face shows anyway.
    result = loaded_after(
        """
import json, sys
import stretchbreak.__main__, stretchbreak.cli.main, stretchbreak.app.launch
heavy = ("stretchbreak.app.compose", "stretchbreak.app.reminders", "stretchbreak.ui.widgets",
         "stretchbreak.ui.status_window", "stretchbreak.core.exercise", "stretchbreak.infra.store",
         "apscheduler", "logging.handlers", "hashlib", "importlib.resources", "sqlite3",
         "PySide6.QtNetwork", "dataclasses")
loaded = [name for name in heavy if name in sys.modules]
print(json.dumps({"loaded": loaded}))
"""
    )
    assert result == {"loaded": []}


def test_stand_ins_never_shadow_a_module_already_imported() -> None:
    import asyncio

    real = sys.modules["asyncio"]
    with stand_ins():
        assert sys.modules["asyncio"] is real is asyncio
    assert sys.modules["asyncio"] is real


def test_stand_ins_are_gone_afterwards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "apscheduler.executors.pool", raising=False)
    with stand_ins():
        stand_in = sys.modules["apscheduler.executors.pool"]
        with pytest.raises(RuntimeError, match="DebugExecutor"):
            stand_in.ThreadPoolExecutor()
    assert "apscheduler.executors.pool" not in sys.modules


def test_the_version_is_read_from_the_installed_distribution() -> None:
    assert installed_version("APScheduler") == importlib.metadata.version("APScheduler")
    with pytest.raises(ModuleNotFoundError):
        installed_version("no-such-distribution-here")


def test_importing_twice_does_nothing_more() -> None:
    apscheduler_import.import_apscheduler()
    modules = dict(sys.modules)
    apscheduler_import.import_apscheduler()
    assert dict(sys.modules) == modules


def test_pyside_feature_check_keeps_no_sources_and_still_tells_qt_modules_apart() -> None:
    result = loaded_after(
        """
import json, linecache, sys
from stretchbreak.infra.qt_binding import lighten_feature_check
first = lighten_feature_check()
import stretchbreak.ui.tray, stretchbreak.core.goal_ids, stretchbreak.app.launch
check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
print(json.dumps({
    "first": first,
    "again": lighten_feature_check(),
    "cached_sources": len(linecache.cache),
    "tray": check(sys.modules["stretchbreak.ui.tray"]),
    "goal_ids": check(sys.modules["stretchbreak.core.goal_ids"]),
    "builtin": check(sys),
}))
"""
    )
    assert result == {
        "first": True,
        "again": False,
        "cached_sources": 0,
        "tray": True,  # uses PySide6: its __feature__ switches may apply
        "goal_ids": False,  # pure Python: ignored by PySide
        "builtin": False,  # no file: PySide's own check answers
    }
