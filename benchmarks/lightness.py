"""Cold start, idle memory and idle CPU of the real app, each beside the floor program's.

    .venv/bin/python -m benchmarks.lightness [--runs 5] [--idle-runs 3] [--json FILE]

Runs under its own Xvfb with ``trayer`` as the tray host, so the tray path is the one
measured. The floor is ``benchmarks/floor_tray.py``: one QApplication and one tray icon.

* Cold start: ``time.monotonic()`` just before the process is spawned → the monotonic stamp
  in the process's ``ready`` line (the app logs it from inside its event loop once the tray
  icon is up; the floor prints it). Each run is a fresh process; the app's data folder
  already exists, as on every start but the first.
* Idle: app and floor processes run side by side; after ``--settle`` seconds their RSS and
  PSS are read, then CPU time (``/proc/PID/task/*/schedstat``, nanoseconds) and voluntary
  context switches (each one a sleep that something ended: a timer, a socket, a signal) are
  counted over ``--window`` seconds, per thread. PSS divides shared library pages among all
  processes that map them, here the app and floor processes together, so compare it only
  with the floor's PSS from the same run.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.shared import memory_mib, start_tray_host, start_xvfb

FLOOR = Path(__file__).with_name("floor_tray.py")
READY = re.compile(r"ready \(monotonic ([0-9.]+)\)")


@dataclass
class Idle:
    rss_mib: float
    pss_mib: float | None
    cpu_s: float
    wakeups: int
    wakeups_by_thread: dict[str, int]


class Program:
    """One started process of the app or of the floor, and how to know it is ready."""

    def __init__(self, kind: str, data_dir: Path) -> None:
        self.kind = kind
        self.log = data_dir / "logs" / "stretchbreak.log"
        if kind == "app":
            command = [sys.executable, "-m", "stretchbreak", "--data-dir", str(data_dir)]
            # The everyday start, not the first: no welcome window (it waits for a calm
            # moment and loads its own code once per data folder).
            data_dir.mkdir(parents=True, exist_ok=True)
            (data_dir / "welcome-shown").touch()
        else:
            command = [sys.executable, str(FLOOR)]
        self._log_offset = self.log.stat().st_size if self.log.exists() else 0
        self.spawned = time.monotonic()
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )

    def ready_at(self, timeout: float = 30) -> float:
        """The child's own monotonic stamp of its first event-loop turn."""
        deadline = time.monotonic() + timeout
        if self.kind == "floor":
            assert self.process.stdout is not None
            line = self.process.stdout.readline()
            return float(line.split()[1])
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the app exited with {self.process.returncode} before it was ready")
            text = ""
            if self.log.exists():
                with self.log.open("rb") as log:
                    log.seek(self._log_offset)
                    text = log.read().decode("utf-8", "replace")
            found = READY.findall(text)
            if found:
                return float(found[-1])
            time.sleep(0.005)
        sys.exit(f"{self.kind} was not ready within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cold_start_ms(kind: str, runs: int, data_dir: Path) -> list[float]:
    times = []
    for _ in range(runs):
        program = Program(kind, data_dir)
        times.append((program.ready_at() - program.spawned) * 1000)
        program.stop()
    return times


def thread_counters(pid: int) -> dict[str, tuple[int, int]]:
    """Per thread (name#tid): CPU nanoseconds and voluntary context switches so far."""
    counters = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            cpu_ns = int((task / "schedstat").read_text().split()[0])
            status = (task / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
        switches = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", status)[1])  # type: ignore[index]
        counters[f"{name}#{task.name}"] = (cpu_ns, switches)
    return counters


def idle(kinds: list[str], settle: float, window: float, root: Path) -> list[tuple[str, Idle]]:
    programs = [Program(kind, root / f"{kind}-{n}") for n, kind in enumerate(kinds)]
    try:
        for program in programs:
            program.ready_at()
        time.sleep(settle)
        memory = [memory_mib(p.process.pid) for p in programs]
        before = [thread_counters(p.process.pid) for p in programs]
        time.sleep(window)
        after = [thread_counters(p.process.pid) for p in programs]
    finally:
        for program in programs:
            program.stop()
    results = []
    for program, (rss, pss), start, end in zip(programs, memory, before, after, strict=True):
        by_thread = {
            name.split("#")[0]: end[name][1] - start.get(name, (0, 0))[1]
            for name in end
            if end[name][1] - start.get(name, (0, 0))[1]
        }
        cpu_ns = sum(end[n][0] - start.get(n, (0, 0))[0] for n in end)
        results.append(
            (program.kind, Idle(rss, pss, cpu_ns / 1e9, sum(by_thread.values()), by_thread))
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts of each program")
    parser.add_argument("--idle-runs", type=int, default=3, help="idle processes of each")
    parser.add_argument("--settle", type=float, default=30, help="seconds before memory")
    parser.add_argument("--window", type=float, default=60, help="seconds of idle CPU counted")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    server = start_xvfb(":96")
    host = start_tray_host()
    try:
        with tempfile.TemporaryDirectory(prefix="sb-light-") as folder:
            root = Path(folder)
            cold_start_ms("app", 1, root / "cold")  # creates the database: not a cold start
            cold = {
                kind: cold_start_ms(kind, args.runs, root / "cold") for kind in ("floor", "app")
            }
            kinds = ["floor", "app"] * args.idle_runs
            idles = idle(kinds, args.settle, args.window, root)
    finally:
        host.terminate()
        server.terminate()
        host.wait()
        server.wait()
    figures = summarize(cold, idles, args.window)
    for key, value in figures.items():
        print(f"{key:<28} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def summarize(
    cold: dict[str, list[float]], idles: list[tuple[str, Idle]], window: float
) -> dict[str, object]:
    figures: dict[str, object] = {"idle_window_s": window}
    for kind in ("app", "floor"):
        mine = [i for k, i in idles if k == kind]
        pss = [i.pss_mib for i in mine if i.pss_mib is not None]
        figures[f"{kind}_cold_start_ms"] = statistics.median(cold[kind])
        figures[f"{kind}_cold_start_all_ms"] = [round(t, 1) for t in cold[kind]]
        figures[f"{kind}_rss_mib"] = statistics.median(i.rss_mib for i in mine)
        figures[f"{kind}_pss_mib"] = statistics.median(pss) if pss else None
        figures[f"{kind}_cpu_s"] = statistics.median(i.cpu_s for i in mine)
        figures[f"{kind}_wakeups"] = statistics.median(i.wakeups for i in mine)
        figures[f"{kind}_idle_all"] = [asdict(i) for i in mine]
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
