"""The command line: global options, then a sub-command; without one, the app runs.

Parsing imports no Qt, so ``--help``, ``--version`` and ``paths`` work with no display.
Wrong arguments print usage on stderr and exit 2, as argparse does; other failures print one
clear line on stderr and exit 1, never a traceback. Starting the app is the caller's
(``stretchbreak.__main__``): this package never imports ``stretchbreak.app``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from stretchbreak import __version__
from stretchbreak.core.goal_ids import GOAL_IDS
from stretchbreak.infra.paths import DATA_DIR_VARIABLE, AppPaths, PathsError, resolve_paths

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class AppStart(NamedTuple):
    """How to start the app when no running one took the launch's wish (a NamedTuple: the
    start path avoids loading dataclasses)."""

    speed: float
    use_tray: bool
    goal: str | None
    settings_only: bool
    opens_window: bool


class StartApp(Protocol):
    """Runs the app and returns its exit status (``stretchbreak.__main__.start_app``)."""

    def __call__(self, paths: AppPaths, start: AppStart, /) -> int: ...


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.01 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"must be between 0.01 and 1000, not {text}")
    return value


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of minutes: {text!r}") from None
    if not 1 <= value <= 24 * 60:
        raise argparse.ArgumentTypeError(f"must be from 1 to 1440 minutes, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretchbreak",
        description=(
            "A calm desk-break reminder that guides you through the Dynamic Back Stretch "
            "and keeps an exact log of every set. Without a command, the app starts."
        ),
        epilog=f"Environment: {DATA_DIR_VARIABLE}=DIR works like --data-dir DIR.",
    )
    parser.add_argument("--version", action="version", version=f"stretchbreak {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep every file under DIR (database, settings.toml, logs/) instead of the "
        "platform's per-user folders",
    )
    parser.add_argument(
        "--speed",
        metavar="FACTOR",
        type=_speed,
        default=1.0,
        help="developer and demo option: run every duration FACTOR times faster",
    )
    parser.add_argument(
        "--no-tray",
        action="store_true",
        help="do not use the system tray; show a small status window instead",
    )
    commands = parser.add_subparsers(dest="command", metavar="<command>")
    paths = commands.add_parser(
        "paths",
        help="print where the database, the settings file and the logs are",
        description="Print where the database, the settings file and the logs are kept.",
    )
    paths.add_argument("--json", action="store_true", help="print one JSON object instead")
    brk = commands.add_parser(
        "break",
        help="open the guided stretch window now",
        description="Open the guided stretch window, with a goal preselected if you name one.",
    )
    brk.add_argument(
        "--goal",
        choices=GOAL_IDS,
        help="the goal to preselect (default: the one you used last)",
    )
    commands.add_parser(
        "settings",
        help="open the settings dialog",
        description="Open the settings dialog; OK saves settings.toml and applies it at once.",
    )
    menu = commands.add_parser(
        "install-desktop",
        help="add stretchbreak to your application menu (Linux and BSD desktops)",
        description="Install the menu entry, the icon and the AppStream metainfo for you alone.",
    )
    menu.add_argument("--remove", action="store_true", help="remove them again")
    status = commands.add_parser(
        "status", help="print the running app's state and next break (exit 3 when not running)"
    )
    status.add_argument("--json", action="store_true", help="print one JSON object instead")
    pause = commands.add_parser("pause", help="pause reminders for MINUTES or until tomorrow")
    length = pause.add_mutually_exclusive_group(required=True)
    length.add_argument("minutes", nargs="?", type=_minutes, metavar="MINUTES")
    length.add_argument(
        "--until-tomorrow", action="store_true", help="until the next working-hours start"
    )
    commands.add_parser("resume", help="resume reminders")
    commands.add_parser("quit", help="quit the running app")
    history = commands.add_parser(
        "history",
        help="print the log of sessions and sets (no display needed)",
        description="Print the log: a table for people, CSV (one row per set) or JSON.",
    )
    history.add_argument("--since", metavar="YYYY-MM-DD", help="first day to include")
    history.add_argument("--until", metavar="YYYY-MM-DD", help="last day to include")
    history.add_argument("--format", choices=("table", "csv", "json"), default="table")
    return parser


def run_command(argv: Sequence[str] | None, start_app: StartApp) -> int:
    """Parse ``argv``, run its command, and return the exit status; a start of the app (no
    command, ``break``, ``settings``) that no running app took is ``start_app``'s."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        app_paths = resolve_paths(args.data_dir)
    except PathsError as error:  # one line: the folder and what is wrong with it
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return EXIT_USAGE

    if args.command == "paths":
        locations = app_paths.as_dict()
        if args.json:
            import json  # not at the top: a start never needs it

            print(json.dumps(locations, indent=2))
        else:
            width = max(map(len, locations))
            for name, location in locations.items():
                print(f"{name:<{width}}  {location}")
        return EXIT_OK

    if args.command == "history":
        from stretchbreak.cli.history import print_history

        return print_history(app_paths.database, args.since, args.until, args.format, sys.stdout)

    if args.command == "install-desktop":
        return _install_desktop(remove=args.remove, data_dir=args.data_dir)

    # Qt from here on. The cheap feature check must be in place before our modules import.
    from stretchbreak.infra.qt_binding import lighten_feature_check

    lighten_feature_check()
    from stretchbreak.cli import control  # a socket and QtCore: still no display needed

    if args.command in control.STEERING:
        request: dict[str, object] = {}
        if args.command == "pause":
            request = {"until_tomorrow": True} if args.until_tomorrow else {"minutes": args.minutes}
        return control.steer(
            app_paths.data_dir, args.command, request, getattr(args, "json", False)
        )

    from stretchbreak.infra.instance_start import launch_request

    goal = args.goal if args.command == "break" else None
    settings_only = args.command == "settings"
    opens_window = args.command == "break"
    command, request = launch_request(goal, settings_only, opens_window)
    handed = control.hand_over(app_paths.data_dir, command, request)
    if handed is not None:
        return handed
    start = AppStart(args.speed, not args.no_tray, goal, settings_only, opens_window)
    return start_app(app_paths, start)


def _install_desktop(*, remove: bool, data_dir: str | None) -> int:
    """The menu entry and icon for this user; one line per file, errors on stderr."""
    from stretchbreak.infra import autostart
    from stretchbreak.infra.desktop_install import install_desktop, uninstall_desktop

    if sys.platform in ("win32", "darwin"):
        print("stretchbreak: error: install-desktop is for Linux and BSD desktops", file=sys.stderr)
        return EXIT_FAILURE
    try:
        if remove:
            changed = uninstall_desktop(Path.home(), os.environ)
        else:
            command = autostart.launch_command(
                sys.executable, data_dir or os.environ.get(DATA_DIR_VARIABLE)
            )
            changed = install_desktop(Path.home(), os.environ, command)
    except OSError as error:
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    for path in changed:
        print(path)
    return EXIT_OK
