"""Checks of the design's rules that read the source (``ast``), not run it.

Shared by the rule tests in ``tests/unit/test_source_rules.py``: each check takes a file's text
and returns the offending lines, so a test can prove on a snippet that it catches what it
should and stays quiet where it should.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "stretchbreak"


@dataclass(frozen=True)
class Finding:
    """One place that breaks a rule: ``path:line: what``."""

    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def python_files(*patterns: str) -> Iterator[Path]:
    """The package's modules matching any of ``patterns`` (globs relative to the package)."""
    seen: set[Path] = set()
    for pattern in patterns:
        for path in sorted(PACKAGE.glob(pattern)):
            if path.suffix == ".py" and path not in seen:
                seen.add(path)
                yield path


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


# --- QTimer only from services/timers.py and the alarm adapter ---------------------------------

#: Where a Qt timer may be made: the factory every component receives, and APScheduler's alarm.
TIMER_HOMES = ("stretchbreak/services/timers.py", "stretchbreak/infra/scheduler.py")
#: Other ways to get a timer from Qt without naming ``QTimer``.
_TIMER_METHODS = {"singleShot", "startTimer", "callOnTimeout"}


def timer_uses(source: str, path: str) -> list[Finding]:
    """Every mention of ``QTimer`` / ``QBasicTimer`` and every ``singleShot``/``startTimer``."""
    found: list[Finding] = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in ("QTimer", "QBasicTimer"):
                    found.append(Finding(path, node.lineno, f"imports {alias.name}"))
        elif isinstance(node, ast.Name) and node.id in ("QTimer", "QBasicTimer"):
            found.append(Finding(path, node.lineno, f"uses {node.id}"))
        elif isinstance(node, ast.Attribute) and node.attr in ("QTimer", "QBasicTimer"):
            found.append(Finding(path, node.lineno, f"uses {node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr in _TIMER_METHODS:
            found.append(Finding(path, node.lineno, f"calls {node.attr}"))
    return sorted(set(found), key=lambda finding: finding.line)


# --- user-facing text through tr() -------------------------------------------------------------

#: Qt methods that show text, with the positions of their text arguments ("*": any position).
QT_TEXT_METHODS: dict[str, tuple[int, ...] | str] = {
    "setText": (0,),
    "setWindowTitle": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setPlaceholderText": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setSuffix": (0,),
    "setPrefix": (0,),
    "setSpecialValueText": (0,),
    "setButtonText": (1,),
    "showMessage": (0, 1),  # QStatusBar (text) and QSystemTrayIcon (title, text)
    "addTab": (1, 2),
    "insertTab": (2, 3),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "setItemText": (1,),
    "addItem": (0,),  # (text, data): the data is a key
    "addItems": (0,),
    "insertItem": (1,),
    "addAction": (0, 1),
    "addMenu": (0, 1),
    "addRow": (0,),
    "setHeaderLabels": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "getSaveFileName": (1,),
    "getOpenFileName": (1,),
}
#: Qt classes whose constructor takes text.
QT_TEXT_CLASSES = {
    "QLabel",
    "QPushButton",
    "QToolButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QMenu",
    "QMessageBox",
    "QCommandLinkButton",
}
#: The app's own ways of putting text before the user (tray, notifications, windows, helpers).
OWN_TEXT_METHODS: dict[str, tuple[int, ...] | str] = {
    "label": (0,),  # ui.widgets.label
    "notify": (0, 1),
    "_notify": (0, 1),
    "show_problem": (0, 1),
    "refuse_save": (0,),
    "_say": (0,),
    "_announce": (0,),
    "_heading": (0,),
    "_section": (0,),
}
#: Keyword arguments that carry shown text, whichever call they are passed to.
TEXT_KEYWORDS = {
    "text",
    "title",
    "toolTip",
    "windowTitle",
    "placeholderText",
    "accessibleName",
    "accessibleDescription",
    "statusTip",
}


#: Never translated: the app's name.
UNTRANSLATED = {"stretchbreak"}
_MARKUP = re.compile(r"<[^<>]*>?|&#?\w+;|%[-#0 +]*\d*[a-zA-Z]")


def _has_words(text: str) -> bool:
    """Letters outside markup (tags, entities) and format directives, and not the app's name."""
    if text.strip() in UNTRANSLATED:
        return False
    return any(character.isalpha() for character in _MARKUP.sub("", text))


def bare_text(node: ast.expr) -> bool:
    """Whether ``node`` shows the user words that no ``tr()`` call went through.

    A literal with letters is bare; so is an f-string or concatenation with such a literal part
    (``f"{tr('Next')}: {n}"`` is not: its own parts are punctuation). A call (``tr(…)``, a
    helper that translates) or a name is trusted: the check follows no data.
    """
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and _has_words(str(part.value)) for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return bare_text(node.left) or bare_text(node.right)
    if isinstance(node, ast.IfExp):
        return bare_text(node.body) or bare_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(bare_text(value) for value in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(bare_text(element) for element in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "…".format(…) and "…".join(…): the literal is the text.
        return node.func.attr in ("format", "join") and bare_text(node.func.value)
    return False


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _text_arguments(call: ast.Call) -> Iterator[ast.expr]:
    name = _called_name(call)
    positions: tuple[int, ...] | str = ()
    if name in QT_TEXT_CLASSES:
        positions = "*"
    elif isinstance(call.func, ast.Attribute) and name in QT_TEXT_METHODS:
        positions = QT_TEXT_METHODS[name]
    elif name in OWN_TEXT_METHODS:
        positions = OWN_TEXT_METHODS[name]
    for index, argument in enumerate(call.args):
        if positions == "*" or index in positions:
            yield argument
    if positions or name[:1].isupper() or name.startswith("set"):
        for keyword in call.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                yield keyword.value


def untranslated_text(source: str, path: str) -> list[Finding]:
    """Every bare literal handed to a call that shows text (see ``bare_text``)."""
    found: list[Finding] = []
    for node in ast.walk(ast.parse(source, path)):
        if not isinstance(node, ast.Call):
            continue
        for argument in _text_arguments(node):
            if bare_text(argument):
                shown = ast.get_source_segment(source, argument) or "?"
                found.append(
                    Finding(path, argument.lineno, f"{_called_name(node)}({shown}) without tr()")
                )
    return sorted(set(found), key=lambda finding: finding.line)


#: ``OSError`` and its kin: a file or the log out of reach. The windows show their message as
#: it is ("Nothing was imported. {e}"), so one a service raises is words for the user.
OS_ERRORS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, OSError)
}
#: Exceptions whose messages stay English: the other built-in ones and ``InvalidTransition``
#: tell a programmer what went wrong; ``CommandRejected`` answers the command line, English
#: throughout.
UNTRANSLATED_EXCEPTIONS = (set(dir(builtins)) - OS_ERRORS) | {
    "InvalidTransition",
    "CommandRejected",
}


def _returns_text(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``-> str`` or ``-> str | None``: a function that builds a text (or says there is none)."""
    annotation = function.returns
    if annotation is None:
        return False
    return ast.unparse(annotation).strip("'\"") in ("str", "str | None", "None | str")


def _raised_name(node: ast.Raise) -> str:
    return _called_name(node.exc) if isinstance(node.exc, ast.Call) else ""


def untranslated_messages(source: str, path: str) -> list[Finding]:
    """Messages for the user built away from the call that shows them, without ``tr()``.

    A service shows nothing itself; its words reach the user as a signal's argument
    (``log_failed.emit(…)``), as the text a ``-> str`` function builds (the tray line, a
    table cell, "4 s hold"), or as the message of one of the app's own exceptions
    (``NotSaved``) or of an ``OSError`` (which the windows show as it is). Other built-in
    exceptions (``ValueError``…) are programming errors and log lines stay in English: neither
    counts. An f-string assigned to a name that is then handed to another call (not a
    logger's) counts too: it leaves for a message this rule cannot follow. Windows build
    text in helpers too, so this runs on ``ui/`` as well: the call rule
    (``untranslated_text``) sees only a name or a call there and trusts it.
    """
    tree = ast.parse(source, path)
    found: list[Finding] = []

    def check(argument: ast.expr, where: str) -> None:
        if bare_text(argument):
            shown = ast.get_source_segment(source, argument) or "?"
            found.append(Finding(path, argument.lineno, f"{where}: {shown} without tr()"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "emit":
                for argument in node.args:
                    check(argument, "emitted")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _returns_text(node):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    check(inner.value, f"returned by {node.name}")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _raised_name(node)
            if name not in UNTRANSLATED_EXCEPTIONS:
                for argument in node.exc.args:
                    check(argument, f"raised as {name}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for name, value in _texts_passed_on(node):
                check(value, f"{name} = …, passed on")
    return sorted(set(found), key=lambda finding: finding.line)


#: Loggers: what they are given stays in English, for whoever reads the log.
LOGGERS = {"log", "logger", "logging"}


def _texts_passed_on(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> list[tuple[str, ast.expr]]:
    """F-strings built into a name and handed on (``what = f"set {n}"; self._write(what, …)``).

    The text leaves for a message this rule cannot follow (the log keeper's "Could not save
    set 2 of session …"), so any call but a logger's counts; a name only logged does not.
    """
    passed = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        owner = callee.value if isinstance(callee, ast.Attribute) else None
        if isinstance(owner, ast.Name) and owner.id in LOGGERS:
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        passed |= {argument.id for argument in arguments if isinstance(argument, ast.Name)}
    return [
        (node.targets[0].id, node.value)
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.JoinedStr)  # literals and the rest: too many keys
        and node.targets[0].id in passed
    ]


# --- imports at the top; lazy only at the named seams ------------------------------------------

#: The functions that may import inside their body, each with the reason it must wait. An entry
#: covers the function and any function nested in it. Everything else imports at the top: a
#: module that only a seam reaches is itself imported lazily, so its own imports are free.
LAZY_SEAMS: dict[tuple[str, str], str] = {
    # 1. The start: what runs before the tray icon shows loads only what the face needs.
    ("stretchbreak/__main__.py", "start_app"): "the app (and Qt) only when the app must start",
    ("stretchbreak/cli/main.py", "run_command"): "each sub-command loads only its own modules",
    ("stretchbreak/cli/main.py", "_install_desktop"): "install-desktop's modules, for it alone",
    ("stretchbreak/app/launch.py", "build_app"): "everything behind the face, after it shows",
    ("stretchbreak/ui/face.py", "show_face"): "the status window only where no tray exists",
    ("stretchbreak/services/timers.py", "QtWakeTimer.arm"): (
        "QtCore.Qt costs ~14 ms; the channel's timers are built before the tray shows"
    ),
    ("stretchbreak/infra/resources.py", "exercise_path"): (
        "the start needs resources_dir alone, not the exercise model"
    ),
    ("stretchbreak/infra/resources.py", "load_exercise_file"): (
        "the start needs resources_dir alone, not the exercise model"
    ),
    ("stretchbreak/infra/store_lookups.py", "StoreLookups.last_session"): (
        "`stretchbreak history` reads the log without the session's types (~14 ms)"
    ),
    ("stretchbreak/infra/store_rows.py", "outline_from_rows"): (
        "`stretchbreak history` reads the log without the statistics (~6 ms)"
    ),
    # 2. The window factories: each window's code loads when it first opens.
    ("stretchbreak/app/windows.py", "AppWindows.session_window"): "the guided window",
    ("stretchbreak/app/windows.py", "AppWindows.open_settings"): "the settings dialog",
    ("stretchbreak/app/windows.py", "AppWindows.open_history"): "the history window (QtCharts)",
    ("stretchbreak/app/reminders.py", "ReminderWiring._on_coordinator_prompt_requested"): (
        "the prompt window, with the first prompt"
    ),
    ("stretchbreak/app/alarms.py", "AlarmWiring.busy_states"): (
        "the settings dialog's page type, asked for only by the open dialog"
    ),
    ("stretchbreak/app/welcome.py", "Welcome.info"): "the welcome window's module",
    ("stretchbreak/app/welcome.py", "Welcome._welcome_window"): "the welcome window",
    ("stretchbreak/app/welcome.py", "Welcome.open_about"): "the About window",
    ("stretchbreak/app/welcome.py", "ProblemReport.report"): (
        "the settings' words, only when the settings file has a problem"
    ),
    # 3. Features that bring a library of their own, loaded when the feature is first used.
    ("stretchbreak/app/reminders.py", "ReminderWiring._notify"): (
        "jeepney (~5 ms), with the first desktop notification"
    ),
    ("stretchbreak/app/welcome.py", "ProblemReport._notify"): (
        "jeepney (~5 ms), with the first desktop notification"
    ),
    ("stretchbreak/app/shutdown.py", "close_log"): (
        "jeepney, only when changes could not be saved at exit"
    ),
    ("stretchbreak/infra/busy.py", "_unix_makers"): (
        "each busy signal's backend opens only while a break waits"
    ),
    ("stretchbreak/infra/busy_pulse.py", "PulseMicrophone.__init__"): (
        "libpulse may be missing: that is 'unavailable', not a failed import"
    ),
    ("stretchbreak/infra/busy_dnd.py", "detect_do_not_disturb"): (
        "a Qt built without QtDBus still runs: its ImportError means 'unavailable'"
    ),
    ("stretchbreak/infra/busy_dnd.py", "_ask"): "QtDBus, after the bus above opened",
    ("stretchbreak/infra/idle_dbus.py", "session_bus_from_env"): (
        "a Qt built without QtDBus still runs: its ImportError means no D-Bus idle"
    ),
    ("stretchbreak/infra/idle_dbus.py", "DBusIdle.idle_seconds"): (
        "QtDBus, after session_bus_from_env opened a bus"
    ),
    ("stretchbreak/infra/idle_dbus.py", "BusLease.release"): (
        "QtDBus, after session_bus_from_env opened a bus"
    ),
    ("stretchbreak/infra/idle_dbus.py", "BusLease._open"): (
        "QtDBus, after session_bus_from_env opened a bus"
    ),
    ("stretchbreak/infra/logind.py", "system_bus"): (
        "a Qt built without QtDBus still runs: its ImportError means no logind"
    ),
    ("stretchbreak/infra/scheduler.py", "alarm_scheduler_class"): (
        "APScheduler loads through its stand-ins (apscheduler_import), first here"
    ),
    ("stretchbreak/infra/scheduler.py", "BreakScheduler.__init__"): (
        "APScheduler loads through its stand-ins (apscheduler_import)"
    ),
    ("stretchbreak/infra/scheduler.py", "BreakScheduler.schedule_at"): (
        "APScheduler loads through its stand-ins (apscheduler_import)"
    ),
    ("stretchbreak/infra/store.py", "Store.import_csv_file"): (
        "the CSV import's module, for an import the user started"
    ),
    ("stretchbreak/services/effect_cache.py", "_import_multimedia"): (
        "QtMultimedia (Addons wheel, may be missing), with the first sound"
    ),
    # 4. One operating system's modules.
    ("stretchbreak/infra/busy.py", "platform_makers"): "the Windows busy signals (ctypes, winreg)",
    ("stretchbreak/infra/autostart.py", "windows_command_line"): "subprocess, on Windows only",
    ("stretchbreak/infra/autostart.py", "_launch_agent"): "plistlib, on macOS only",
    ("stretchbreak/infra/autostart.py", "_file_enabled"): "plistlib, on macOS only",
    ("stretchbreak/infra/store_open.py", "_user_name"): "pwd, which Windows lacks",
}


@dataclass(frozen=True)
class FunctionImport:
    """An ``import`` inside a function: where, in which function (``Class.method``), what."""

    path: str
    function: str
    line: int
    statement: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.statement} inside {self.function}()"


def function_imports(source: str, path: str) -> list[FunctionImport]:
    """Every import statement in a function body (methods and nested functions included);
    imports at module or class level, ``if TYPE_CHECKING:`` blocks among them, are not."""
    found: list[FunctionImport] = []

    def visit(node: ast.AST, scope: list[str], in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, [*scope, child.name], True)
            elif isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], in_function)
            else:
                if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                    found.append(
                        FunctionImport(path, ".".join(scope), child.lineno, ast.unparse(child))
                    )
                visit(child, scope, in_function)

    visit(ast.parse(source, path), [], False)
    return found


def allowed_seam(found: FunctionImport, seams: dict[tuple[str, str], str] = LAZY_SEAMS) -> bool:
    """Whether ``found`` lies in a seam's function or in a function nested in it."""
    parts = found.function.split(".")
    return any((found.path, ".".join(parts[:end])) in seams for end in range(1, len(parts) + 1))


def imports_outside_seams(
    source: str, path: str, seams: dict[tuple[str, str], str] = LAZY_SEAMS
) -> list[FunctionImport]:
    """The function-body imports of one module that no seam allows."""
    return [found for found in function_imports(source, path) if not allowed_seam(found, seams)]
