"""Use cases of invoicing several packing slips at once: one customer's chosen slips across orders,
and the month's run (one invoice per customer per month). The rules are in domain/invoicing.py."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.customer import Customer
from domain.errors import N_, DomainError, InvalidInput, NotFound, NotPermitted
from domain.invoice import CustomerInvoice, ProForma, invoice_lines_for, pro_forma_for
from domain.invoicing import (NOT_THIS_CUSTOMERS_SLIP, Month, check_one_customer, check_slips_of, post_invoice_for_slips,
                              slips_by_customer)
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.packing_slip import PackingSlip
from domain.ports import Clock, UnitOfWork
from domain.sales_order import SalesOrder
from domain.services.common import next_number
from domain.tax import Totals, totals_of
from domain.user import Permission, User


@dataclass(frozen=True)
class CustomerMonth:
    """What one customer's month invoice would hold (a preview; nothing is changed)."""
    customer: Customer
    slips: tuple[PackingSlip, ...]
    order_numbers: tuple[str, ...]
    totals: Totals
    others_orders: bool  # some slips are on another salesperson's orders: a manager posts it

    @property
    def may_post(self) -> bool:
        return not self.others_orders


@dataclass(frozen=True)
class MonthRun:
    posted: tuple[tuple[Customer, CustomerInvoice], ...]
    skipped: tuple[tuple[Customer, DomainError], ...]


def _nothing_in(month: Month) -> InvalidInput:
    return InvalidInput(N_("Nothing to invoice for {month}: no packing slips were posted then that "
                           "are not yet invoiced."), month=str(month))


async def _orders_of(uow: UnitOfWork, slips: Sequence[PackingSlip]) -> dict[int, SalesOrder]:
    return await uow.invoicing.orders(sorted({s.sales_order_id for s in slips}))


def _require_all_visible(user: User, orders: dict[int, SalesOrder], customer: Customer) -> None:
    if not all(user.may_see(o.salesperson_id) for o in orders.values()):
        raise NotPermitted(N_("{customer} also has deliveries on another salesperson's orders. One "
                              "invoice covers them all, so a manager posts it."), customer=customer.name)


async def month_preview(uow: UnitOfWork, user: User, month: Month) -> list[CustomerMonth]:
    """Per customer with something to invoice in the month: the slips, orders and totals.

    A salesperson sees the customers with deliveries on their own orders; a manager sees all."""
    user.require(Permission.INVOICE)
    async with uow:
        slips = await uow.invoicing.uninvoiced_slips(month.first_day, month.last_day)
        orders = await _orders_of(uow, slips)
        previews = []
        for customer_id, group in slips_by_customer(slips).items():
            # A salesperson's preview shows their own slips only, and says when there are others.
            visible = [s for s in group if user.may_see(orders[s.sales_order_id].salesperson_id)]
            if not visible:
                continue
            order_ids = {s.sales_order_id for s in visible}
            previews.append(CustomerMonth(
                customer=await uow.customers.get(customer_id), slips=tuple(visible),
                order_numbers=tuple(sorted(orders[o].number for o in order_ids)),
                totals=totals_of(invoice_lines_for(orders, visible)),
                others_orders=len(visible) < len(group)))
    if not previews:
        raise _nothing_in(month)
    return sorted(previews, key=lambda p: p.customer.account_number)


async def _customer_month_slips(uow: UnitOfWork, customer_id: int, month: Month
                                ) -> tuple[Customer, list[PackingSlip], dict[int, SalesOrder]]:
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(N_("That customer does not exist."))
    slips = await uow.invoicing.uninvoiced_slips(month.first_day, month.last_day, customer_id)
    if not slips:
        raise InvalidInput(N_("Nothing left to invoice for {customer} in {month}: its packing slips "
                              "are invoiced already."), customer=customer.name, month=str(month))
    return customer, slips, await _orders_of(uow, slips)


async def pro_forma_for_customer_month(uow: UnitOfWork, clock: Clock, user: User, customer_id: int,
                                       month: Month) -> ProForma:
    """The month invoice as posting would give it now; the unit of work is never committed."""
    user.require(Permission.INVOICE)
    async with uow:
        customer, slips, orders = await _customer_month_slips(uow, customer_id, month)
        _require_all_visible(user, orders, customer)
        pro_forma = pro_forma_for(orders, slips, clock.today())
    return pro_forma


async def _post(uow: UnitOfWork, clock: Clock, user: User, customer: Customer,
                slips: Sequence[PackingSlip], orders: dict[int, SalesOrder]) -> CustomerInvoice:
    """Post and queue the e-mail, inside the caller's unit of work (committed here)."""
    _require_all_visible(user, orders, customer)
    number = await next_number(uow, Seq.CUSTOMER_INVOICE)
    # Claim the slips first: a concurrent run that got here before us leaves fewer to claim.
    if await uow.invoicing.claim_slips([s.id for s in slips], number) != len(slips):
        raise InvalidInput(N_("These packing slips were invoiced by someone else just now; nothing "
                              "was posted twice. Look again."))
    invoice = post_invoice_for_slips(orders, slips, number, clock.today())
    await uow.invoices.add(invoice)
    await uow.flush()
    await uow.outbox.add(OutboxMail.queue(MailKind.INVOICE_POSTED, invoice.id, customer.email,
                                          customer.language, clock.now(), notify_user_id=user.id))
    await uow.commit()
    return invoice


async def invoice_customer_month(uow: UnitOfWork, clock: Clock, user: User, customer_id: int,
                                 month: Month) -> CustomerInvoice:
    """Post one invoice for all the customer's packing slips of the month not yet invoiced."""
    user.require(Permission.INVOICE)
    async with uow:
        customer, slips, orders = await _customer_month_slips(uow, customer_id, month)
        return await _post(uow, clock, user, customer, slips, orders)


async def invoice_month(uow_factory, clock: Clock, user: User, month: Month,
                        customer_id: int | None = None) -> MonthRun:
    """Post the month for every customer the user may post (one transaction per customer, so one
    refusal does not hold up the others); what could not be posted is reported with its reason."""
    user.require(Permission.INVOICE)
    previews = await month_preview(uow_factory(), user, month)
    if customer_id is not None:
        previews = [p for p in previews if p.customer.id == customer_id]
        if not previews:
            raise _nothing_in(month)
    posted, skipped = [], []
    for preview in previews:
        try:
            invoice = await invoice_customer_month(uow_factory(), clock, user, preview.customer.id, month)
        except DomainError as exc:
            skipped.append((preview.customer, exc))
        else:
            posted.append((preview.customer, invoice))
    return MonthRun(tuple(posted), tuple(skipped))


async def _chosen(uow: UnitOfWork, customer_id: int, slip_ids: Sequence[int]
                  ) -> tuple[Customer, list[PackingSlip], dict[int, SalesOrder]]:
    slips = list(await uow.packing_slips.many(slip_ids))
    if not slip_ids or len(slips) != len(set(slip_ids)):
        raise InvalidInput(N_("Choose packing slips that exist and are not yet invoiced."))
    check_slips_of(customer_id, slips)
    check_one_customer(slips)
    for slip in slips:
        if slip.is_invoiced:
            raise InvalidInput(N_("Packing slip {number} is already invoiced."), number=slip.number)
    return await uow.customers.get(slips[0].customer_id), slips, await _orders_of(uow, slips)


async def check_slip_choice(uow: UnitOfWork, user: User, customer_id: int, slip_id: int) -> None:
    """A slip tapped in a customer's choice is that customer's (the rest is checked on posting)."""
    user.require(Permission.INVOICE)
    async with uow:
        slips = await uow.packing_slips.many([slip_id])
    if not slips:
        raise NotFound(NOT_THIS_CUSTOMERS_SLIP)
    check_slips_of(customer_id, slips)


async def invoice_packing_slips(uow: UnitOfWork, clock: Clock, user: User, customer_id: int,
                                slip_ids: Sequence[int]) -> CustomerInvoice:
    """Post one invoice for packing slips chosen for one customer, from one or several orders."""
    user.require(Permission.INVOICE)
    async with uow:
        customer, slips, orders = await _chosen(uow, customer_id, slip_ids)
        return await _post(uow, clock, user, customer, slips, orders)


async def pro_forma_for_packing_slips(uow: UnitOfWork, clock: Clock, user: User, customer_id: int,
                                      slip_ids: Sequence[int]) -> ProForma:
    user.require(Permission.INVOICE)
    async with uow:
        customer, slips, orders = await _chosen(uow, customer_id, slip_ids)
        _require_all_visible(user, orders, customer)
        return pro_forma_for(orders, slips, clock.today())


async def slips_to_choose(uow: UnitOfWork, user: User, customer_id: int
                          ) -> tuple[Customer, list[tuple[PackingSlip, str]]]:
    """The customer's packing slips not yet invoiced, of any month, on orders the user may see,
    each with its order number."""
    user.require(Permission.INVOICE)
    async with uow:
        customer = await uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(N_("That customer does not exist."))
        slips = await uow.invoicing.uninvoiced_slips(date.min, date.max, customer_id)
        orders = await _orders_of(uow, slips)
    visible = [(s, orders[s.sales_order_id].number) for s in slips
               if user.may_see(orders[s.sales_order_id].salesperson_id)]
    if not visible:
        raise InvalidInput(N_("{customer} has no packing slips of yours that are not yet invoiced."),
                           customer=customer.name)
    return customer, visible
