"""Use cases of backorders: the views by item, customer and vendor; allocation with a preview;
raising a line's priority; confirming a line's delivery date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.backorder import (Allocation, BackorderLine, CustomerBackorders, ItemBackorders, ItemDetail,
                              ItemStock, MissingDelivery, Supply, VendorBackorders, allocate, committed,
                              confirm_delivery_date, quantity_short, raise_priority)
from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.item import Item
from domain.ports import Clock, UnitOfWork
from domain.purchase_order import Vendor
from domain.sales_order import SalesOrder, SalesOrderLine
from domain.services.common import existing_item, visible_order
from domain.user import Permission, User

LIST_LIMIT = 20
DETAIL_LIMIT = 30


def _owner(user: User) -> int | None:
    """Whose backorders the user sees: a salesperson their own customers' orders, a manager all."""
    user.require(Permission.BACKORDERS)
    return None if user.can(Permission.SEE_ALL) else user.id


async def by_item(uow: UnitOfWork, user: User) -> list[ItemBackorders]:
    owner = _owner(user)
    async with uow:
        return await uow.backorders.by_item(owner, LIST_LIMIT)


async def by_customer(uow: UnitOfWork, user: User) -> list[CustomerBackorders]:
    owner = _owner(user)
    async with uow:
        return await uow.backorders.by_customer(owner, LIST_LIMIT)


async def by_vendor(uow: UnitOfWork, user: User) -> list[VendorBackorders]:
    _owner(user)
    async with uow:
        return await uow.backorders.by_vendor(LIST_LIMIT)


def _no_backorders(item: Item) -> ItemBackorders:
    return ItemBackorders(item.id, item.item_number, item.name, item.unit, item.on_hand, 0, Decimal(0),
                          Decimal(0))


async def item_detail(uow: UnitOfWork, user: User, item_id: int) -> ItemDetail:
    """The item's figures over all its backorders (stock is shared), the lines the user may see,
    the missing vendor deliveries, and the shortage with the confirmed dates checked."""
    owner = _owner(user)
    async with uow:
        item = await existing_item(uow, item_id)
        found = await uow.backorders.by_item(None, 1, item_id=item_id)
        summary = found[0] if found else _no_backorders(item)
        all_lines = await uow.backorders.lines(None, item_ids=[item_id])
        deliveries = await uow.backorders.missing_deliveries(item_ids=[item_id])
    short = quantity_short(all_lines, item.on_hand, [Supply(d.expected_date, d.missing) for d in deliveries])
    visible = [l for l in all_lines if owner is None or l.salesperson_id == owner]
    return ItemDetail(summary, visible[:DETAIL_LIMIT], deliveries, short)


@dataclass(frozen=True)
class CustomerDetail:
    customer: Customer
    lines: list[BackorderLine]


async def customer_detail(uow: UnitOfWork, user: User, customer_id: int) -> CustomerDetail:
    owner = _owner(user)
    async with uow:
        customer = await uow.customers.get(customer_id)
        lines = await uow.backorders.lines(owner, customer_id=customer_id, limit=DETAIL_LIMIT)
    if customer is None or (owner is not None and not lines):
        raise NotFound(N_("That customer has no backorders of yours."))
    lines.sort(key=lambda l: (l.ordered_at, l.order_number, l.line_number))
    return CustomerDetail(customer, lines)


@dataclass(frozen=True)
class VendorDetail:
    vendor: Vendor
    deliveries: list[MissingDelivery]
    waiting: list[BackorderLine]  # sales order lines of the vendor's items, the user may see


async def vendor_detail(uow: UnitOfWork, user: User, vendor_id: int) -> VendorDetail:
    owner = _owner(user)
    async with uow:
        vendor = await uow.vendors.get(vendor_id)
        if vendor is None:
            raise NotFound(N_("That vendor does not exist."))
        deliveries = await uow.backorders.missing_deliveries(vendor_id=vendor_id)
        item_ids = sorted({d.item_id for d in deliveries})
        waiting = (await uow.backorders.lines(owner, item_ids=item_ids, limit=DETAIL_LIMIT)
                   if item_ids else [])
    return VendorDetail(vendor, deliveries, waiting)


@dataclass(frozen=True)
class AllocationPlan:
    item: ItemStock
    allocations: list[Allocation]

    @property
    def total(self):
        return sum((a.quantity for a in self.allocations), Decimal(0))


async def _plan(uow: UnitOfWork, item_id: int) -> AllocationPlan:
    """The item's stock and all its backorder lines in one read; the rule itself is allocate()."""
    stock, lines = await uow.backorders.allocation([item_id])
    if item_id not in stock:
        raise NotFound(N_("That item does not exist."))
    item = stock[item_id]
    return AllocationPlan(item, allocate(item.on_hand, lines[item_id]))


async def preview_allocation(uow: UnitOfWork, user: User, item_id: int) -> AllocationPlan:
    """What committing would store; changes nothing."""
    user.require(Permission.ALLOCATE)
    async with uow:
        return await _plan(uow, item_id)


async def commit_allocation(uow: UnitOfWork, user: User, item_id: int) -> AllocationPlan:
    """Allocate the on-hand stock as the preview shows it now (computed again in this transaction)."""
    user.require(Permission.ALLOCATE)
    async with uow:
        await uow.backorders.lock_item(item_id)  # a concurrent commit of this item waits, then recomputes
        plan = await _plan(uow, item_id)
        await uow.backorders.set_allocated(committed(plan.allocations))
        await uow.commit()
    return plan


async def _line_of(uow: UnitOfWork, user: User, order_id: int, line_number: int) -> tuple[SalesOrder, SalesOrderLine]:
    order = await visible_order(uow, user, order_id)
    return order, order.line(line_number)


async def raise_line_priority(uow: UnitOfWork, user: User, order_id: int, line_number: int) -> SalesOrderLine:
    user.require(Permission.BACKORDERS)
    async with uow:
        order = await visible_order(uow, user, order_id)
        line = raise_priority(order, line_number)
        await uow.commit()
    return line


async def set_confirmed_date(uow: UnitOfWork, clock: Clock, user: User, order_id: int, line_number: int,
                             day: date) -> SalesOrderLine:
    user.require(Permission.BACKORDERS)
    async with uow:
        order = await visible_order(uow, user, order_id)
        line = confirm_delivery_date(order, line_number, day, clock.today())
        await uow.commit()
    return line


async def line_of(uow: UnitOfWork, user: User, order_id: int, line_number: int) -> tuple[SalesOrder, SalesOrderLine]:
    user.require(Permission.BACKORDERS)
    async with uow:
        return await _line_of(uow, user, order_id, line_number)
