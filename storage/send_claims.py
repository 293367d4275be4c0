"""Claims with a lease on the queues drained by every bot process: the mail outbox and the Telegram
deliveries of quotations (scale-out).

A sender claims due rows in one short transaction: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`
picks rows nobody holds (or whose holder's lease ran out, or that the same sender held before) and
stamps them `claimed_by`/`lease_until` before the commit, so two processes never claim one row. The
holder renews a row's lease just before it hands the row out (`renew`, a conditional UPDATE: False
means the row is no longer its own) and records the outcome under a row lock (`locked`). Rows it
claimed but did not reach are given back (`release`). On SQLite one process sends; the same
statements run there without the row locks (SQLite has one writer, and no SKIP LOCKED).

Taking over the rows another holder left (its lease ran out: it died or hung) counts an attempt for
the one it was working on, so a row that kills its sender every time (a document too big to render,
say) is not taken over forever: the senders give it up after their number of attempts like any
failing row. The others it held and had not reached are not charged. That row is the holder's first
still queued in claim order, because a sender works through its claim in that order and records
each row's outcome (which gives the row back) before it starts the next.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession


class LeasedQueue:
    def __init__(self, session: AsyncSession, table: Table, model: type, queued) -> None:
        self.session, self.table, self.model, self.queued = session, table, model, queued

    async def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list:
        c = self.table.c
        free = c.claimed_by.is_(None) | (c.lease_until < now) | (c.claimed_by == worker)
        rows = (select(c.id, c.claimed_by).where(c.status == self.queued, c.next_attempt_at <= now, free)
                .order_by(c.next_attempt_at, c.id).limit(limit))
        if self.session.bind.dialect.name == "postgresql":
            rows = rows.with_for_update(skip_locked=True)
        found = (await self.session.execute(rows)).all()
        if not found:
            return []
        chosen = [row_id for row_id, _holder in found]
        charged = [row_id for row_id in await self._in_hand({holder for _id, holder in found} - {None, worker})
                   if row_id in chosen]
        await self.session.execute(update(self.table).where(c.id.in_(chosen)).values(
            claimed_by=worker, lease_until=now + lease))
        if charged:
            await self.session.execute(update(self.table).where(c.id.in_(charged))
                                       .values(attempts=c.attempts + 1))
        return list((await self.session.scalars(
            select(self.model).where(c.id.in_(chosen)).order_by(c.next_attempt_at, c.id)
            .execution_options(populate_existing=True))).all())

    async def _in_hand(self, holders: set[str]) -> list[int]:
        """The row each of these (dead or hung) holders was working on: its first still queued."""
        c = self.table.c
        in_hand = []
        for holder in sorted(holders):
            row_id = await self.session.scalar(
                select(c.id).where(c.claimed_by == holder, c.status == self.queued)
                .order_by(c.next_attempt_at, c.id).limit(1))
            if row_id is not None:
                in_hand.append(row_id)
        return in_hand

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
