"""The command line: ``main`` parses and dispatches, ``control`` steers a running app,
``history`` prints the log. None of it imports ``stretchbreak.app`` (import-linter keeps the
two siblings apart); starting the app is handed to the caller, ``stretchbreak.__main__``.
This file imports nothing, so ``--help`` loads only the parser.
"""
