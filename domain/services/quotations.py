"""Use cases of a quotation, from a new draft to a sales order. Each runs in one unit of work."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from dataclasses import dataclass

from domain.customer import Customer
from domain.errors import N_, TransitionNotAllowed
from domain.item import Item
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.ports import Clock, UnitOfWork
from domain.quotation import Quotation, QuotationStatus
from domain.sales_order import SalesOrder, SalesOrderType, check_type_at_entry
from domain.services.catalog import find_items_in
from domain.services.common import existing_customer, existing_item, next_number, visible_quotation
from domain.services.pricing import reprice_line
from domain.services.product_lists import Suggestion, offer_suggestions
from domain.services import relationships
from domain.services import quotation_delivery  # §A accept and web
from domain.user import Permission, User

OPEN_LIST_LIMIT = 20


async def start_quotation(uow: UnitOfWork, clock: Clock, user: User, customer_id: int) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        await existing_customer(uow, customer_id)
        quotation = Quotation.create(await next_number(uow, Seq.QUOTATION), customer_id,
                                     user.id, clock.now())
        await uow.quotations.add(quotation)
        await uow.commit()
    return quotation


async def get_quotation(uow: UnitOfWork, user: User, quotation_id: int) -> Quotation:
    async with uow:
        return await visible_quotation(uow, user, quotation_id)


async def add_line(uow: UnitOfWork, user: User, quotation_id: int, item_id: int,
                   quantity: Decimal) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        item = await existing_item(uow, item_id)
        line = quotation.add_line(item, quantity)
        await reprice_line(uow, quotation, line, item)  # §2 pricing: trade agreements
        await uow.commit()
    return quotation


@dataclass(frozen=True)
class LineEntry:
    """What typing '<item> <quantity>' (or picking the item) on a draft did: added a line, or found
    no or many items."""
    quotation: Quotation
    customer: Customer
    matches: Sequence[Item]
    suggestions: Sequence[Suggestion] = ()  # §5 up-sell/cross-sell for the line added

    @property
    def added(self) -> bool:
        return len(self.matches) == 1


async def enter_line(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int, item_text: str,
                     quantity: Decimal) -> LineEntry:
    """Find the item and, when exactly one matches, add the line and offer its suggestions (§5):
    one transaction, because this is what a salesperson does most (bench/quotation_entry.py)."""
    user.require(Permission.QUOTE)
    suggestions: list[Suggestion] = []
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        matches = await find_items_in(uow, item_text)
        if len(matches) == 1:
            suggestions = await _add_offered_line(uow, clock, user, quotation, matches[0], quantity)
        customer = await uow.customers.get(quotation.customer_id)
        await uow.commit()
    return LineEntry(quotation, customer, matches, suggestions)


async def pick_line(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int, item_id: int,
                    quantity: Decimal) -> LineEntry:
    """The item chosen from several that matched what was typed: as `enter_line`, one transaction."""
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        item = await existing_item(uow, item_id)
        suggestions = await _add_offered_line(uow, clock, user, quotation, item, quantity)
        customer = await uow.customers.get(quotation.customer_id)
        await uow.commit()
    return LineEntry(quotation, customer, [item], suggestions)


async def _add_offered_line(uow: UnitOfWork, clock: Clock, user: User, quotation: Quotation, item: Item,
                            quantity: Decimal) -> list[Suggestion]:
    """Add the priced line (§2 trade agreements) and offer its up-sell/cross-sell suggestions (§5)."""
    await reprice_line(uow, quotation, quotation.add_line(item, quantity), item)
    return await offer_suggestions(uow, clock, user, quotation.id, item.id, quotation)


async def remove_line(uow: UnitOfWork, user: User, quotation_id: int, line_number: int) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        quotation.remove_line(line_number)
        await uow.commit()
    return quotation


async def change_quantity(uow: UnitOfWork, user: User, quotation_id: int, line_number: int,
                          quantity: Decimal) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        quotation.change_quantity(line_number, quantity)
        await reprice_line(uow, quotation, quotation.line(line_number))  # §2 pricing: quantity breaks
        await uow.commit()
    return quotation


async def set_valid_until(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int,
                          valid_until: date) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        quotation.set_valid_until(valid_until, clock.today())
        await uow.commit()
    return quotation


async def send_quotation(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int) -> Quotation:
    """Mark it Sent and queue the e-mail with the PDF in the same transaction."""
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        customer = await uow.customers.get(quotation.customer_id)
        now = clock.now()
        quotation.send(now)
        await uow.outbox.add(OutboxMail.queue(MailKind.QUOTATION_SENT, quotation.id, customer.email,
                                              customer.language, now, notify_user_id=user.id))
        await quotation_delivery.queue_telegram_delivery(uow, quotation, now)  # §A: to linked chats
        await uow.commit()
    return quotation


async def confirm_quotation(uow: UnitOfWork, clock: Clock, user: User,
                            quotation_id: int, order_type: SalesOrderType = SalesOrderType.SALES_ORDER,
                            *, project_reference: str | None = None,
                            warehouse_management: bool = False) -> SalesOrder:
    """The customer approved: convert into a sales order, exactly once, of the chosen type
    (§4: Sales order by default; Journal, Subscription or Item requirements on request)."""
    user.require(Permission.CONFIRM)
    order_type = check_type_at_entry(order_type, project_reference, warehouse_management)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        order = await convert_to_order(uow, clock, user, quotation, order_type,
                                       project_reference=project_reference,
                                       warehouse_management=warehouse_management)
        await uow.commit()
    return order


async def convert_to_order(uow: UnitOfWork, clock: Clock, actor: User, quotation: Quotation,
                           order_type: SalesOrderType = SalesOrderType.SALES_ORDER, *,
                           project_reference: str | None = None,
                           warehouse_management: bool = False) -> SalesOrder:
    """The one conversion of a quotation into a sales order, for Confirm and for the customer's Accept
    (issue 4 §4), inside the caller's unit of work; the caller commits. Race safety: the quotation's
    version column makes the second of two concurrent conversions fail at commit (ConcurrentChange)."""
    if quotation.status is QuotationStatus.CONFIRMED:
        raise TransitionNotAllowed(
            N_("Quotation {number} is already confirmed; no second order was made."),
            number=quotation.number)
    now = clock.now()
    quotation.mark_confirmed(now, clock.today())
    order = SalesOrder.from_quotation(quotation, await next_number(uow, Seq.SALES_ORDER), now)
    if order_type is not SalesOrderType.SALES_ORDER:  # §4: the type chosen on Confirm
        order.change_type(order_type, clock.today(), warehouse_management=warehouse_management,
                          has_packing_slips=False, project_reference=project_reference)
    await uow.sales_orders.add(order)
    await uow.flush()
    quotation.sales_order_id = order.id
    await relationships.quotation_confirmed(uow, clock, actor, quotation)  # §1: prospect -> customer
    return order


async def lose_quotation(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int) -> Quotation:
    user.require(Permission.CONFIRM)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        quotation.lose(clock.now())
        await uow.commit()
    return quotation


async def cancel_quotation(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int) -> Quotation:
    user.require(Permission.QUOTE)
    async with uow:
        quotation = await visible_quotation(uow, user, quotation_id)
        quotation.cancel(clock.now())
        await uow.commit()
    return quotation


async def open_quotations(uow: UnitOfWork, user: User) -> Sequence[Quotation]:
    """A salesperson's own open quotations; a manager's view holds everyone's."""
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        return await uow.quotations.open_of(owner, OPEN_LIST_LIMIT)
