-- stretchbreak history, version 3: a deferred prompt says why it waited.
--
-- A break that falls due while the user is in a call or presenting is recorded as `deferred`
-- with the signal that held it back; it is recorded again with its real outcome when it has
-- been shown after the call. Rows written before this version (and deferrals that had no
-- busy signal, such as a break started by hand while a prompt was due) have no reason.
-- The runner wraps this file in one transaction and sets PRAGMA user_version afterwards:
-- no BEGIN/COMMIT here.

ALTER TABLE prompts ADD COLUMN reason TEXT CHECK (reason IS NULL OR (outcome = 'deferred'
    AND reason IN ('microphone', 'camera', 'fullscreen', 'do-not-disturb')));
