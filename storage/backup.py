"""A consistent copy of the embedded SQLite database while the bot keeps running.

Copying the file by hand is not one: in WAL mode the newest commits may still be in the `-wal`
file, and a copy taken during a write can be torn. SQLite's online backup reads one snapshot
(a writer meanwhile neither waits nor gets in), and the copy is checked before it is named.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.database import is_sqlite, sqlite_file_of


class BackupRefused(Exception):
    """Why no copy was made, in words for the admin."""


def sqlite_file(url: str) -> Path:
    if not is_sqlite(url):
        raise BackupRefused("this database is not SQLite: back PostgreSQL up with its own tools, "
                            "e.g. `pg_dump --format=custom --file=salesbot.dump DATABASE`")
    database = sqlite_file_of(make_url(url).database)
    if database is None:
        raise BackupRefused("an in-memory database has nothing to back up")
    path = Path(database)
    if not path.is_file():
        raise BackupRefused(f"{path}: no such database file")
    return path


def backup_sqlite(url: str, target: Path) -> int:
    """Copy the database at `url` to `target` (which must not exist yet); the copy's size in bytes.

    The copy is written beside the target under a temporary name, checked with SQLite's
    integrity check and only then renamed, so `target` is never a half-written file."""
    source = sqlite_file(url)
    if target.exists():
        raise BackupRefused(f"{target} exists already; give a new file name")
    if not target.parent.is_dir():
        raise BackupRefused(f"{target.parent}: no such folder")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _copy(source: Path, partial: Path) -> None:
    partial.unlink(missing_ok=True)
    # The backup only reads the live database; the bot may go on writing meanwhile.
    with closing(sqlite3.connect(source, timeout=15)) as live, closing(sqlite3.connect(partial)) as copy:
        live.backup(copy)
        # The copy keeps WAL mode from its source; as a single file it needs no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise BackupRefused(f"the copy failed SQLite's integrity check: {verdict}")

