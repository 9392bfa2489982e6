"""A write transaction held on a database by another process, as a SQLite shell holds one.

The child opens the file with Python's ``sqlite3``, runs ``BEGIN IMMEDIATE`` and says so on
its stdout; it keeps the lock until the test writes a line to its stdin (or closes it), then
rolls back and exits. Nothing here sleeps: both sides wait on the pipe.
"""

from __future__ import annotations

import select
import subprocess
import sys
from pathlib import Path
from types import TracebackType

_CHILD = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
connection.close()
print("released", flush=True)
"""


class HeldLock:
    """``with HeldLock(path):`` — the write lock is held from entry until ``release()``."""

    def __init__(self, database: Path) -> None:
        self._database = database
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> HeldLock:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(self._database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._expect("locked")
        return self

    def release(self) -> None:
        """Let go of the lock and wait until the other process has."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.close()
        self._expect("released")
        process.wait(timeout=60)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=60)
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
                if stream is not None and not stream.closed:
                    stream.close()

    def _expect(self, word: str, seconds: float = 60) -> None:
        process = self._process
        assert process is not None
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], seconds)
        line = process.stdout.readline().strip() if ready else ""
        if line != word:
            assert process.stderr is not None
            process.kill()
            raise AssertionError(f"the lock holder did not say {word!r}: {process.stderr.read()}")
