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
from domain.services.imports import (COLUMNS, IMPORTERS, ImportRejected, Row, RowError, known_columns,
                                     missing_columns, unknown_columns)
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

def _text_of(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CliError(f"{path}: not UTF-8 text (bad byte at line {line}); save it as "
                       "“CSV UTF-8” and try again") from None


def _delimiter(text: str) -> str:
    """Dutch (and other) Excel saves "CSV UTF-8" with semicolons: a header of those and no comma."""
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _column_names(path: Path, kind: str, header: list[str]) -> list[str]:
    """The header's names as the import knows them: spreadsheets pad them with spaces and capitalise
    them. Nameless columns (a spreadsheet's padding) are allowed while they hold nothing."""
    names = [name.strip().lower() for name in header]
    expected = ", ".join(COLUMNS[kind])
    missing = missing_columns(kind, names)
    if missing:
        raise CliError(f"{path}: missing column(s): {', '.join(missing)} (a {kind} file needs: {expected})")
    unknown = unknown_columns(kind, names)
    if unknown:  # a typo would otherwise drop the column's data without a word
        raise CliError(f"{path}: unknown column(s): {', '.join(unknown)} "
                       f"(a {kind} file has: {', '.join(known_columns(kind))})")
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        raise CliError(f"{path}: column {', '.join(twice)} appears twice")
    return names


def _row(line: int, names: list[str], fields: list[str], delimiter: str) -> Row | RowError:
    """A row of as many fields as the header; one of more or fewer would put values under the wrong
    columns (an unquoted 12,50 is two fields), so it is a bad row."""
    if len(fields) != len(names):
        too_many = len(fields) > len(names) and delimiter == ","
        hint = ' (a value with a comma needs quotes: "12,50")' if too_many else ""
        return RowError(line, f"{len(fields)} fields, the header has {len(names)}{hint}")
    stray = next((v for n, v in zip(names, fields) if not n and v.strip()), None)
    if stray is not None:
        return RowError(line, f"'{stray.strip()}' is in a column the header does not name")
    return line, {n: v for n, v in zip(names, fields) if n}


def read_csv(kind: str, path: Path) -> list[Row | RowError]:
    """Rows as (line number in the file, header line = 1; column -> text), and the rows of the wrong
    shape as RowErrors, named with the import's own. UTF-8, BOM allowed, comma or semicolon."""
    text = _text_of(path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise CliError(f"{path}: the file is empty; the first line must name the columns: "
                           f"{', '.join(COLUMNS[kind])}")
        names = _column_names(path, kind, header)
        # line_num after reading a row is the file line it ended on (header = 1); blank lines and
        # spreadsheets' trailing rows of bare commas are skipped but counted, so numbers match an
        # editor's.
        return [_row(reader.line_num, names, fields, delimiter) for fields in reader
                if any(f.strip() for f in fields)]
    except csv.Error as exc:
        raise CliError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None


async def import_csv(url: str, kind: str, path: Path) -> str:
    rows = read_csv(kind, path)  # file problems are reported before the database is touched
    async with _database(url) as uow:
        try:
            result = await IMPORTERS[kind](uow(), rows)
        except ImportRejected as rejected:
            lines = [f"line {e.line}: {e.reason}" for e in rejected.errors]  # sorted by line
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
