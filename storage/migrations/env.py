"""Alembic environment: async engine, batch mode on SQLite (ALTER TABLE needs it)."""
from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection

from storage.database import create_engine
from storage.tables import metadata

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        event.listen(engine.sync_engine, "connect", _foreign_keys_off)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            if sqlite:
                await connection.run_sync(_check_foreign_keys)
            await connection.commit()
    finally:
        await engine.dispose()


def _foreign_keys_off(dbapi_connection, _record) -> None:
    """Batch mode rebuilds a table (copy, DROP, rename). With foreign keys on, that DROP deletes
    the rows that refer to it (ON DELETE CASCADE) or fails outright ('FOREIGN KEY constraint
    failed' when a database with data crossed 0011). Alembic's advice: migrate with them off,
    then check them (below). Runs after storage.database's own connect hook, which turns them on."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left {len(broken)} row(s) referring to missing rows, e.g. "
                           f"{broken[0]}; nothing was committed")


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_online())
