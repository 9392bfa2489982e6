"""docs/development.md counts the tests of each folder as pytest collects them, not by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "count_tests.py"


@pytest.fixture(scope="module")
def count_tests() -> ModuleType:
    spec = importlib.util.spec_from_file_location("count_tests", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_the_table_of_test_counts_matches_what_pytest_collects(count_tests: ModuleType) -> None:
    doc: str = count_tests.DOC.read_text(encoding="utf-8")
    shown = doc.split(count_tests.BEGIN)[1].split(count_tests.END)[0].strip()
    collected = count_tests.table(count_tests.count(count_tests.collected_ids()))
    assert shown == collected, "refresh it: .venv/bin/python scripts/count_tests.py"


def test_integration_tests_count_per_subfolder_and_the_table_needs_its_markers(
    count_tests: ModuleType,
) -> None:
    ids = [
        "tests/unit/test_a.py::test_one",
        "tests/unit/test_a.py::test_two[case]",
        "tests/integration/store/test_b.py::test_three",
        "tests/integration/test_c.py::test_four",
    ]
    assert count_tests.count(ids) == {
        "tests/unit": 2,
        "tests/integration/store": 1,
        "tests/integration": 1,
    }
    with pytest.raises(count_tests.CountError, match="needs the lines"):
        count_tests.with_table("# Development\n", "| table |")
