"""A linked customer's own view (issue 4 §5): their quotations, orders, invoices and backorders.

Every use case starts from `user.require_customer()` and every record is checked with
`user.may_see_customer(...)`: a customer sees their own party's records and nothing else, whatever
id a button or a replayed callback carries. Someone else's record is reported as missing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.free_text_invoice import FreeTextInvoice, FreeTextInvoiceStatus
from domain.invoice import CustomerInvoice, InvoiceSources
from domain.ports import UnitOfWork
from domain.quotation import Quotation, QuotationStatus
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderType, order_date
from domain.services.orders import invoice_sources
from domain.user import User

LIST_LIMIT = 20
BACKORDER_ORDERS = 100


class InvoiceKind(StrEnum):
    ORDER = "o"       # a customer invoice from sales orders
    FREE_TEXT = "f"   # a posted free text invoice


@dataclass(frozen=True)
class InvoiceRow:
    kind: InvoiceKind
    id: int
    number: str
    invoiced_on: date
    gross: Decimal


@dataclass(frozen=True)
class BackorderRow:
    """An order line not yet fully delivered."""
    order_id: int
    order_number: str
    ordered_on: date
    line: SalesOrderLine
    expected_on: date | None  # the line's confirmed delivery date, when one is set


def expected_date(line: SalesOrderLine) -> date | None:
    return line.confirmed_delivery_date


async def own_customer(uow: UnitOfWork, user: User) -> Customer:
    customer_id = user.require_customer()
    async with uow:
        customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(N_("That customer does not exist."))
    return customer


def _visible_quotation(user: User, q: Quotation | None) -> Quotation:
    # Drafts never left the company: the customer sees what was sent to them.
    if (q is None or not user.may_see_customer(q.customer_id) or q.sent_at is None
            or q.status is QuotationStatus.CREATED):
        raise NotFound(N_("That quotation does not exist or is not yours."))
    return q


def _visible_order(user: User, order: SalesOrder | None) -> SalesOrder:
    if (order is None or not user.may_see_customer(order.customer_id)
            or order.order_type is SalesOrderType.JOURNAL):
        raise NotFound(N_("That sales order does not exist or is not yours."))
    return order


async def my_quotations(uow: UnitOfWork, user: User) -> Sequence[Quotation]:
    customer_id = user.require_customer()
    async with uow:
        return await uow.customer_channel.quotations_of(customer_id, LIST_LIMIT)


async def my_quotation(uow: UnitOfWork, user: User, quotation_id: int) -> tuple[Quotation, Customer]:
    user.require_customer()
    async with uow:
        q = _visible_quotation(user, await uow.quotations.get(quotation_id))
        return q, await uow.customers.get(q.customer_id)


async def my_orders(uow: UnitOfWork, user: User) -> Sequence[SalesOrder]:
    customer_id = user.require_customer()
    async with uow:
        return await uow.customer_channel.orders_of(customer_id, LIST_LIMIT)


async def my_order(uow: UnitOfWork, user: User, order_id: int) -> tuple[SalesOrder, Customer]:
    user.require_customer()
    async with uow:
        order = _visible_order(user, await uow.sales_orders.get(order_id))
        return order, await uow.customers.get(order.customer_id)


async def my_invoices(uow: UnitOfWork, user: User) -> Sequence[InvoiceRow]:
    """Customer invoices and posted free text invoices, newest first."""
    customer_id = user.require_customer()
    async with uow:
        rows = [InvoiceRow(InvoiceKind.ORDER, i.id, i.number, i.invoiced_on, i.totals.gross)
                for i in await uow.customer_channel.invoices_of(customer_id, LIST_LIMIT)]
        rows += [InvoiceRow(InvoiceKind.FREE_TEXT, f.id, f.number, f.invoiced_on, f.totals.gross)
                 for f in await uow.customer_channel.free_text_invoices_of(customer_id, LIST_LIMIT)]
    rows.sort(key=lambda r: (r.invoiced_on, r.number), reverse=True)
    return rows[:LIST_LIMIT]


async def my_invoice(uow: UnitOfWork, user: User, kind: str, invoice_id: int
                     ) -> tuple[CustomerInvoice | FreeTextInvoice, Customer, InvoiceSources]:
    """One of the customer's invoices, with the sales orders and packing slips it covers."""
    user.require_customer()
    missing = NotFound(N_("That invoice does not exist or is not yours."))
    async with uow:
        if kind == InvoiceKind.ORDER:
            invoice = await uow.invoices.get(invoice_id)
        elif kind == InvoiceKind.FREE_TEXT:
            invoice = await uow.free_text_invoices.get(invoice_id)
            if invoice is not None and invoice.status is not FreeTextInvoiceStatus.POSTED:
                invoice = None  # a draft is not an invoice yet
        else:
            invoice = None
        if invoice is None or not user.may_see_customer(invoice.customer_id):
            raise missing
        sources = (await invoice_sources(uow, invoice) if isinstance(invoice, CustomerInvoice)
                   else InvoiceSources())
        return invoice, await uow.customers.get(invoice.customer_id), sources


async def my_backorders(uow: UnitOfWork, user: User) -> Sequence[BackorderRow]:
    """Every line of the customer's open orders with quantity still to deliver, oldest order first."""
    customer_id = user.require_customer()
    async with uow:
        orders = await uow.customer_channel.orders_of(customer_id, BACKORDER_ORDERS, open_only=True)
    return [BackorderRow(o.id, o.number, order_date(o), line, expected_date(line))
            for o in sorted(orders, key=lambda o: o.id)
            for line in o.lines if line.deliver_remainder > 0]
