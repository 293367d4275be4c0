"""The schedulers' leader lock: which process fires campaign schedules and expiry runs."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import tables as t
from storage.repository_base import dialect_insert


class LeaderLock:
    """A row naming the process that fires schedules, until `expires_at`; renewed by its holder,
    taken over by anyone once it has expired (its holder died or hung)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        k = t.leader_locks.c
        result = await self.session.execute(
            update(t.leader_locks).where(k.name == name, (k.holder == holder) | (k.expires_at < now))
            .values(holder=holder, expires_at=now + ttl))
        if result.rowcount == 1:
            return True
        result = await self.session.execute(
            dialect_insert(self.session, t.leader_locks).values(name=name, holder=holder, expires_at=now + ttl)
            .on_conflict_do_nothing(index_elements=["name"]))
        return result.rowcount == 1

    async def release(self, name: str, holder: str) -> None:
        k = t.leader_locks.c
        await self.session.execute(t.leader_locks.delete().where(k.name == name, k.holder == holder))
