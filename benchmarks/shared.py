"""Pieces every benchmark needs: a real X server, and a database filled fast."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    """Start Xvfb on ``display`` and point Qt at it; the caller stops the returned process."""
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is not installed (apt-get install xvfb)")
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
        if time.monotonic() > deadline:
            server.kill()
            sys.exit("Xvfb did not start")
        time.sleep(0.02)
    return server


def bulk_insert(
    path: Path,
    sessions: Sequence[tuple[object, ...]],
    sets: Sequence[tuple[object, ...]],
    prompts: Sequence[tuple[object, ...]] = (),
) -> None:
    """Rows straight into a migrated database in one transaction: seconds, not minutes."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO sessions (id, exercise, goal, source, tempo, target_sets, target_reps,"
            " target_hold_s, started_at, ended_at, outcome, feeling)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        connection.executemany(
            "INSERT INTO sets (session_id, set_index, reps, hold_s, started_at, completed_at,"
            " active_s, paused_s, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sets,
        )
        connection.executemany(
            "INSERT INTO prompts (due_at, shown_at, outcome, decided_at) VALUES (?, ?, ?, ?)",
            prompts,
        )
        connection.execute("COMMIT")
    finally:
        connection.close()


def start_tray_host() -> subprocess.Popen[bytes]:
    """Start ``trayer`` (a real XEmbed system tray) on ``$DISPLAY`` and wait until Qt sees it.

    Without a tray host Qt falls back to a window, and the tray path is not the one measured.
    """
    if shutil.which("trayer") is None:
        sys.exit("trayer is not installed (apt-get install trayer)")
    host = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    probe = (
        "from PySide6.QtWidgets import QApplication, QSystemTrayIcon\n"
        "QApplication([])\n"
        "print(QSystemTrayIcon.isSystemTrayAvailable())"
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=False
        )
        if answer.stdout.strip() == "True":
            return host
        time.sleep(0.1)
    host.kill()
    sys.exit("trayer started but Qt sees no system tray")


def proc_status(pid: int, field: str) -> int:
    """One ``kB`` or count field of ``/proc/PID/status``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def memory_mib(pid: int) -> tuple[float, float | None]:
    """(RSS, PSS) in MiB; PSS is None where ``smaps_rollup`` is missing."""
    rss = proc_status(pid, "VmRSS") / 1024
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    pss = None
    if rollup.exists():
        for line in rollup.read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss
