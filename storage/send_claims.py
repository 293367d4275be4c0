"""Claims with a lease on the queues drained by every bot process: the mail outbox and the Telegram
deliveries of quotations (scale-out).

A sender claims due rows in one short transaction: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`
picks rows nobody holds (or whose holder's lease ran out, or that the same sender held before) and
stamps them `claimed_by`/`lease_until` before the commit, so two processes never claim one row. The
holder renews a row's lease just before it hands the row out (`renew`, a conditional UPDATE: False
means the row is no longer its own) and records the outcome under a row lock (`locked`). Rows it
claimed but did not reach are given back (`release`). On SQLite one process sends; the same
statements run there without the row locks (SQLite has one writer, and no SKIP LOCKED).

Taking over a row another holder left (its lease ran out: it died or hung) counts as an attempt,
so a row that kills its sender every time (a document too big to render, say) is not taken over
forever: the senders give it up after their number of attempts like any failing row.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Table, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession


class LeasedQueue:
    def __init__(self, session: AsyncSession, table: Table, model: type, queued) -> None:
        self.session, self.table, self.model, self.queued = session, table, model, queued

    async def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list:
        c = self.table.c
        free = c.claimed_by.is_(None) | (c.lease_until < now) | (c.claimed_by == worker)
        ids = (select(c.id).where(c.status == self.queued, c.next_attempt_at <= now, free)
               .order_by(c.next_attempt_at, c.id).limit(limit))
        if self.session.bind.dialect.name == "postgresql":
            ids = ids.with_for_update(skip_locked=True)
        chosen = list((await self.session.scalars(ids)).all())
        if not chosen:
            return []
        taken_over = c.claimed_by.is_not(None) & (c.claimed_by != worker)
        await self.session.execute(update(self.table).where(c.id.in_(chosen)).values(
            claimed_by=worker, lease_until=now + lease,
            attempts=case((taken_over, c.attempts + 1), else_=c.attempts)))
        return list((await self.session.scalars(
            select(self.model).where(c.id.in_(chosen)).order_by(c.next_attempt_at, c.id)
            .execution_options(populate_existing=True))).all())

    async def renew(self, row_id: int, worker: str, now: datetime, lease: timedelta) -> bool:
        """Still ours and still queued: the lease starts again (just before the row is handed out)."""
        c = self.table.c
        result = await self.session.execute(
            update(self.table).where(c.id == row_id, c.claimed_by == worker, c.status == self.queued)
            .values(lease_until=now + lease))
        return result.rowcount == 1

    async def locked(self, row_id: int):
        """The row, locked until the commit (PostgreSQL), to record an outcome."""
        return await self.session.get(self.model, row_id, with_for_update=True,
                                      populate_existing=True)

    async def release(self, worker: str) -> int:
        """Give back the queued rows this worker holds (stopping, or a round cut short)."""
        c = self.table.c
        result = await self.session.execute(
            update(self.table).where(c.claimed_by == worker, c.status == self.queued)
            .values(claimed_by=None, lease_until=None))
        return result.rowcount
