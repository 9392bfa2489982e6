"""The running app: ``launch`` shows the face, ``compose`` builds the rest in one order, and
``shutdown`` is the one way out.

Nothing here is imported by ``stretchbreak.cli``: the command line hands a start over to
``launch.run`` through ``stretchbreak.__main__`` (import-linter keeps the two siblings apart).
This file imports nothing, so importing ``stretchbreak.app.launch`` loads only the launch.
"""
