"""Loads PySide6 and makes its per-import feature check cheap.

PySide6 (6.11) checks every module imported with ``from __future__ import …`` for the text
"PySide6", to know where its optional ``__feature__`` switches may apply. It does so with
``inspect.getsource``, which leaves the whole source of each module in ``linecache``: in the
tray process ~150 files, ~5.6 MiB that stay for the life of the app and ~30 ms of start-up
(measured; docs/performance.md). The check below answers the same question from the file's
bytes and keeps nothing; anything it cannot read goes to PySide's own check.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

import PySide6  # noqa: F401  # loads shiboken and its import hook, which is patched below

_MARK = "_stretchbreak_reads_bytes"


def lighten_feature_check() -> bool:
    """Swap in the cheap check (once) and drop what the costly one cached; True if swapped."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
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
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()
    return True
