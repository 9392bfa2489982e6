#!/usr/bin/env python3
"""Keeps the table of test counts in docs/development.md equal to what pytest collects.

The counts are never written by hand: this script asks pytest to collect the whole suite
(``--collect-only``, nothing runs, a few seconds), counts the tests of each folder and
writes the table between the two marker lines in docs/development.md. A folder's
description is the first line of its ``__init__.py`` docstring, so it is written once,
beside the tests. ``tests/unit/test_development_doc.py`` runs ``--check`` and fails while
the table is out of date.

    .venv/bin/python scripts/count_tests.py            rewrite the table
    .venv/bin/python scripts/count_tests.py --check    exit 1 if the table differs
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "development.md"
BEGIN = "<!-- test counts: written by scripts/count_tests.py, do not edit by hand -->"
END = "<!-- end of test counts -->"
#: Folders under ``tests/`` whose subfolders get a row each.
SPLIT = frozenset({"integration"})


class CountError(RuntimeError):
    """Collection failed or the doc has no place for the table; the message says which."""


def collected_ids(root: Path = ROOT) -> list[str]:
    """The node id of every test pytest collects from ``tests/``, as a full run would."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise CountError(
            f"pytest could not collect the tests (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return [line for line in done.stdout.splitlines() if "::" in line]


def folder_of(node_id: str) -> str:
    """``tests/<group>``, or ``tests/<group>/<part>`` for a group in ``SPLIT``."""
    parts = node_id.split("::", 1)[0].split("/")
    depth = 3 if len(parts) > 3 and parts[1] in SPLIT else 2
    return "/".join(parts[:depth])


def count(node_ids: Sequence[str]) -> Counter[str]:
    return Counter(folder_of(node_id) for node_id in node_ids)


def description(folder: str, root: Path = ROOT) -> str:
    """The first line of the folder's ``__init__.py`` docstring, or an empty cell."""
    init = root / folder / "__init__.py"
    if not init.is_file():
        return ""
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    return doc.splitlines()[0].replace("|", "\\|") if doc else ""


def table(counts: Mapping[str, int], root: Path = ROOT) -> str:
    lines = ["| folder | what its tests exercise | tests |", "| --- | --- | ---: |"]
    for folder in sorted(counts):
        lines.append(f"| `{folder}/` | {description(folder, root)} | {counts[folder]} |")
    lines.append(f"| **all** | | **{sum(counts.values())}** |")
    return "\n".join(lines)


def with_table(doc: str, new_table: str) -> str:
    """``doc`` with the text between the markers replaced by ``new_table``."""
    if doc.count(BEGIN) != 1 or doc.count(END) != 1 or doc.index(BEGIN) > doc.index(END):
        raise CountError(
            f"{DOC.relative_to(ROOT)} needs the lines {BEGIN!r} and {END!r}, "
            "once each, in that order"
        )
    head, rest = doc.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{new_table}\n{END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        current = DOC.read_text(encoding="utf-8")
        new_table = table(count(collected_ids()))
        wanted = with_table(current, new_table)
    except CountError as error:
        print(f"count_tests: {error}", file=sys.stderr)
        return 2
    if wanted == current:
        print(f"{DOC.relative_to(ROOT)}: the test counts are up to date")
        return 0
    if args.check:
        print(
            f"{DOC.relative_to(ROOT)}: the test counts differ from what pytest collects; "
            "refresh them with: .venv/bin/python scripts/count_tests.py\n"
            f"the table now:\n{new_table}",
            file=sys.stderr,
        )
        return 1
    DOC.write_text(wanted, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: test counts written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
