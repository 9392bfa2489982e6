"""Every benchmark, one table: each figure beside its floor, the ratio and the target.

    .venv/bin/python -m benchmarks                  measure and print the table (~8 min)
    .venv/bin/python -m benchmarks --write          … and put it into docs/performance.md
    .venv/bin/python -m benchmarks --quick          fewer runs and shorter idle windows

Each benchmark runs as its own process (a clean interpreter: no memory or imports carried
from one to the next) and hands its figures back as JSON. Needs Xvfb and trayer
(``./scripts/test`` installs both on Debian and Ubuntu).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


@dataclass(frozen=True)
class Row:
    figure: str
    value: float | None
    floor: float | None
    unit: str
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        value = "—" if self.value is None else _number(self.value, self.unit)
        floor = "—" if self.floor is None else _number(self.floor, self.unit)
        ratio = (
            f"{self.value / self.floor:.2f}×"
            if self.value is not None and self.floor not in (None, 0)
            else "—"
        )
        verdict = {True: "met", False: "**missed**", None: "—"}[self.met]
        return [self.figure, value, floor, ratio, self.target, verdict]


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.4f} %" if value < 1 else f"{value:.1f} %"
    if unit == "ms" and value < 1:
        return f"{value:.3f} ms"
    if unit in ("ms", "MiB", "s"):
        return f"{value:.1f} {unit}"
    if unit in ("", "fps") and value != int(value):
        return f"{value:.1f} {unit}".strip()
    return f"{value:g} {unit}".strip()


def run(module: str, *args: str) -> dict[str, object]:
    """Run ``benchmarks.<module>`` in its own interpreter and return its JSON figures."""
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as folder:
        out = Path(folder) / "figures.json"
        print(f"==> {module} {' '.join(args)}", flush=True)
        subprocess.run(
            [sys.executable, "-m", f"benchmarks.{module}", "--json", str(out), *args],
            cwd=ROOT,
            check=True,
            stdout=sys.stderr,
        )
        figures: dict[str, object] = json.loads(out.read_text())
        return figures


def f(figures: dict[str, object], key: str) -> float:
    value = figures[key]
    assert isinstance(value, int | float), key
    return float(value)


def collect(quick: bool) -> list[Row]:
    light = run(
        "lightness",
        *(["--runs", "3", "--idle-runs", "1", "--settle", "10", "--window", "20"] if quick else []),
    )
    prompt = run("prompt_window", "--runs", "2" if quick else "5")
    commit = run("store_commit", "--no-history")
    history = run("history_open", "--xvfb", *(["--runs", "3"] if quick else []))
    many = run("many_sessions", *(["--sessions", "60"] if quick else []))
    figure = run("figure_rep", *(["--reps", "1"] if quick else []))
    lag = run("cue_lag")
    busy = run("busy_check", *(["--runs", "50"] if quick else []))

    window = f(light, "idle_window_s")
    cold, cold_floor = f(light, "app_cold_start_ms"), f(light, "floor_cold_start_ms")
    rss, rss_floor = f(light, "app_rss_mib"), f(light, "floor_rss_mib")
    pss, pss_floor = light.get("app_pss_mib"), light.get("floor_pss_mib")
    cpu = f(light, "app_cpu_s") / window * 100
    cpu_floor = f(light, "floor_cpu_s") / window * 100
    wakes, wakes_floor = f(light, "app_wakeups"), f(light, "floor_wakeups")
    paint, paint_floor = f(prompt, "prompt_to_paint_ms"), f(prompt, "floor_window_paint_ms")
    growth = f(many, "growth_mib")
    return [
        Row("Cold start: process start → tray icon shown", cold, cold_floor, "ms",
            "≤ 1.3 × floor", cold <= 1.3 * cold_floor),
        Row("Idle memory: RSS after 30 s", rss, rss_floor, "MiB",
            "≤ 1.3 × floor", rss <= 1.3 * rss_floor),
        Row("Idle memory: PSS after 30 s (shared pages split)",
            float(pss) if isinstance(pss, int | float) else None,
            float(pss_floor) if isinstance(pss_floor, int | float) else None, "MiB", "—", None),
        Row(f"Idle CPU over {window:g} s, no window open", cpu, cpu_floor, "%",
            "≤ 0.05 %", cpu <= 0.05),
        Row(f"Idle wake-ups over {window:g} s (all threads)", wakes, wakes_floor, "",
            f"≤ {window / 30:g} + floor (no timer faster than 1 per 30 s)",
            wakes <= window / 30 + wakes_floor),
        Row("Prompt Start → guided window first paint", paint, paint_floor, "ms",
            "≤ 100 ms", paint <= 100),
        Row("Commit of one completed set (WAL, synchronous=NORMAL)", f(commit, "commit_ms"),
            f(commit, "floor_commit_ms"), "ms", "≤ 5 ms median", f(commit, "commit_ms") <= 5),
        Row("History window open, 100 000 sets, fresh process", f(history, "open_ms"),
            paint_floor, "ms", "≤ 300 ms", f(history, "open_ms") <= 300),
        Row("History window reopen, 100 000 sets", f(history, "reopen_ms"),
            paint_floor, "ms", "—", None),
        Row("`history --format csv`, 100 000 sets", f(history, "csv_s") * 1000,
            f(history, "floor_csv_s") * 1000 if "floor_csv_s" in history else None, "ms",
            "≤ 1 000 ms", f(history, "csv_s") <= 1),
        Row(f"Memory growth over {int(f(many, 'sessions'))} guided sessions", growth, None,
            "MiB", "≤ 5 MiB", growth <= 5),
        Row("Figure during guided reps (Xvfb): frames per second while it moves",
            f(figure, "fps"), None, "", "≥ 50", f(figure, "fps") >= 50),
        Row("CPU during guided reps, whole process (share of one core)",
            f(figure, "cpu_percent"), None, "%", "≤ 10 %", f(figure, "cpu_percent") <= 10),
        Row(f"Spoken cue lag, median of {int(f(lag, 'matched'))} cues (null-sink recording)",
            f(lag, "median_ms"), None, "ms", "≤ 30 ms", f(lag, "median_ms") <= 30),
        Row("Spoken cue lag, worst cue", f(lag, "max_ms"), None, "ms", "≤ 80 ms",
            f(lag, "max_ms") <= 80),
        Row("One look at every busy signal (in a call), median", f(busy, "check_ms"),
            f(busy, "floor_pactl_ms"), "ms", "< 20 ms", f(busy, "check_ms") < 20),
        Row("First look at every busy signal (opens each backend)", f(busy, "first_check_ms"),
            f(busy, "floor_pactl_ms"), "ms", "< 20 ms", f(busy, "first_check_ms") < 20),
    ]  # fmt: skip


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    from PySide6 import __version__ as pyside

    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PySide6 {pyside}, SQLite {sqlite3.sqlite_version}"
    )


def table(rows: list[Row]) -> str:
    head = ["figure", "stretchbreak", "floor", "ratio", "target", ""]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def write_report(rows: list[Row]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = "\n".join(
        [
            START,
            f"Measured {stamp} on {machine()}.",
            "",
            table(rows),
            END,
        ]
    )
    text = REPORT.read_text()
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    REPORT.write_text(before + block + after)
    print(f"written to {REPORT.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter idle")
    args = parser.parse_args()
    rows = collect(args.quick)
    print()
    print(table(rows))
    if args.write:
        write_report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
