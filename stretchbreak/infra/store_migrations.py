"""Numbered SQL migrations: a consistent copy first, then one transaction per step.

Migrations live in ``stretchbreak/infra/migrations`` as ``NNNN_name.sql`` package data.
Each file holds plain statements (no BEGIN/COMMIT); the runner wraps it in a transaction
with the new ``PRAGMA user_version``, so a step either happens completely or not at all.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """A migration failed and was rolled back: the file keeps its old version and data."""

    def __init__(
        self, path: Path, version: int, target: int, backup: Path | None, why: str
    ) -> None:
        where = f"; a copy made before the upgrade is at {backup}" if backup else ""
        super().__init__(
            f"{path} could not be upgraded from version {version} to {target}: {why}. "
            f"It was left at version {version}{where}"
        )
        self.path = path
        self.version = version
        self.target = target
        self.backup = backup


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> Traversable:
    """The migrations shipped inside the package, found the same way in a checkout and a wheel."""
    return resources.files("stretchbreak.infra") / "migrations"


def load_migrations(folder: Traversable | None = None) -> tuple[Migration, ...]:
    """Every ``NNNN_name.sql`` in ``folder``, numbered 1, 2, 3 … without gaps.

    A gap would mean a database could skip a step, so it is a packaging error, caught here.
    """
    found: list[Migration] = []
    for entry in (folder if folder is not None else bundled_migrations()).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3 … without gaps; found {numbers}")
    return tuple(found)


def migrate(
    connection: sqlite3.Connection,
    path: Path,
    migrations: Sequence[Migration],
    version: int,
    *,
    keep_copy: bool = True,
) -> Path | None:
    """Apply every migration newer than ``version``, each in its own transaction.

    A database with content is copied first; a new or empty one has nothing to lose, and
    neither has a copy being upgraded in memory for reading (``keep_copy=False``).
    Foreign keys are off during a step (SQLite's recipe for rebuilding tables) and checked
    before its commit, so a step cannot leave dangling rows behind.
    """
    steps = [m for m in migrations if m.version > version]
    if not steps:
        return None
    backup = None
    if keep_copy and _has_content(connection, version):
        backup = backup_copy(connection, path, version)
    for step in steps:
        connection.execute("PRAGMA foreign_keys = OFF")
        try:
            connection.executescript(f"BEGIN IMMEDIATE;\n{step.sql}\n;")
            dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                raise sqlite3.IntegrityError(f"{len(dangling)} rows point to missing rows")
            connection.execute(f"PRAGMA user_version = {step.version}")
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            target = migrations[-1].version
            raise MigrationError(path, version, target, backup, f"{step.name}: {error}") from error
        finally:
            connection.execute("PRAGMA foreign_keys = ON")
        log.info("%s: migrated to version %d (%s)", path, step.version, step.name)
        version = step.version
    return backup


def _has_content(connection: sqlite3.Connection, version: int) -> bool:
    if version > 0:
        return True
    return int(connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]) > 0


def backup_copy(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """``<name>.bak-v<version>`` (or ``…-2``, ``…-3`` when taken), private, never overwritten.

    SQLite's backup API copies a consistent snapshot, WAL content included, which copying the
    file's bytes would not.
    """
    target = path.with_name(f"{path.name}.bak-v{version}")
    number = 1
    while True:
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            number += 1
            target = path.with_name(f"{path.name}.bak-v{version}-{number}")
    os.close(descriptor)
    copy = sqlite3.connect(target)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    log.info("%s: copied to %s before migrating", path, target)
    return target
