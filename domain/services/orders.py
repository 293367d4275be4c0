"""Use cases of a sales order: deliver (packing slip), invoice (customer invoice), cancel."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from domain.errors import N_, InvalidInput, NotFound
from domain.invoice import CustomerInvoice, InvoiceSources, ProForma, post_customer_invoice, pro_forma_for
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.packing_slip import PackingSlip, post_packing_slip
from domain.ports import Clock, UnitOfWork
from domain.sales_order import SalesOrder
from domain.services.common import next_number, visible_order
from domain.user import Permission, User

OPEN_LIST_LIMIT = 20


async def open_orders(uow: UnitOfWork, user: User) -> Sequence[SalesOrder]:
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        return await uow.sales_orders.open_of(owner, OPEN_LIST_LIMIT)


async def get_order(uow: UnitOfWork, user: User, order_id: int) -> tuple[SalesOrder, Sequence[PackingSlip]]:
    async with uow:
        order = await visible_order(uow, user, order_id)
        return order, await uow.packing_slips.of_order(order.id)


async def deliver(uow: UnitOfWork, clock: Clock, user: User, order_id: int,
                  quantities: Mapping[int, Decimal]) -> PackingSlip:
    """Post a packing slip for the typed quantity per line; on-hand stock goes down with it."""
    user.require(Permission.DELIVER)
    async with uow:
        order = await visible_order(uow, user, order_id)
        items = await uow.items.many([l.item_id for l in order.lines])
        slip = post_packing_slip(order, items, quantities,
                                 await next_number(uow, Seq.PACKING_SLIP), clock.today())
        await uow.packing_slips.add(slip)
        await uow.commit()
    return slip


async def _slips_to_invoice(uow: UnitOfWork, order: SalesOrder,
                            packing_slip_ids: Sequence[int] | None) -> list[PackingSlip]:
    """All the order's packing slips not yet invoiced, or the chosen ones among them."""
    slips = [s for s in await uow.packing_slips.of_order(order.id) if not s.is_invoiced]
    if packing_slip_ids is not None:
        wanted = set(packing_slip_ids)
        chosen = [s for s in slips if s.id in wanted]
        if len(chosen) != len(wanted):
            raise InvalidInput(N_("Choose packing slips of this order that are not yet invoiced."))
        slips = chosen
    return slips


async def pro_forma_for_order(uow: UnitOfWork, clock: Clock, user: User, order_id: int,
                              packing_slip_ids: Sequence[int] | None = None) -> ProForma:
    """The customer invoice that posting would give now; the unit of work is never committed."""
    user.require(Permission.INVOICE)
    async with uow:
        order = await visible_order(uow, user, order_id)
        slips = await _slips_to_invoice(uow, order, packing_slip_ids)
        return pro_forma_for({order.id: order}, slips, clock.today())


async def invoice_order(uow: UnitOfWork, clock: Clock, user: User, order_id: int,
                        packing_slip_ids: Sequence[int] | None = None) -> CustomerInvoice:
    """Post a customer invoice from the order (all its packing slips not yet invoiced) or from
    the chosen packing slips, and queue the invoice e-mail."""
    user.require(Permission.INVOICE)
    async with uow:
        order = await visible_order(uow, user, order_id)
        slips = await _slips_to_invoice(uow, order, packing_slip_ids)
        invoice = post_customer_invoice({order.id: order}, slips,
                                        await next_number(uow, Seq.CUSTOMER_INVOICE), clock.today())
        await uow.invoices.add(invoice)
        await uow.flush()
        customer = await uow.customers.get(order.customer_id)
        await uow.outbox.add(OutboxMail.queue(MailKind.INVOICE_POSTED, invoice.id, customer.email,
                                              customer.language, clock.now(), notify_user_id=user.id))
        await uow.commit()
    return invoice


async def get_invoice(uow: UnitOfWork, user: User, invoice_id: int
                      ) -> tuple[CustomerInvoice, InvoiceSources]:
    """A posted invoice the user may see, with the sales orders and packing slips it covers."""
    async with uow:
        invoice = await uow.invoices.get(invoice_id)
        if invoice is None or not user.may_see(invoice.salesperson_id):
            raise NotFound(N_("That invoice does not exist or is not yours."))
        return invoice, await invoice_sources(uow, invoice)


async def invoice_sources(uow: UnitOfWork, invoice: CustomerInvoice) -> InvoiceSources:
    """The sales orders of the invoice's lines and the packing slips invoiced on it (open `uow`)."""
    order_ids = sorted({line.sales_order_id for line in invoice.lines} | (
        {invoice.sales_order_id} if invoice.sales_order_id else set()))
    orders = [await uow.sales_orders.get(order_id) for order_id in order_ids]
    orders = [o for o in orders if o is not None]
    slips = await uow.packing_slips.of_invoice(invoice.number)
    rma = next((o.rma_number for o in orders if o.rma_number), "") if invoice.is_credit_note else ""
    return InvoiceSources(order_numbers=tuple(o.number for o in orders),
                          packing_slips=tuple((s.number, s.posted_on) for s in slips), rma_number=rma)


async def cancel_order(uow: UnitOfWork, clock: Clock, user: User, order_id: int) -> SalesOrder:
    user.require(Permission.CONFIRM)
    async with uow:
        order = await visible_order(uow, user, order_id)
        order.cancel(clock.now())
        await uow.commit()
    return order
