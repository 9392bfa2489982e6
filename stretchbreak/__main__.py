"""``python -m stretchbreak``: the same command line as the installed ``stretchbreak``."""

from stretchbreak.cli import main

raise SystemExit(main())
