"""The migrations build exactly the schema storage/tables/ describes (alembic's autogenerate
comparison, over every table), on SQLite and on PostgreSQL when its URL is set."""
from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage.database import create_engine
from storage.migrate import alembic_config, upgrade_async
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
    # Later revisions add tables of their own: the ones 0002 adds must be among the missing.
    assert {"posting_profiles", "free_text_invoices", "free_text_invoice_lines"} <= added


async def test_the_migration_creates_the_default_posting_profile(engine):
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT code, summary_account FROM posting_profiles"))).all()
    assert [tuple(r) for r in rows] == [("GEN", "1300")]


async def test_0019_keeps_estimates_and_a_downgrade_refuses_while_one_is_pending(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'pending.db'}"
    await upgrade_async(url, "0018")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO users (id, telegram_id, name, role, language, email) "
                "VALUES (1, 1, 'Sam', 'sales', 'en', '')"))
            await connection.execute(text(
                "INSERT INTO parties (id, name, company, email, phone, source, note, stage, owner_id, "
                "created_at, version) VALUES (1, 'Jan', '', 'jan@example.com', '', 'other', '', "
                "'opportunity', 1, '2026-11-24 09:00:00', 1)"))
            await connection.execute(text(
                "INSERT INTO opportunities (party_id, estimated_value, probability, expected_close, status, "
                "reason, created_at) VALUES (1, 2500000, 600000, '2026-12-31', 'open', '', "
                "'2026-11-24 09:00:00')"))
        await upgrade_async(url, "0019")
        async with engine.begin() as connection:
            assert (await connection.execute(text(
                "SELECT estimated_value, probability FROM opportunities"))).one() == (2500000, 600000)
            await connection.execute(text(
                "INSERT INTO opportunities (party_id, status, reason, created_at) "
                "VALUES (1, 'lost', 'no', '2026-11-24 09:00:00')"))
        with pytest.raises(RuntimeError, match="1 opportunities have no estimate yet"):
            await asyncio.to_thread(command.downgrade, alembic_config(url), "0018")
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM opportunities WHERE estimated_value IS NULL"))
        await asyncio.to_thread(command.downgrade, alembic_config(url), "0018")
    finally:
        await engine.dispose()


async def test_a_database_with_data_crosses_the_table_rebuilds_to_head_and_keeps_every_row(tmp_path):
    """SQLite's batch mode rebuilds a table (copy, DROP, rename): with foreign keys on, dropping
    users (0011) failed on the quotation that refers to it, so no database with data got past it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await upgrade_async(url, "0010")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in (
                    "INSERT INTO users (id, telegram_id, name, role, email, language) "
                    "VALUES (1, 1001, 'Sam', 'sales', '', 'en')",
                    "INSERT INTO customers (id, account_number, name, email, language, customer_group) "
                    "VALUES (1, 'C-001', 'Acme', 'buyer@acme.example', 'en', '')",
                    "INSERT INTO quotations (id, number, customer_id, salesperson_id, status, created_at, "
                    "valid_until, version) VALUES (1, 'Q-000001', 1, 1, 'created', '2026-11-24 09:00:00', "
                    "'2026-12-24', 1)"):
                await connection.execute(text(statement))
        await upgrade_async(url, "head")
        async with engine.connect() as connection:
            counts = [(await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
                      for table in ("users", "customers", "quotations")]
            assert counts == [1, 1, 1]
            assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1  # the app's own
    finally:
        await engine.dispose()
