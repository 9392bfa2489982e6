"""The SQLite store and what reads it: migrations, opening, the session log, history figures."""
