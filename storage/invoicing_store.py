"""Repositories of invoicing beyond one order: returns (credit notes) and the month's invoices over
several packing slips."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.free_text_invoice import FreeTextInvoice, FreeTextInvoiceStatus, PostingProfile
from domain.invoice import CustomerInvoice
from domain.packing_slip import PackingSlip
from domain.sales_order import DELIVERABLE_TYPES, SalesOrder, SalesOrderType
from storage import tables as t


class ReturnsRepository:
    """Posted invoices (not credit notes) to return goods from, and an invoice's returned orders."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def invoices_of(self, salesperson_id: int | None, limit: int) -> Sequence[CustomerInvoice]:
        i = t.customer_invoices.c
        stmt = select(CustomerInvoice).where(i.credit_note_of.is_(None))
        if salesperson_id is not None:
            stmt = stmt.where(i.salesperson_id == salesperson_id)
        return list((await self.session.scalars(stmt.order_by(i.id.desc()).limit(limit))).all())

    async def invoice_by_number(self, number: str) -> CustomerInvoice | None:
        i = t.customer_invoices.c
        return await self.session.scalar(select(CustomerInvoice).where(
            i.number == number.strip().upper(), i.credit_note_of.is_(None)))

    async def returns_of_invoice(self, invoice_id: int) -> Sequence[SalesOrder]:
        o = t.sales_orders.c
        return list((await self.session.scalars(select(SalesOrder).where(
            o.returned_invoice_id == invoice_id).order_by(o.id))).all())


class InvoicingRepository:
    """Queries of §6: a month's packing slips not yet invoiced, claiming slips for one invoice,
    free text invoice drafts and posting profiles."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def uninvoiced_slips(self, first_day: date, last_day: date,
                               customer_id: int | None = None) -> list[PackingSlip]:
        p, o = t.packing_slips.c, t.sales_orders.c
        # A returned order's packing slips are receipts: they are credited, never on a month's invoice.
        stmt = (select(PackingSlip).join(t.sales_orders, o.id == p.sales_order_id)
                .where(p.invoice_number.is_(None), p.posted_on >= first_day, p.posted_on <= last_day,
                       o.order_type.in_(sorted(DELIVERABLE_TYPES - {SalesOrderType.RETURNED_ORDER}))))
        if customer_id is not None:
            stmt = stmt.where(p.customer_id == customer_id)
        return list((await self.session.scalars(stmt.order_by(p.customer_id, p.posted_on, p.id))).all())

    async def claim_slips(self, slip_ids: Sequence[int], invoice_number: str) -> int:
        """Mark the slips invoiced, only those not yet invoiced; returns how many it marked.

        Under concurrency the second of two transactions waits for the first and then matches
        fewer rows: the caller compares the count and gives up (two taps, one invoice)."""
        p = t.packing_slips
        result = await self.session.execute(
            update(p).where(p.c.id.in_(list(slip_ids)), p.c.invoice_number.is_(None))
            .values(invoice_number=invoice_number).execution_options(synchronize_session=False))
        return result.rowcount

    async def orders(self, order_ids: Sequence[int]) -> dict[int, SalesOrder]:
        found = (await self.session.scalars(
            select(SalesOrder).where(t.sales_orders.c.id.in_(list(order_ids))))).all()
        return {o.id: o for o in found}

    async def free_text_drafts_of(self, salesperson_id: int, limit: int) -> list[FreeTextInvoice]:
        f = t.free_text_invoices.c
        return list((await self.session.scalars(select(FreeTextInvoice).where(
            f.salesperson_id == salesperson_id, f.status == FreeTextInvoiceStatus.DRAFT,
        ).order_by(f.id.desc()).limit(limit))).all())

    async def delete_free_text_invoice(self, invoice: FreeTextInvoice) -> None:
        await self.session.delete(invoice)

    async def posting_profiles(self) -> list[PostingProfile]:
        return list((await self.session.scalars(
            select(PostingProfile).order_by(t.posting_profiles.c.code))).all())
