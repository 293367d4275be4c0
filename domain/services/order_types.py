"""Use cases of §4: change a sales order's type, and returned orders (return, receive, credit)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import N_, NotFound
from domain.invoice import CustomerInvoice
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.packing_slip import PackingSlip
from domain.ports import Clock, UnitOfWork
from domain.returns import (already_returned, check_reason, check_return_quantities, create_returned_order,
                            credit_note_lines, post_credit_note, post_receipt, returnable)
from domain.sales_order import SalesOrder, SalesOrderType
from domain.services.common import next_number, visible_order
from domain.user import Permission, User

INVOICE_LIST_LIMIT = 10


async def change_order_type(uow: UnitOfWork, clock: Clock, user: User, order_id: int,
                            new_type: SalesOrderType, *, warehouse_management: bool,
                            project_reference: str | None = None) -> SalesOrder:
    """The seed: any type can be changed, except Item requirements once Delivered (the rules are
    in SalesOrder.check_type_change). Becoming a Returned order draws an RMA number."""
    user.require(Permission.CONFIRM)
    async with uow:
        order = await visible_order(uow, user, order_id)
        # Slips of every period: a subscription's line counters are back at 0 once invoiced.
        has_slips = bool(await uow.packing_slips.of_order(order.id))
        order.check_type_change(new_type, warehouse_management=warehouse_management,
                                has_packing_slips=has_slips, project_reference=project_reference)
        rma = None
        if SalesOrderType(new_type) is SalesOrderType.RETURNED_ORDER and not order.rma_number:
            rma = await next_number(uow, Seq.RMA)
        order.change_type(new_type, clock.today(), warehouse_management=warehouse_management,
                          has_packing_slips=has_slips, project_reference=project_reference,
                          rma_number=rma)
        await uow.commit()
    return order


# --- returned orders ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Returnable:
    """An invoice and, per line position, what can still be returned from it."""
    invoice: CustomerInvoice
    left: Mapping[int, Decimal]


async def returnable_invoices(uow: UnitOfWork, user: User) -> Sequence[CustomerInvoice]:
    """The user's latest posted invoices (a manager sees everyone's); credit notes are left out."""
    user.require(Permission.INVOICE)
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        return await uow.returns.invoices_of(owner, INVOICE_LIST_LIMIT)


async def _visible_invoice(uow: UnitOfWork, user: User, invoice_id: int | None,
                           number: str | None) -> CustomerInvoice:
    invoice = (await uow.invoices.get(invoice_id) if invoice_id is not None
               else await uow.returns.invoice_by_number(number or ""))
    if invoice is None or not user.may_see(invoice.salesperson_id):
        if number is not None:
            raise NotFound(N_("There is no invoice {number} of yours."), number=number.strip())
        raise NotFound(N_("That invoice does not exist or is not yours."))
    return invoice


async def returnable_of(uow: UnitOfWork, user: User, *, invoice_id: int | None = None,
                        number: str | None = None) -> Returnable:
    """What can still be returned from the invoice (by id, or by its number as typed)."""
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible_invoice(uow, user, invoice_id, number)
        returns = await uow.returns.returns_of_invoice(invoice.id)
        return Returnable(invoice, returnable(invoice, already_returned(returns)))


async def check_return(uow: UnitOfWork, user: User, invoice_id: int,
                       quantities: Mapping[int, Decimal]) -> None:
    """Refuse quantities that cannot be returned from the invoice; writes nothing."""
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible_invoice(uow, user, invoice_id, None)
        returns = await uow.returns.returns_of_invoice(invoice.id)
        check_return_quantities(invoice, already_returned(returns), quantities)


async def start_return(uow: UnitOfWork, clock: Clock, user: User, invoice_id: int,
                       quantities: Mapping[int, Decimal], reason: str) -> SalesOrder:
    """A Returned order for the given quantities per invoice line, with an RMA number."""
    user.require(Permission.INVOICE)
    check_reason(reason)
    async with uow:
        invoice = await _visible_invoice(uow, user, invoice_id, None)
        # Drawing the RMA number first locks its sequence until commit, so returns are made one
        # at a time and two at once cannot both take back the same goods; the earlier returns are
        # read after it. A refused return rolls the numbers back with everything else.
        rma = await next_number(uow, Seq.RMA)
        returns = await uow.returns.returns_of_invoice(invoice.id)
        sources = {}
        for order_id in {l.sales_order_id for l in invoice.lines}:
            sources[order_id] = await uow.sales_orders.get(order_id)
        order = create_returned_order(invoice, sources, returns, quantities, reason,
                                      await next_number(uow, Seq.SALES_ORDER), rma, clock.now())
        await uow.sales_orders.add(order)
        await uow.commit()
    return order


async def receive_return(uow: UnitOfWork, clock: Clock, user: User, order_id: int,
                         quantities: Mapping[int, Decimal] | None = None) -> PackingSlip:
    """Receive the returned goods (all still expected, or the given quantities per line): a
    packing slip of the returned order, and on-hand stock goes up."""
    user.require(Permission.DELIVER)
    async with uow:
        order = await visible_order(uow, user, order_id)
        order.require_receivable()
        if quantities is None:
            quantities = {l.line_number: l.deliver_remainder for l in order.lines}
        items = await uow.items.many([l.item_id for l in order.lines])
        slip = post_receipt(order, items, quantities, await next_number(uow, Seq.PACKING_SLIP),
                            clock.today())
        await uow.packing_slips.add(slip)
        await uow.commit()
    return slip


async def credit_return(uow: UnitOfWork, clock: Clock, user: User, order_id: int) -> CustomerInvoice:
    """Post the credit note for what was received and not yet credited, and e-mail it."""
    user.require(Permission.INVOICE)
    async with uow:
        order = await visible_order(uow, user, order_id)
        slips = await uow.packing_slips.of_order(order.id)
        original = await uow.invoices.get(order.returned_invoice_id) if order.returned_invoice_id else None
        credit_note_lines(order, slips)  # refuses before a number is drawn
        note = post_credit_note(order, slips, original.number if original else "",
                                await next_number(uow, Seq.CREDIT_NOTE), clock.today())
        await uow.invoices.add(note)
        await uow.flush()
        customer = await uow.customers.get(order.customer_id)
        await uow.outbox.add(OutboxMail.queue(MailKind.INVOICE_POSTED, note.id, customer.email,
                                              customer.language, clock.now(), notify_user_id=user.id))
        await uow.commit()
    return note
