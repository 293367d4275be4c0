"""Use cases of a sales agreement: create, add lines, set effective, put on hold, close, see what is
fulfilled, and take a sales order from it. Each runs in one unit of work."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.item import Item
from domain.numbering import Sequence as Seq
from domain.ports import Clock, UnitOfWork
from domain.sales_agreement import (SEQUENCE, CommitmentType, Fulfilment, SalesAgreement,
                                    format_agreement_number, fulfilment)
from domain.sales_order import SalesOrder
from domain.services.catalog import find_items_in
from domain.services import relationships
from domain.services.common import existing_item, next_number
from domain.user import Permission, User

LIST_LIMIT = 20


async def _visible(uow: UnitOfWork, user: User, agreement_id: int) -> SalesAgreement:
    """Another salesperson's agreement is reported as missing: ids leak nothing."""
    agreement = await uow.sales_agreements.get(agreement_id)
    if agreement is None or not user.may_see(agreement.salesperson_id):
        raise NotFound(N_("That sales agreement does not exist or is not yours."))
    return agreement


async def create_agreement(uow: UnitOfWork, clock: Clock, user: User, customer_id: int,
                           commitment_type: CommitmentType, valid_from: date, valid_to: date,
                           committed_total: Decimal | None = None) -> SalesAgreement:
    user.require(Permission.AGREEMENT)
    async with uow:
        if await uow.customers.get(customer_id) is None:
            raise NotFound(N_("That customer does not exist."))
        # A refused agreement rolls back, and with it the number drawn for it.
        number = format_agreement_number(await uow.numbers.next(SEQUENCE))
        agreement = SalesAgreement.create(number, customer_id, user.id, commitment_type, valid_from,
                                          valid_to, committed_total, clock.now(), clock.today())
        await uow.sales_agreements.add(agreement)
        await uow.commit()
    return agreement


async def list_agreements(uow: UnitOfWork, user: User) -> Sequence[tuple[SalesAgreement, Customer]]:
    """A salesperson sees the agreements they made; a manager sees all."""
    user.require(Permission.AGREEMENT)
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        found = await uow.sales_agreements.list_of(owner, LIST_LIMIT)
        return [(a, await uow.customers.get(a.customer_id)) for a in found]


@dataclass(frozen=True)
class AgreementView:
    agreement: SalesAgreement
    customer: Customer
    fulfilment: Fulfilment
    orders: Sequence[SalesOrder]


async def _view(uow: UnitOfWork, agreement: SalesAgreement) -> AgreementView:
    orders = await uow.sales_agreements.orders_of(agreement.id)
    return AgreementView(agreement, await uow.customers.get(agreement.customer_id),
                         fulfilment(agreement, orders), orders)


async def get_agreement(uow: UnitOfWork, user: User, agreement_id: int) -> AgreementView:
    user.require(Permission.AGREEMENT)
    async with uow:
        return await _view(uow, await _visible(uow, user, agreement_id))


@dataclass(frozen=True)
class LineEntry:
    """What typing a line did: added it, or found no or several items."""
    view: AgreementView
    matches: Sequence[Item]

    @property
    def added(self) -> bool:
        return len(self.matches) == 1


async def enter_line(uow: UnitOfWork, user: User, agreement_id: int, item_text: str,
                     agreed_price: Decimal | None, discount_percent: Decimal | None,
                     committed: Decimal | None) -> LineEntry:
    """Find the item and, when exactly one matches, add the line."""
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        matches = await find_items_in(uow, item_text)
        if len(matches) == 1:
            agreement.add_line(matches[0], agreed_price, discount_percent, committed)
            await uow.commit()
        return LineEntry(await _view(uow, agreement), matches)


async def add_line(uow: UnitOfWork, user: User, agreement_id: int, item_id: int,
                   agreed_price: Decimal | None, discount_percent: Decimal | None,
                   committed: Decimal | None) -> AgreementView:
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        item = await existing_item(uow, item_id)
        agreement.add_line(item, agreed_price, discount_percent, committed)
        await uow.commit()
        return await _view(uow, agreement)


async def set_effective(uow: UnitOfWork, clock: Clock, user: User, agreement_id: int) -> SalesAgreement:
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        agreement.set_effective(clock.now())
        await uow.commit()
    return agreement


async def put_on_hold(uow: UnitOfWork, user: User, agreement_id: int) -> SalesAgreement:
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        agreement.put_on_hold()
        await uow.commit()
    return agreement


async def close(uow: UnitOfWork, clock: Clock, user: User, agreement_id: int) -> SalesAgreement:
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        agreement.close(clock.now())
        await uow.commit()
    return agreement


async def check_order(uow: UnitOfWork, clock: Clock, user: User, agreement_id: int,
                      ship_date: date | None = None) -> AgreementView:
    """Refuse early (before quantities are asked) what ordering would refuse; changes nothing."""
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        agreement.check_order(ship_date or max(clock.today(), agreement.valid_from), clock.today())
        return await _view(uow, agreement)


async def order_from_agreement(uow: UnitOfWork, clock: Clock, user: User, agreement_id: int,
                               ship_date: date, quantities: Mapping[int, Decimal]) -> SalesOrder:
    """A sales order for the agreement's customer at the agreement's prices and discounts, which
    overrule any trade agreement; it then goes through /orders (Deliver, Invoice) as any order."""
    user.require(Permission.AGREEMENT)
    async with uow:
        agreement = await _visible(uow, user, agreement_id)
        agreement.check_order(ship_date, clock.today())
        items = await uow.items.many([l.item_id for l in agreement.lines])
        order = agreement.take_order(quantities, items, ship_date,
                                     await next_number(uow, Seq.SALES_ORDER), clock.now(), clock.today())
        await uow.sales_orders.add(order)
        # §1: an agreement made out to a prospect's provisional account sells now: a customer.
        await relationships.customer_bought(uow, clock, user, agreement.customer_id, order.number)
        await uow.commit()
    return order
