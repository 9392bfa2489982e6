"""The command line: global options, then a sub-command; without one, the app runs.

Parsing imports no Qt, so ``--help``, ``--version`` and ``paths`` work with no display.
Wrong arguments print usage on stderr and exit 2, as argparse does; other failures print one
clear line on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from stretchbreak import __version__
from stretchbreak.core.exercise import GOAL_IDS
from stretchbreak.infra.paths import DATA_DIR_VARIABLE, PathsError, resolve_paths

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.01 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"must be between 0.01 and 1000, not {text}")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        app_paths = resolve_paths(args.data_dir)
    except PathsError as error:
        parser.print_usage(sys.stderr)
        print(f"stretchbreak: error: {error}", file=sys.stderr)
        return EXIT_USAGE

    if args.command == "paths":
        locations = app_paths.as_dict()
        if args.json:
            print(json.dumps(locations, indent=2))
        else:
            width = max(map(len, locations))
            for name, location in locations.items():
                print(f"{name:<{width}}  {location}")
        return EXIT_OK

    from stretchbreak.app import run  # Qt loads only when the app really runs

    goal = args.goal if args.command == "break" else None
    return run(app_paths, speed=args.speed, use_tray=not args.no_tray, goal=goal)
