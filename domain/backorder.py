"""Backorders: sales order lines not yet delivered to the customer, and how on-hand stock is
split among them.

A backorder line is a line of a sales order that is not canceled, of a type that is delivered
from stock, with a deliver remainder above zero. Allocation gives the on-hand quantity of an item
to its backorder lines by priority: a higher priority first, then the older order (order date and time), then the order
and line number; never more than a line's remainder, never more than is on hand.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import N_, InvalidInput, TransitionNotAllowed
from domain.sales_order import (DELIVERABLE_TYPES, SalesOrder, SalesOrderLine, SalesOrderStatus,
                                SalesOrderType)

# A returned order brings goods back: it is never waiting for stock.
BACKORDER_TYPES = frozenset(DELIVERABLE_TYPES - {SalesOrderType.RETURNED_ORDER})
BACKORDER_STATUSES = frozenset(s for s in SalesOrderStatus if s is not SalesOrderStatus.CANCELED)
PRIORITY_MAX = 9


@dataclass(frozen=True)
class BackorderLine:
    """One sales order line waiting for delivery, as the views and the allocation see it."""
    line_id: int
    order_id: int
    order_number: str
    line_number: int
    customer_id: int
    salesperson_id: int
    item_id: int
    ordered_at: datetime
    remainder: Decimal
    priority: int = 0
    confirmed_date: date | None = None
    allocated: Decimal = Decimal(0)
    item_number: str = ""
    unit: str = ""
    status: SalesOrderStatus = SalesOrderStatus.OPEN_ORDER


@dataclass(frozen=True)
class ItemStock:
    """An item as the allocation sees it: what it is and how much is on hand."""
    id: int
    item_number: str
    name: str
    unit: str
    on_hand: Decimal


@dataclass(frozen=True)
class Allocation:
    line: BackorderLine
    quantity: Decimal


@dataclass(frozen=True)
class Supply:
    """A vendor delivery still missing: its quantity and the day it is expected."""
    expected_date: date
    missing: Decimal


def is_backorder(order: SalesOrder, line: SalesOrderLine) -> bool:
    return (order.status is not SalesOrderStatus.CANCELED and order.order_type in BACKORDER_TYPES
            and line.deliver_remainder > 0)


def allocation_key(line: BackorderLine) -> tuple:
    return (-line.priority, line.ordered_at, line.order_number, line.line_number)


def allocate(on_hand: Decimal, lines: Iterable[BackorderLine]) -> list[Allocation]:
    """Split `on_hand` among the lines in priority order; every line appears, perhaps with 0."""
    left = max(on_hand, Decimal(0))
    result = []
    for line in sorted(lines, key=allocation_key):
        given = min(line.remainder, left) if line.remainder > 0 else Decimal(0)
        left -= given
        result.append(Allocation(line, given))
    return result


def quantity_short(lines: Iterable[BackorderLine], on_hand: Decimal, supplies: Iterable[Supply]) -> Decimal:
    """How much more must be ordered so every backorder line can be delivered in time.

    A line with a confirmed delivery date needs its remainder by that date and can count only on
    the stock on hand and the vendor deliveries expected on or before it; a line without one can
    wait for every missing vendor delivery. The answer is the largest gap over those dates (0 if
    none): remainders - on hand - missing vendor deliveries expected before the dates.
    """
    lines, supplies = list(lines), list(supplies)
    dates = sorted({l.confirmed_date for l in lines if l.confirmed_date is not None})
    total_supply = on_hand + sum((s.missing for s in supplies), Decimal(0))
    total_demand = sum((l.remainder for l in lines), Decimal(0))
    short = max(Decimal(0), total_demand - total_supply)
    for day in dates:
        demand = sum((l.remainder for l in lines
                      if l.confirmed_date is not None and l.confirmed_date <= day), Decimal(0))
        supply = on_hand + sum((s.missing for s in supplies if s.expected_date <= day), Decimal(0))
        short = max(short, demand - supply)
    return short


def must_order_more(short: Decimal) -> bool:
    return short > 0


def _require_backorder(order: SalesOrder, line: SalesOrderLine) -> None:
    if not is_backorder(order, line):
        raise TransitionNotAllowed(
            N_("Line {line} of sales order {number} is not waiting for delivery."),
            line=line.line_number, number=order.number)


def raise_priority(order: SalesOrder, line_number: int) -> SalesOrderLine:
    """One step up; a raised line is served before every line of a lower priority."""
    line = order.line(line_number)
    _require_backorder(order, line)
    if line.priority >= PRIORITY_MAX:
        raise InvalidInput(N_("Line {line} of sales order {number} already has the highest priority."),
                           line=line_number, number=order.number)
    line.priority += 1
    return line


def confirm_delivery_date(order: SalesOrder, line_number: int, day: date, today: date) -> SalesOrderLine:
    line = order.line(line_number)
    _require_backorder(order, line)
    if day < today:
        raise InvalidInput(N_("{date} is in the past; choose today or a later date."), date=day)
    line.confirmed_delivery_date = day
    return line


def committed(allocations: Sequence[Allocation]) -> dict[int, Decimal]:
    """Line id -> allocated quantity, for the lines whose stored allocation differs (the rest are
    already stored as allocated)."""
    return {a.line.line_id: a.quantity for a in allocations if a.quantity != a.line.allocated}


# What the views show: one row per item, customer or vendor, summed by the repository in SQL.

@dataclass(frozen=True)
class ItemBackorders:
    item_id: int
    item_number: str
    name: str
    unit: str
    on_hand: Decimal
    open_orders: int
    remainder: Decimal
    missing: Decimal  # vendor deliveries still missing, whenever expected

    @property
    def short(self) -> Decimal:
        """Remainders - on hand - every missing vendor delivery (the detail also checks the dates)."""
        return max(Decimal(0), self.remainder - self.on_hand - self.missing)


@dataclass(frozen=True)
class CustomerBackorders:
    customer_id: int
    account_number: str
    name: str
    open_orders: int
    lines: int
    remainder: Decimal


@dataclass(frozen=True)
class VendorBackorders:
    vendor_id: int
    account: str
    name: str
    purchase_orders: int
    missing: Decimal
    first_expected: date


@dataclass(frozen=True)
class MissingDelivery:
    """A purchase order line the vendor has not fully delivered."""
    purchase_order_id: int
    number: str
    vendor_id: int
    vendor_name: str
    item_id: int
    item_number: str
    missing: Decimal
    expected_date: date


@dataclass(frozen=True)
class ItemDetail:
    item: ItemBackorders
    lines: list[BackorderLine]        # the lines the user may see, in allocation order
    deliveries: list[MissingDelivery]
    short: Decimal                    # over all the item's lines, with the dates checked

    @property
    def must_order_more(self) -> bool:
        return must_order_more(self.short)
