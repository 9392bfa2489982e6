-- stretchbreak history, version 2: each session row keeps its sets added up.
--
-- The history window lists every session with its sums (a `SessionDigest`). Adding 100 000
-- sets up on every open took a quarter of a second; kept on the session row, the sums are
-- read with the session itself. Triggers keep them right whoever writes, the app or anyone
-- with a SQLite shell: any change to a set, and a session row arriving after its sets (with
-- foreign keys off), recomputes that one session's sums from its sets. Recomputing, rather
-- than adding and subtracting, keeps the float total exactly what adding the sets up in
-- `set_index` order gives, however often a set is rewritten.
--
-- The sums follow the same rules as `SessionRecord`: `sets_done`, `reps_done` and `max_reps`
-- count non-partial sets only (reps are never negative, a CHECK, so `iif(partial, 0, reps)`
-- keeps the most reps right); `active_s` adds every set, partial ones included.
-- The runner wraps this file in one transaction and sets PRAGMA user_version afterwards:
-- no BEGIN/COMMIT here.

ALTER TABLE sessions ADD COLUMN sets_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN reps_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN max_reps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN partial_sets INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN active_s REAL NOT NULL DEFAULT 0.0;

-- The sessions already in the log. The same subquery is in every trigger below.
UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
    SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
        coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
    FROM sets WHERE sets.session_id = sessions.id
);

CREATE TRIGGER sets_sums_after_insert AFTER INSERT ON sets BEGIN
    UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
        SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
            coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
        FROM sets WHERE sets.session_id = sessions.id
    ) WHERE id = NEW.session_id;
END;

CREATE TRIGGER sets_sums_after_delete AFTER DELETE ON sets BEGIN
    UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
        SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
            coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
        FROM sets WHERE sets.session_id = sessions.id
    ) WHERE id = OLD.session_id;
END;

-- Both sessions when a set moves from one to another; one when it stays.
CREATE TRIGGER sets_sums_after_update AFTER UPDATE ON sets BEGIN
    UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
        SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
            coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
        FROM sets WHERE sets.session_id = sessions.id
    ) WHERE id IN (OLD.session_id, NEW.session_id);
END;

-- A session row that arrives (or is renamed) after sets already point at it.
CREATE TRIGGER sessions_sums_after_insert AFTER INSERT ON sessions
WHEN EXISTS (SELECT 1 FROM sets WHERE session_id = NEW.id) BEGIN
    UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
        SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
            coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
        FROM sets WHERE sets.session_id = sessions.id
    ) WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER sessions_sums_after_id_change AFTER UPDATE OF id ON sessions BEGIN
    UPDATE sessions SET (sets_done, reps_done, max_reps, partial_sets, active_s) = (
        SELECT count(*) - coalesce(sum(partial), 0), coalesce(sum(iif(partial, 0, reps)), 0),
            coalesce(max(iif(partial, 0, reps)), 0), coalesce(sum(partial), 0), total(active_s)
        FROM sets WHERE sets.session_id = sessions.id
    ) WHERE rowid = NEW.rowid;
END;
