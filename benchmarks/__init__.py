"""Measurements of start-up, memory, paint and storage costs; run each script directly.

Every benchmark measures the PySide that users run: as ``cli.main`` does before Qt loads, the
cheap feature check (``infra/qt_binding.py``) is swapped in the moment PySide6 is first
imported. Not before: a benchmark that never loads Qt (``store_commit``, the CSV import's
thread) must not pay PySide's ~10 MiB and ~100 ms in its figures.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType


class _SwapWhenPySideLoads(importlib.abc.MetaPathFinder):
    """Finds nothing itself; runs ``lighten_feature_check`` right after ``PySide6`` imports."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "PySide6":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        execute = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            from stretchbreak.infra.qt_binding import lighten_feature_check

            lighten_feature_check()

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if "PySide6" in sys.modules:
    from stretchbreak.infra.qt_binding import lighten_feature_check

    lighten_feature_check()
else:
    sys.meta_path.insert(0, _SwapWhenPySideLoads())
