"""What the admin commands do (`salesbot db upgrade`, `db backup`, `import`, `users add`); bot/cli.py
parses.

Each command but `db backup` migrates the database first (idempotent), so a fresh install needs no
extra step.
"""
from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic.runtime.migration import MigrationContext

from domain.errors import DomainError
from domain.services.imports import COLUMNS, IMPORTERS, ImportRejected, Row, missing_columns
from domain.services.users import add_or_update_user
from domain.user import parse_role
from storage.backup import BackupRefused, backup_sqlite
from storage.database import create_engine, session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory


class CliError(Exception):
    """A failure to report as plain lines on stderr, with the process exit code."""

    def __init__(self, *lines: str, code: int = 1) -> None:
        super().__init__("\n".join(lines))
        self.lines, self.code = lines, code


@asynccontextmanager
async def _database(url: str, timezone: str | None = None) -> AsyncIterator[UnitOfWorkFactory]:
    await upgrade_async(url)
    engine = create_engine(url, timezone)
    try:
        yield UnitOfWorkFactory(session_factory(engine))
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision())
    finally:
        await engine.dispose()


async def db_upgrade(url: str) -> str:
    await upgrade_async(url)
    return f"database is at revision {await current_revision(url)} (head)"


def db_backup(url: str, target: Path) -> str:
    try:
        size = backup_sqlite(url, target)
    except BackupRefused as exc:
        raise CliError(f"no backup: {exc}") from None
    return f"backup written to {target} ({size:,} bytes), checked by SQLite's integrity check"


# --- CSV import -------------------------------------------------------------------------------

def read_csv(kind: str, path: Path) -> list[Row]:
    """Rows as (line number in the file, header line = 1; column -> text). UTF-8, BOM allowed."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CliError(f"{path}: not UTF-8 text (bad byte at line {line}); save it as "
                       "“CSV UTF-8” and try again") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    expected = ", ".join(COLUMNS[kind])
    try:
        if reader.fieldnames is None:
            raise CliError(f"{path}: the file is empty; the first line must name the columns: {expected}")
        # Spreadsheets like to pad headers with spaces; column names are matched without them.
        reader.fieldnames = [name.strip() for name in reader.fieldnames]
        missing = missing_columns(kind, reader.fieldnames)
        if missing:
            raise CliError(f"{path}: missing column(s): {', '.join(missing)} "
                           f"(a {kind} file needs: {expected})")
        # line_num after reading a row is the file line it ended on (header = 1); blank lines
        # are skipped by the reader but still counted, so numbers match an editor's.
        rows = [(reader.line_num, {k: v or "" for k, v in row.items() if k is not None})
                for row in reader]
    except csv.Error as exc:
        raise CliError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
    # Spreadsheets export trailing rows of bare commas; they are empty lines, not bad rows.
    return [(line, row) for line, row in rows if any(v.strip() for v in row.values())]


async def import_csv(url: str, kind: str, path: Path) -> str:
    rows = read_csv(kind, path)  # file problems are reported before the database is touched
    async with _database(url) as uow:
        try:
            result = await IMPORTERS[kind](uow(), rows)
        except ImportRejected as rejected:
            lines = [f"line {e.line}: {e.reason}" for e in sorted(rejected.errors, key=lambda e: e.line)]
            raise CliError(*lines, f"{path}: {len(lines)} bad row(s); nothing was imported") from None
    return f"{kind}: {result.created} created, {result.updated} updated"


# --- users ------------------------------------------------------------------------------------

async def add_user(url: str, telegram_id: int, name: str, role_text: str, email: str) -> str:
    try:
        role = parse_role(role_text)
    except DomainError as exc:  # a bad --role is a usage error, like a bad option (exit 2)
        raise CliError(str(exc), code=2) from None
    async with _database(url) as uow:
        user, created = await add_or_update_user(uow(), telegram_id, name, role, email)
    return f"user {user.telegram_id} {'created' if created else 'updated'}: {user.name} ({user.role})"
