"""The one entrance: ``python -m stretchbreak`` and the installed ``stretchbreak`` both run
``main`` here. The command line (``stretchbreak.cli``) parses and answers what needs no app;
a start is handed to ``stretchbreak.app.launch``, imported only then (Qt loads only when the
app runs). Only this module may see both, so the command line can never import the app.
"""

from __future__ import annotations

from collections.abc import Sequence

from stretchbreak.cli.main import AppStart, run_command
from stretchbreak.infra.paths import AppPaths


def start_app(paths: AppPaths, start: AppStart) -> int:
    """Run the app (the command line has found no running app to hand the wish to)."""
    from stretchbreak.app.launch import run

    return run(
        paths,
        speed=start.speed,
        use_tray=start.use_tray,
        goal=start.goal,
        settings_only=start.settings_only,
        opens_window=start.opens_window,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The console script's target: parse ``argv`` and run the command or the app."""
    return run_command(argv, start_app)


if __name__ == "__main__":
    raise SystemExit(main())
