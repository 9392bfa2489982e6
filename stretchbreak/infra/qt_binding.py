"""Loads PySide6 and makes its per-import feature check cheap.

PySide6 (6.11) checks every module imported with ``from __future__ import …`` for the text
"PySide6", to know where its optional ``__feature__`` switches may apply. It does so with
``inspect.getsource``, which leaves the whole source of each module in ``linecache``: in the
tray process ~150 files, ~5.6 MiB that stay for the life of the app and ~30 ms of start-up
(measured; docs/performance.md). The check below answers the same question from the file's
bytes and keeps nothing; anything it cannot read goes to PySide's own check.

This reaches into PySide's internals (``shibokensupport.feature._mod_uses_pyside``), so it is
applied the same way everywhere the app's modules load: by ``cli.main`` before Qt, by
``tests/conftest.py`` and by ``benchmarks/__init__.py``. Should a PySide upgrade rename or
reshape the function, the app runs on with PySide's own check (slower, heavier), and
``tests/integration/libraries/test_library_seams.py`` fails, naming what changed.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

import PySide6  # noqa: F401  # loads shiboken and its import hook, which is patched below

_MARK = "_stretchbreak_reads_bytes"
#: The module and function replaced; both are PySide internals (see the module's docstring).
FEATURE_MODULE, FEATURE_CHECK = "shibokensupport.feature", "_mod_uses_pyside"


def lighten_feature_check() -> bool:
    """Swap in the cheap check (once) and drop what the costly one cached; True if swapped."""
    feature = sys.modules.get(FEATURE_MODULE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, FEATURE_CHECK, None)
    if feature is None or original is None or getattr(original, _MARK, False):
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:  # noqa: PTH123  # the cheapest read there is
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    setattr(mod_uses_pyside, _MARK, True)
    mod_uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]  # for the seam test
    setattr(feature, FEATURE_CHECK, mod_uses_pyside)
    linecache.clearcache()
    return True
