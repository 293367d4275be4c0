"""The relationship repository: parties (prospect, lead, opportunity) with their history and
opportunities."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from domain.customer import Customer
from domain.relationship import Party
from storage import tables as t
from storage.repository_base import _Repository


class PartyRepository(_Repository):
    model = Party

    async def of_owner(self, owner_id: int | None, limit: int | None = None,
                       stages: Sequence[str] | None = None, text: str = "") -> Sequence[Party]:
        """One salesperson's parties (None: everyone's), newest first; with `text`, those whose
        name or company holds it."""
        p = t.parties.c
        stmt = select(Party)
        if owner_id is not None:
            stmt = stmt.where(p.owner_id == owner_id)
        if stages is not None:
            stmt = stmt.where(p.stage.in_(list(stages)))
        if text:
            stmt = stmt.where(or_(p.name.icontains(text, autoescape=True),
                                  p.company.icontains(text, autoescape=True)))
        stmt = stmt.order_by(p.id.desc())
        return await self._all(stmt.limit(limit) if limit else stmt)

    async def pipeline_figures(self, owner_id: int | None) -> tuple[dict, list]:
        """Parties per stage, and each opportunity's (status, value, probability): two queries,
        no parties loaded."""
        p, o = t.parties.c, t.opportunities.c
        stages = select(p.stage, func.count()).group_by(p.stage)
        opportunities = select(o.status, o.estimated_value, o.probability).join_from(
            t.opportunities, t.parties, o.party_id == p.id)
        if owner_id is not None:
            stages = stages.where(p.owner_id == owner_id)
            opportunities = opportunities.where(p.owner_id == owner_id)
        counts = {stage: count for stage, count in (await self.session.execute(stages)).all()}
        return counts, [tuple(row) for row in (await self.session.execute(opportunities)).all()]

    async def by_customer(self, customer_id: int) -> Party | None:
        return await self.session.scalar(select(Party).where(t.parties.c.customer_id == customer_id))

    async def with_contact(self, email: str, phone: str) -> Sequence[Party]:
        """Parties with the same e-mail address (any case) or the same phone number."""
        p = t.parties.c
        conditions = []
        if email:
            conditions.append(func.lower(p.email) == email.lower())
        if phone:
            conditions.append(p.phone == phone)
        if not conditions:
            return []
        return await self._all(select(Party).where(or_(*conditions)).order_by(p.id).limit(10))

    async def customers_with_email(self, email: str) -> Sequence[Customer]:
        if not email:
            return []
        return await self._all(select(Customer).where(
            func.lower(t.customers.c.email) == email.lower()).order_by(t.customers.c.id).limit(10))
