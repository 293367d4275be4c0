"""The base of the ORM repositories: get, add and list mapped domain objects in a session."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table):
    """INSERT with the database's own ON CONFLICT clause available (PostgreSQL or SQLite)."""
    dialect = session.bind.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class _Repository:
    model: type

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: int):
        return await self.session.get(self.model, id_)

    async def add(self, obj) -> None:
        self.session.add(obj)

    async def _all(self, stmt) -> list:
        return list((await self.session.scalars(stmt)).all())
