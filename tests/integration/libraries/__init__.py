"""The libraries we lean on: pinned Qt binding, library internals, what a start imports."""
