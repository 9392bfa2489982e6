"""The goals' ids alone, for the command line, which must not load the whole exercise model."""

GOAL_IDS: tuple[str, ...] = ("warmup", "mobility", "recovery", "desk-reset")
