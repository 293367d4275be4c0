"""The migrations build exactly the schema storage/tables.py describes (alembic's autogenerate
comparison, over every table), on SQLite and on PostgreSQL when its URL is set."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage.database import create_engine
from storage.migrate import upgrade_async
from storage.tables import metadata


def _compare(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata)


async def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_compare)
    finally:
        await engine.dispose()


async def test_the_migrated_schema_matches_the_tables(database_url):
    # database_url is a copy of the migrated SQLite template, or the migrated PostgreSQL database.
    assert await _differences(database_url) == []


async def test_the_comparison_notices_a_missing_migration(tmp_path):
    path = tmp_path / "old.db"
    await upgrade_async(f"sqlite+aiosqlite:///{path}", "0001")
    added = {d[1].name for d in await _differences(f"sqlite+aiosqlite:///{path}") if d[0] == "add_table"}
    assert {"posting_profiles", "free_text_invoices", "free_text_invoice_lines"} <= added


async def test_the_migration_creates_the_default_posting_profile(engine):
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT code, summary_account FROM posting_profiles"))).all()
    assert [tuple(r) for r in rows] == [("GEN", "1300")]
