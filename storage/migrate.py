"""Run the versioned migrations (`salesbot db upgrade`) without an alembic.ini on disk."""
from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


class NewerDatabase(Exception):
    """The database is at a revision these migrations do not know: a newer salesbot migrated it
    (and this older one was started again, e.g. after a rollback). Nothing can be done here."""

    def __init__(self, revision: str, head: str) -> None:
        super().__init__(f"The database is at revision {revision}, newer than this salesbot (latest "
                         f"{head}): run the newer version or restore a backup.")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Blocking; call from a thread when an event loop is running."""
    _upgrade(alembic_config(url), revision)


def _upgrade(config: Config, revision: str) -> None:
    try:
        command.upgrade(config, revision)
    except CommandError as exc:
        unknown = exc.__cause__
        # Alembic names the revision it could not find; if it is not the one asked for, it is the
        # database's own.
        if isinstance(unknown, ResolutionError) and unknown.argument != revision:
            head = ScriptDirectory.from_config(config).get_current_head()
            raise NewerDatabase(unknown.argument, head) from None
        raise


async def upgrade_async(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate through an existing engine's connection (used by tests and the demo)."""
    def _run(connection) -> None:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        _upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_run)
