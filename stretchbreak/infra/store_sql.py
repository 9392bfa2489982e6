"""The store's SQL: the columns, inserts and upserts, and the reads the history and the
command line's export depend on for their speed (``store_rows`` maps the rows to values).
"""

from __future__ import annotations

SESSION_COLUMNS = (
    "id, exercise, goal, source, tempo, target_sets, target_reps, target_hold_s, "
    "started_at, ended_at, outcome, feeling"
)
SET_COLUMNS = (
    "session_id, set_index, reps, hold_s, started_at, completed_at, active_s, paused_s, partial"
)
PROMPT_COLUMNS = "due_at, shown_at, outcome, decided_at, reason"


INSERT_SESSION = f"""
    INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_SET = f"INSERT INTO sets ({SET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
INSERT_PROMPT = f"INSERT INTO prompts ({PROMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?)"

UPSERT_STARTED = """
    INSERT INTO sessions (id, exercise, goal, source, tempo, target_sets, target_reps,
        target_hold_s, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET exercise = excluded.exercise, goal = excluded.goal,
        source = excluded.source, tempo = excluded.tempo, target_sets = excluded.target_sets,
        target_reps = excluded.target_reps, target_hold_s = excluded.target_hold_s,
        started_at = excluded.started_at, reconstructed = 0
"""
#: A set must never be refused for want of its session row: rebuild one from the set, and
#: let later sets of such a row raise its guessed target.
UPSERT_SESSION_FROM_SET = """
    INSERT INTO sessions (id, exercise, goal, source, tempo, target_sets, target_reps,
        target_hold_s, started_at, reconstructed) VALUES (?, ?, ?, ?, 'guided', ?, ?, ?, ?, 1)
    ON CONFLICT (id) DO UPDATE SET target_sets = max(sessions.target_sets, excluded.target_sets)
        WHERE sessions.reconstructed = 1
"""
UPSERT_SET = f"""
    {INSERT_SET} ON CONFLICT (session_id, set_index) DO UPDATE SET reps = excluded.reps,
        hold_s = excluded.hold_s, started_at = excluded.started_at,
        completed_at = excluded.completed_at, active_s = excluded.active_s,
        paused_s = excluded.paused_s, partial = excluded.partial
"""
#: The summary is authoritative for everything but the start time, which only a rebuilt row
#: takes from it; an earlier answer to "How did it feel?" survives a summary without one.
UPSERT_ENDED = f"""
    {INSERT_SESSION} ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at,
        outcome = excluded.outcome, feeling = coalesce(excluded.feeling, sessions.feeling),
        exercise = excluded.exercise, goal = excluded.goal, source = excluded.source,
        tempo = excluded.tempo, target_sets = excluded.target_sets,
        target_reps = excluded.target_reps, target_hold_s = excluded.target_hold_s,
        started_at = iif(sessions.reconstructed, excluded.started_at, sessions.started_at),
        reconstructed = 0
"""
INSERT_SET_IF_NEW = f"{INSERT_SET} ON CONFLICT DO NOTHING"

#: The reps of a session's sets cut short. Not a column of its own: few sessions have such a
#: set, so only theirs are looked up, along the ``(session_id, set_index)`` index.
PARTIAL_REPS = (
    "iif(s.partial_sets > 0, "
    "(SELECT sum(t.reps) FROM sets AS t WHERE t.session_id = s.id AND t.partial), 0)"
)

#: One row per session in ``{where}`` (on ``s.started_at``), oldest first, with its sets
#: added up (the ``SessionDigest`` fields, in order). The sums are columns of the session
#: row, kept right by the triggers of migration 0002, so this reads the sessions table and
#: no set but those cut short (``PARTIAL_REPS``). ``INDEXED BY`` walks the
#: ``sessions_started_at`` index (whose entries end in the rowid) in the order asked for, so
#: no temporary B-tree sorts 20 000 rows; it also fails loudly should a migration ever drop
#: the index.
DIGESTS = f"""
    SELECT s.id, s.exercise, s.goal, s.source, s.started_at, s.ended_at, s.outcome, s.feeling,
        s.target_hold_s, s.sets_done, s.reps_done, s.max_reps, s.partial_sets,
        {PARTIAL_REPS}, s.active_s
    FROM sessions AS s INDEXED BY sessions_started_at
    WHERE {{where}}
    ORDER BY s.started_at, s.rowid
"""

#: What ``core.stats.Outline`` needs of each session in ``{where}`` (on ``s.started_at``)
#: that counts (``core.tally.is_counted``: it holds a set, finished or cut short), oldest
#: first: four small columns instead of the fourteen of ``DIGESTS``, since reading a
#: column of 20 000 rows costs about as much as all the SQL around it.
OUTLINE = """
    SELECT s.id, s.started_at, s.sets_done, s.outcome = 'completed'
    FROM sessions AS s INDEXED BY sessions_started_at
    WHERE ({where}) AND (s.sets_done > 0 OR s.partial_sets > 0)
    ORDER BY s.started_at, s.rowid
"""

#: ``DIGESTS`` of the sessions with the ids in ``{ids}`` (``?`` marks), found by the index on
#: ``id``; the order is the caller's business.
DIGESTS_BY_ID = f"""
    SELECT s.id, s.exercise, s.goal, s.source, s.started_at, s.ended_at, s.outcome, s.feeling,
        s.target_hold_s, s.sets_done, s.reps_done, s.max_reps, s.partial_sets,
        {PARTIAL_REPS}, s.active_s
    FROM sessions AS s
    WHERE s.id IN ({{ids}})
"""

#: For the CSV export (``core.export.csv_text_by_session``): the sessions in ``{where}`` (on
#: ``s.started_at``) by rowid, with the cells that repeat on each row of their sets, and
#: then their sets in the order ``core.export.sets_to_csv`` writes them. The sets walk the
#: ``sessions_started_at`` index and each session's sets along the ``(session_id,
#: set_index)`` one (``CROSS JOIN`` keeps the sessions outside), so no temporary B-tree
#: sorts 100 000 rows, and no session cell is read once per set.
#: Stored times always have six fractional digits; the export writes whole seconds (the
#: fraction cut off, as ``core.export`` does), so they are cut here to match.
CSV_SESSIONS = """
    SELECT s.rowid, s.id, s.exercise, s.goal, s.source, coalesce(s.feeling, '')
    FROM sessions AS s
    WHERE {where}
"""
CSV_SETS = """
    SELECT s.rowid, t.set_index, t.reps, t.hold_s,
        substr(t.started_at, 1, 19) || '+00:00', substr(t.completed_at, 1, 19) || '+00:00',
        t.partial
    FROM sessions AS s INDEXED BY sessions_started_at CROSS JOIN sets AS t
        ON t.session_id = s.id
    WHERE {where}
    ORDER BY s.started_at, s.rowid, t.set_index
"""
