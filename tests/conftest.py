"""Shared fixtures: a real database per test (SQLite file always, PostgreSQL when CI sets the URL)."""
from __future__ import annotations

import asyncio
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.customer import Customer
from domain.item import Item
from domain.user import Role, User
from storage.database import create_engine, session_factory
from storage.migrate import upgrade
from storage.tables import metadata
from storage.uow import UnitOfWorkFactory
from tests.fakes.clock import FrozenClock

POSTGRES_URL = os.environ.get("SALESBOT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
# Rows the migrations create (the default posting profile): kept when a test empties the tables.
REFERENCE_TABLES = frozenset({"posting_profiles"})

pytest_plugins = [p for p in ("tests.fakes.fixtures",) if (Path(__file__).parent / "fakes" / "fixtures.py").exists()]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrate once; each test gets a copy of the migrated file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """Each test session starts from an empty schema and runs every migration, so a database
    left behind by an earlier run (or an earlier schema) cannot hide a broken migration."""
    asyncio.run(_empty_public_schema(POSTGRES_URL))
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


async def _empty_public_schema(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "salesbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    return request.getfixturevalue("postgres_migrated")


@pytest.fixture
async def engine(database_url):
    engine = create_engine(database_url, "Europe/Amsterdam")  # the company zone of FrozenClock
    if engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in metadata.sorted_tables if t.name not in REFERENCE_TABLES)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(session_factory(engine))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def seeded(uow_factory) -> dict:
    """A salesperson, a second salesperson, a manager, two customers and three items in stock."""
    async with uow_factory() as uow:
        people = {
            "sales": User(telegram_id=1001, name="Sam Sales", role=Role.SALES, email="sam@example.com"),
            "sales2": User(telegram_id=1002, name="Olga Other", role=Role.SALES),
            "manager": User(telegram_id=1003, name="Mia Manager", role=Role.MANAGER),
            "marketing": User(telegram_id=1004, name="Mark Eting", role=Role.MARKETING),
        }
        for u in people.values():
            await uow.users.add(u)
        customers = {
            "acme": Customer("C-001", "Acme Office BV", "buyer@acme.example", "en"),
            "cafe": Customer("C-002", "Café Hoogvliet", "inkoop@hoogvliet.example", "nl"),
        }
        for c in customers.values():
            await uow.customers.add(c)
        items = {
            "chair": Item("A-100", "Office chair", "pcs", Decimal("149.95"), Decimal("21"), Decimal("50")),
            "desk": Item("A-200", "Standing desk", "pcs", Decimal("499.00"), Decimal("21"), Decimal("10")),
            "book": Item("B-300", "Sales handbook", "pcs", Decimal("24.50"), Decimal("9"), Decimal("100")),
        }
        for i in items.values():
            await uow.items.add(i)
        await uow.commit()
    return {**people, **customers, **items}
