"""Repositories of prices and what is offered: trade agreements, sales agreements, and the
up-sell / cross-sell product list rules with the suggestions they made."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, or_, select, update

from domain.pricing import ItemCode, TradeAgreement
from domain.product_list import Outcome, ProductListRule, SuggestionOffer
from domain.quotation import QuotationStatus
from domain.sales_agreement import SalesAgreement
from domain.sales_order import SalesOrder
from storage import tables as t
from storage.repository_base import _Repository


class TradeAgreementRepository(_Repository):
    model = TradeAgreement

    async def for_item(self, item_number: str, item_group: str) -> list[TradeAgreement]:
        """The candidates for pricing an item: for it, for its group, or for all items."""
        c = t.trade_agreements.c
        wanted = [c.item_code == ItemCode.ALL,
                  (c.item_code == ItemCode.ITEM) & (c.item_value == item_number)]
        if item_group:
            wanted.append((c.item_code == ItemCode.GROUP) & (c.item_value == item_group))
        return await self._all(select(TradeAgreement).where(or_(*wanted)))

    async def all(self) -> list[TradeAgreement]:
        c = t.trade_agreements.c
        return await self._all(select(TradeAgreement).order_by(
            c.item_value, c.item_code, c.account_value, c.account_code, c.relation,
            c.from_quantity, c.id))


class SalesAgreementRepository(_Repository):
    model = SalesAgreement

    async def list_of(self, salesperson_id: int | None, limit: int) -> Sequence[SalesAgreement]:
        a = t.sales_agreements.c
        stmt = select(SalesAgreement)
        if salesperson_id is not None:
            stmt = stmt.where(a.salesperson_id == salesperson_id)
        return await self._all(stmt.order_by(a.id.desc()).limit(limit))

    async def orders_of(self, agreement_id: int) -> Sequence[SalesOrder]:
        """The orders taken from the agreement, canceled ones included (fulfilment skips them)."""
        o = t.sales_orders.c
        return await self._all(select(SalesOrder).where(o.agreement_id == agreement_id).order_by(o.id))


class ProductListRuleRepository(_Repository):
    model = ProductListRule

    async def delete(self, rule: ProductListRule) -> None:
        # Its offers go with it (the foreign key cascades too; said here for every database).
        await self.session.execute(sql_delete(t.suggestion_offers).where(
            t.suggestion_offers.c.rule_id == rule.id))
        await self.session.delete(rule)

    async def all(self) -> Sequence[ProductListRule]:
        return await self._all(select(ProductListRule).order_by(t.product_list_rules.c.id))

    async def for_item(self, item_id: int) -> Sequence[ProductListRule]:
        return await self._all(select(ProductListRule).where(
            t.product_list_rules.c.item_id == item_id).order_by(t.product_list_rules.c.id))

    async def by_key(self, key: tuple) -> ProductListRule | None:
        kind, item_id, suggested_item_id, group = key
        c = t.product_list_rules.c
        return await self.session.scalar(select(ProductListRule).where(
            c.kind == kind, c.item_id == item_id, c.suggested_item_id == suggested_item_id,
            func.lower(c.customer_group) == group.lower()))


class SuggestionOfferRepository(_Repository):
    model = SuggestionOffer

    async def pending_of(self, quotation_id: int) -> Sequence[SuggestionOffer]:
        c = t.suggestion_offers.c
        return await self._all(select(SuggestionOffer).where(
            c.quotation_id == quotation_id, c.outcome == Outcome.PENDING).order_by(c.id))

    async def ignore_where_not_draft(self, now: datetime) -> None:
        """Pending offers on quotations that are no longer drafts were ignored."""
        c, q = t.suggestion_offers.c, t.quotations.c
        await self.session.execute(
            update(t.suggestion_offers)
            .where(c.outcome == Outcome.PENDING,
                   c.quotation_id.in_(select(q.id).where(q.status != QuotationStatus.CREATED)))
            .values(outcome=Outcome.IGNORED, resolved_at=now, version=c.version + 1)
            .execution_options(synchronize_session=False))

    async def counts(self, salesperson_id: int | None) -> Sequence[tuple[int, str, int]]:
        c = t.suggestion_offers.c
        stmt = select(c.rule_id, c.outcome, func.count()).group_by(c.rule_id, c.outcome)
        if salesperson_id is not None:
            stmt = stmt.where(c.salesperson_id == salesperson_id)
        return [(rule_id, outcome, count) for rule_id, outcome, count in
                (await self.session.execute(stmt)).all()]
