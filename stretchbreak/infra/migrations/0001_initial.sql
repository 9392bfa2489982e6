-- stretchbreak history, version 1.
--
-- Timestamps are UTC ISO-8601 text with microseconds and a "+00:00" offset, always in the
-- same shape, so that comparing the text compares the instants and range queries can use
-- plain indexes. The GLOB checks keep every writer to that shape.
-- The runner wraps this file in one transaction and sets PRAGMA user_version afterwards:
-- no BEGIN/COMMIT here.

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
    exercise      TEXT NOT NULL,
    goal          TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('prompt', 'manual')),
    tempo         TEXT NOT NULL CHECK (tempo IN ('guided', 'self-paced')),
    target_sets   INTEGER NOT NULL CHECK (target_sets >= 0),
    target_reps   INTEGER NOT NULL CHECK (target_reps >= 0),
    target_hold_s INTEGER NOT NULL CHECK (target_hold_s >= 0),
    started_at    TEXT NOT NULL CHECK (started_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    ended_at      TEXT CHECK (ended_at IS NULL OR ended_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('completed', 'cancelled')),
    feeling       TEXT CHECK (feeling IS NULL OR feeling IN ('easy', 'just-right', 'hard', 'painful')),
    -- 1 when the row was rebuilt from a set whose session start never reached the disk:
    -- target and tempo are then guesses, replaced as soon as the real values arrive.
    reconstructed INTEGER NOT NULL DEFAULT 0 CHECK (reconstructed IN (0, 1)),
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);

-- History ranges by day, and "the latest session of this exercise (and goal)".
CREATE INDEX sessions_started_at ON sessions (started_at);
CREATE INDEX sessions_exercise_goal_started_at ON sessions (exercise, goal, started_at);

CREATE TABLE sets (
    id           INTEGER PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    set_index    INTEGER NOT NULL CHECK (set_index >= 0),
    reps         INTEGER NOT NULL CHECK (reps >= 0),
    hold_s       INTEGER NOT NULL CHECK (hold_s >= 0),
    started_at   TEXT NOT NULL CHECK (started_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    completed_at TEXT NOT NULL CHECK (completed_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    active_s     REAL NOT NULL,
    paused_s     REAL NOT NULL,
    partial      INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    -- One row per set of a session: a retried write lands on the same row, never twice.
    UNIQUE (session_id, set_index)
);

-- The unique constraint's index (session_id, set_index) already serves "the sets of a session,
-- in order" and the cascade on delete; a second index on session_id alone would only slow
-- every commit. This one serves totals and charts by time.
CREATE INDEX sets_completed_at ON sets (completed_at);

CREATE TABLE prompts (
    id         INTEGER PRIMARY KEY,
    due_at     TEXT NOT NULL CHECK (due_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    shown_at   TEXT CHECK (shown_at IS NULL OR shown_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'),
    outcome    TEXT NOT NULL CHECK (outcome IN
        ('started', 'snoozed', 'skipped', 'missed', 'natural_break', 'deferred')),
    decided_at TEXT NOT NULL CHECK (decided_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00')
);

CREATE INDEX prompts_due_at ON prompts (due_at);
