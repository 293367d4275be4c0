"""Engines: SQLite (WAL, busy timeout, write lock taken up front) or PostgreSQL through asyncpg."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine, AsyncSession

from storage.mapping import start_mappers
from storage.sqlite_driver import dialect_for

SQLITE_BUSY_TIMEOUT_MS = 15_000
# An execution option: this connection only reads (no BEGIN IMMEDIATE on SQLite; e.g. /healthz).
READ_ONLY = "salesbot_read_only"


SQLITE_EXAMPLE = "sqlite+aiosqlite:///salesbot.db"
POSTGRES_EXAMPLE = "postgresql+asyncpg://user:password@host/database"
DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}  # the backends supported, each's async driver


def unusable_url(url: str) -> str | None:
    """Why the bot cannot open `url`, in words that say what to write instead; None when it can.
    Never repeats the URL: it may hold a password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"not a database URL: write {SQLITE_EXAMPLE} or {POSTGRES_EXAMPLE}"
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend not in DRIVERS:
        return (f"only SQLite ({SQLITE_EXAMPLE}) and PostgreSQL ({POSTGRES_EXAMPLE}) are supported, "
                f"not {backend}")
    if driver != DRIVERS[backend]:
        if backend == "postgresql":
            return f"PostgreSQL is reached through asyncpg: write {POSTGRES_EXAMPLE}"
        return f"SQLite is opened through aiosqlite: write {SQLITE_EXAMPLE}"
    if backend == "sqlite" and sqlite_file_of(parsed.database) is None:
        # An in-memory database would vanish with each command (and its pool refuses our settings).
        return (f"no database file named: write {SQLITE_EXAMPLE} (in the working directory) or "
                "sqlite+aiosqlite:////full/path/salesbot.db")
    return None


class NoDatabaseFolder(FileNotFoundError):
    """The folder a SQLite database file is to be in does not exist. Not made for it: a typo in the
    path would otherwise start a new, empty database somewhere else."""

    def __init__(self, file: Path) -> None:
        super().__init__(f"the folder {file.parent} of the SQLite database {file.name} does not exist "
                         "(create it, or correct the path)")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file_of(database: str | None) -> str | None:
    """The file of a SQLite URL's database part; None for an in-memory database (no file to open)."""
    if not database or database == ":memory:" or "mode=memory" in database:
        return None
    return database


def create_engine(url: str, timezone: str | None = None, **kwargs) -> AsyncEngine:
    """`timezone`: the company's; timestamps read back are in it (storage/types.py UTCDateTime)."""
    start_mappers()
    engine = _create(url, **kwargs)
    if timezone:
        engine.sync_engine.dialect.company_zone = ZoneInfo(timezone)
    return engine


def _create(url: str, **kwargs) -> AsyncEngine:
    if is_sqlite(url):
        _require_folder(make_url(url).database)
        # One connection per process: transactions queue in asyncio (cheap, fair) instead of
        # sleeping in SQLite's busy handler, which backs off up to 100 ms per retry. Other
        # processes on the same file still meet the busy timeout.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 60)
        # Each statement one hand-off to aiosqlite's thread instead of four (storage/sqlite_driver.py).
        engine = create_async_engine(dialect_for(url), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                                     **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _require_folder(database: str | None) -> None:
    file = sqlite_file_of(database)
    if file is None or file.startswith("file:"):  # in memory, or a URI sqlite resolves itself
        return
    path = Path(file).absolute()
    if not path.parent.is_dir():
        raise NoDatabaseFolder(path)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode; a crash loses no commit
        cursor.close()
        # SQLite's lower() (and so ilike and icontains) folds only A-Z: "élan" would miss "Élan"
        # and "мир" "Мир". Python's folds every script, as PostgreSQL's does in a UTF-8 database.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection) -> None:
        # Take the write lock at the start: a transaction that reads then writes would otherwise
        # fail at once with "database is locked" despite the busy timeout (aiosqlite#251).
        # A connection marked READ_ONLY only reads: it runs without a transaction, beside a writer.
        if connection.get_execution_options().get(READ_ONLY):
            return
        dbapi_connection = connection.connection.dbapi_connection
        if hasattr(dbapi_connection, "begin"):  # storage/sqlite_driver.py: sent with the first statement
            dbapi_connection.begin("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
