"""The three places that lean on library internals still find what they lean on.

Each seam lives in one infra module, with its reason there:

* ``infra/apscheduler_import.py`` answers for ``asyncio``, ``importlib.metadata`` and
  ``apscheduler.executors.pool`` while APScheduler imports;
* ``infra/scheduler.py`` overrides ``QtScheduler``'s private timer methods;
* ``infra/qt_binding.py`` replaces PySide's ``shibokensupport.feature._mod_uses_pyside``.

An upgrade of APScheduler or PySide that moves any of these makes a test here fail and name
what moved, instead of the app silently growing heavier or leaking timers again.
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import types
from pathlib import Path

from stretchbreak.infra import apscheduler_import, qt_binding
from stretchbreak.infra.scheduler import alarm_scheduler_class

ROOT = Path(__file__).resolve().parents[3]

#: What each stand-in offers: the names APScheduler may take from it.
STAND_IN_NAMES = {
    "asyncio": {"iscoroutinefunction"},
    "importlib.metadata": {"entry_points", "version", "PackageNotFoundError"},
    "apscheduler.executors.pool": {"ThreadPoolExecutor"},
}


def _apscheduler_files() -> list[Path]:
    """The source of every APScheduler module the app's import loads (in a fresh process)."""
    script = (
        "import sys\n"
        "from stretchbreak.infra.apscheduler_import import import_apscheduler\n"
        "import_apscheduler()\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    if name.startswith('apscheduler') and getattr(module, '__file__', None):\n"
        "        print(module.__file__)\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    return [Path(line) for line in answer.stdout.split()]


def _names_taken(tree: ast.Module, module: str) -> set[str]:
    """Names a module's source takes from ``module``: ``from m import x`` and ``m.x``."""
    aliases = {module}
    taken: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == module:
            taken |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    aliases.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) in aliases:
            taken.add(node.attr)
    return taken


def test_apscheduler_takes_from_the_stand_ins_only_what_they_offer() -> None:
    files = _apscheduler_files()
    assert any(path.name == "qt.py" for path in files), files
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for module, offered in STAND_IN_NAMES.items():
            missing = _names_taken(tree, module) - offered
            assert not missing, (
                f"APScheduler's {path} now uses {sorted(missing)} of {module}, which the "
                "stand-in in infra/apscheduler_import.py does not offer"
            )


def test_the_stand_ins_offer_what_the_check_expects() -> None:
    with apscheduler_import.stand_ins():
        for module, offered in STAND_IN_NAMES.items():
            stand_in = sys.modules[module]
            if stand_in.__doc__ and "Stand-in" in stand_in.__doc__:
                assert offered <= set(vars(stand_in)), module


def test_qt_scheduler_still_has_the_timer_methods_the_alarm_scheduler_overrides() -> None:
    alarm = alarm_scheduler_class()
    stock = alarm.__mro__[1]
    base = stock.__mro__[1]
    assert (stock.__module__, stock.__name__) == ("apscheduler.schedulers.qt", "QtScheduler")
    expected = {
        "_start_timer": ["self", "wait_seconds"],
        "_stop_timer": ["self"],
        "_process_jobs": ["self"],
        "wakeup": ["self"],
        "shutdown": ["self", "args", "kwargs"],
    }
    for name, parameters in expected.items():
        assert name in vars(stock), f"QtScheduler.{name} is gone: infra/scheduler.py overrides it"
        assert list(inspect.signature(vars(stock)[name]).parameters) == parameters, name
    # The stock wake-up and shutdown reach the timer only through the two overridden methods.
    assert "_start_timer" in vars(stock)["wakeup"].__code__.co_names
    assert "_stop_timer" in vars(stock)["shutdown"].__code__.co_names
    # BaseScheduler's pass still returns the wait the alarm scheduler re-arms with.
    assert "_process_jobs" in vars(base)
    assert "wait_seconds" in vars(base)["_process_jobs"].__code__.co_varnames


def test_pyside_still_has_the_feature_check_that_qt_binding_replaces() -> None:
    feature = sys.modules.get(qt_binding.FEATURE_MODULE)
    assert feature is not None, f"PySide6 no longer loads {qt_binding.FEATURE_MODULE}"
    check = getattr(feature, qt_binding.FEATURE_CHECK)
    # tests/conftest.py swapped it in, as cli/main.py does for users: one PySide for both.
    assert getattr(check, "_stretchbreak_reads_bytes", False), "the cheap check is not in place"
    original = check.__wrapped__
    assert isinstance(original, types.FunctionType)
    assert list(inspect.signature(original).parameters) == ["module"]
    # PySide looks the function up by name on every import, so replacing the attribute works.
    callers = [
        name
        for name, value in vars(feature).items()
        if isinstance(value, types.FunctionType)
        and qt_binding.FEATURE_CHECK in value.__code__.co_names
    ]
    assert "feature_imported" in callers, callers


def test_benchmarks_run_the_same_pyside_as_users_and_tests() -> None:
    script = (
        "import json, linecache, sys\n"
        "import benchmarks\n"
        "from stretchbreak.infra import store\n"
        "before = 'PySide6' in sys.modules\n"
        "import stretchbreak.ui.tray\n"
        "check = sys.modules['shibokensupport.feature']._mod_uses_pyside\n"
        "print(json.dumps([before, getattr(check, '_stretchbreak_reads_bytes', False),"
        " len(linecache.cache)]))\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    # No Qt until something needs it; then the cheap check, and no sources kept.
    assert answer.stdout.split()[-3:] == ["[false,", "true,", "0]"]
