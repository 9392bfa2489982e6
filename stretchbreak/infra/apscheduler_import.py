"""Import APScheduler without the two standard-library packages it loads and we never use.

Measured in an idle tray process (docs/performance.md): importing ``apscheduler.schedulers.qt``
adds ~16 MiB RSS. Most of it is not APScheduler's own code:

* ``apscheduler.util`` imports ``asyncio`` only for ``iscoroutinefunction``; ``asyncio`` in
  turn loads ``ssl`` and OpenSSL (~10 MiB together). Our alarm job is a plain function and
  runs on the ``DebugExecutor``; ``inspect.iscoroutinefunction`` answers the same for it.
* ``apscheduler`` asks ``importlib.metadata`` for its own version, and ``BaseScheduler``
  scans every installed distribution's entry points when its class body runs (~3.3 MiB for
  ``importlib.metadata`` with ``email``/``zipfile``, plus the scan). The plugin maps it fills
  only resolve names such as ``"date"`` or ``"debug"``; ``BreakScheduler`` always passes
  trigger, executor and job store *instances*, so the maps stay unused.
* ``BaseScheduler`` imports ``apscheduler.executors.pool`` (``multiprocessing`` and both
  ``concurrent.futures`` pools, ~3 MiB) only to build a default thread-pool executor when
  none is given; ours is always the ``DebugExecutor``, so jobs run on the Qt thread.

While APScheduler's modules execute, small stand-ins answer for ``asyncio``,
``importlib.metadata`` and ``apscheduler.executors.pool``; afterwards ``sys.modules`` is as
before, so any later real import of one of them gets the real module. Modules already
imported are never shadowed. Which names APScheduler takes from them is an internal of its
own; ``tests/integration/libraries/test_library_seams.py`` reads APScheduler's source and
fails if an upgrade takes a name a stand-in does not offer.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

#: The APScheduler modules the app uses, in import order.
MODULES = (
    "apscheduler.events",
    "apscheduler.executors.debug",
    "apscheduler.jobstores.memory",
    "apscheduler.triggers.date",
    "apscheduler.schedulers.base",
    "apscheduler.schedulers.qt",
)


class _NotFound(ModuleNotFoundError):
    """Stands in for ``importlib.metadata.PackageNotFoundError``."""


def installed_version(distribution: str) -> str:
    """A distribution's version read from its ``*.dist-info`` folder name, next to its package.

    This is what ``importlib.metadata.version`` would return for an installed wheel, found
    without scanning every folder on ``sys.path``.
    """
    spec = importlib.util.find_spec(distribution.lower())
    if spec is not None and spec.origin is not None:
        site = Path(spec.origin).parent.parent
        wanted = distribution.lower().replace("-", "_")
        for info in sorted(site.glob("*.dist-info")):
            name, _, version = info.name.removesuffix(".dist-info").partition("-")
            if name.lower().replace("-", "_") == wanted and version:
                return version
    raise _NotFound(distribution)


def _metadata_stand_in() -> ModuleType:
    module = ModuleType("importlib.metadata", "Stand-in used while APScheduler is imported.")

    def entry_points(**_selection: Any) -> tuple[()]:
        return ()

    module.__dict__.update(
        entry_points=entry_points,
        version=installed_version,
        PackageNotFoundError=_NotFound,
    )
    return module


def _asyncio_stand_in() -> ModuleType:
    module = ModuleType("asyncio", "Stand-in used while APScheduler is imported.")
    module.__dict__["iscoroutinefunction"] = inspect.iscoroutinefunction
    return module


def _pool_stand_in() -> ModuleType:
    module = ModuleType("apscheduler.executors.pool", "Stand-in: no thread pool is ever built.")

    class ThreadPoolExecutor:
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            raise RuntimeError("stretchbreak runs APScheduler jobs on the DebugExecutor only")

    module.__dict__["ThreadPoolExecutor"] = ThreadPoolExecutor
    return module


@contextmanager
def stand_ins() -> Iterator[None]:
    """Within the block, importing the three modules above gets their stand-ins."""
    made = {
        "asyncio": _asyncio_stand_in(),
        "importlib.metadata": _metadata_stand_in(),
        "apscheduler.executors.pool": _pool_stand_in(),
    }
    placed = {name: module for name, module in made.items() if name not in sys.modules}
    sys.modules.update(placed)
    try:
        yield
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def import_apscheduler() -> None:
    """Import every APScheduler module the app uses (a no-op after the first call)."""
    if all(name in sys.modules for name in MODULES):
        return
    with stand_ins():
        for name in MODULES:
            importlib.import_module(name)
