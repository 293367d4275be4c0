"""The Telegram updates the webhook took in, shared by every bot process on one database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage import tables as t
from storage.repository_base import dialect_insert


class UpdateLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_sighting(self, update_id: int, now: datetime) -> bool:
        """Record the update; False when some process recorded it before (a re-sent update)."""
        stmt = dialect_insert(self.session, t.telegram_updates).values(update_id=update_id, received_at=now)
        result = await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["update_id"]))
        return result.rowcount == 1

    async def forget_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(
            delete(t.telegram_updates).where(t.telegram_updates.c.received_at < cutoff))
        return result.rowcount
