"""A telemarketing campaign's call list: the next call for a salesperson, and progress counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.call_list import Call, CallState
from domain.campaign import CampaignStatus
from storage import tables as t

k, cp = t.campaign_calls.c, t.campaigns.c


@dataclass(frozen=True)
class CallProgress:
    by_state: dict[str, int]                 # open, done, skipped, cancelled
    by_outcome: dict[str, int]               # last outcome of each call that has one
    by_person: list[tuple[str, int, int]]    # (salesperson name or "", open, done)


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, call_id: int) -> Call | None:
        return await self.session.get(Call, call_id)

    async def next_for(self, user_id: int, today: date, unassigned_too: bool) -> Call | None:
        """The user's next due open call of a running campaign: untried first, then the ones with
        fewer attempts; a manager gets unassigned calls after their own."""
        running = select(cp.id).where(cp.status == CampaignStatus.SENDING.value)
        mine = k.assigned_to == user_id
        who = or_(mine, k.assigned_to.is_(None)) if unassigned_too else mine
        stmt = (select(Call).where(k.campaign_id.in_(running), k.state == CallState.OPEN.value, who,
                                   or_(k.call_back_on.is_(None), k.call_back_on <= today))
                .order_by(case((mine, 0), else_=1), k.attempts, k.call_back_on, k.id).limit(1))
        return await self.session.scalar(stmt)

    async def open_count(self, campaign_id: int) -> int:
        return await self.session.scalar(select(func.count()).where(
            k.campaign_id == campaign_id, k.state == CallState.OPEN.value)) or 0

    async def cancel_open(self, campaign_id: int) -> int:
        """The campaign was cancelled: its open calls (call-backs too) end as cancelled. The version
        goes up, so a salesperson's outcome logged meanwhile in another process (a Call loaded
        before this commit) fails its version check instead of reopening or closing the call; on
        PostgreSQL this UPDATE waits for such a row lock and re-checks `open` after it."""
        result = await self.session.execute(
            update(t.campaign_calls).where(k.campaign_id == campaign_id, k.state == CallState.OPEN.value)
            .values(state=CallState.CANCELLED.value, version=k.version + 1))
        return result.rowcount

    async def progress(self, campaign_id: int) -> CallProgress:
        states = await self.session.execute(select(k.state, func.count()).where(k.campaign_id == campaign_id)
                                            .group_by(k.state))
        outcomes = await self.session.execute(
            select(k.outcome, func.count()).where(k.campaign_id == campaign_id, k.outcome.is_not(None))
            .group_by(k.outcome))
        people = await self.session.execute(
            select(func.coalesce(t.users.c.name, ""),
                   func.count().filter(k.state == CallState.OPEN.value),
                   func.count().filter(k.state == CallState.DONE.value))
            .select_from(t.campaign_calls.outerjoin(t.users, t.users.c.id == k.assigned_to))
            .where(k.campaign_id == campaign_id, k.state != CallState.SKIPPED.value)
            .group_by(t.users.c.name).order_by(t.users.c.name))
        return CallProgress({str(s): n for s, n in states.all()}, {str(o): n for o, n in outcomes.all()},
                            [(name, o, d) for name, o, d in people.all()])
