"""Packing slips: a partial or complete delivery of an order's items (the seed)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.errors import N_, InvalidInput
from domain.item import Item
from domain.money import check_quantity
from domain.sales_order import SalesOrder


@dataclass(eq=False)
class PackingSlipLine:
    line_number: int  # the sales order line delivered
    item_number: str
    description: str
    unit: str
    quantity: Decimal
    id: int | None = None


@dataclass(eq=False)
class PackingSlip:
    number: str
    sales_order_id: int
    customer_id: int
    posted_on: date
    lines: list[PackingSlipLine] = field(default_factory=list)
    invoice_number: str | None = None  # a packing slip is invoiced once, whole
    id: int | None = None

    @property
    def is_invoiced(self) -> bool:
        return self.invoice_number is not None


def post_packing_slip(order: SalesOrder, items: Mapping[int, Item],
                      quantities: Mapping[int, Decimal], number: str, today: date) -> PackingSlip:
    """Deliver the given quantity per order line: check everything first, then change it all.

    `items` maps item id to the item (for its on-hand stock); `quantities` maps order line number
    to the quantity shipped now. Zero quantities are skipped; at least one must be positive.
    """
    order.require_deliverable()
    wanted = {n: check_quantity(q, allow_zero=True) for n, q in quantities.items()}
    wanted = {n: q for n, q in wanted.items() if q > 0}
    if not wanted:
        raise InvalidInput(N_("Enter a quantity above zero for at least one line."))
    per_item: dict[int, Decimal] = {}
    for line_number, quantity in wanted.items():
        line = order.check_delivery(line_number, quantity)
        per_item[line.item_id] = per_item.get(line.item_id, Decimal(0)) + quantity
    for item_id, quantity in per_item.items():
        item = items[item_id]
        if quantity > item.on_hand:
            raise InvalidInput(
                N_("Only {on_hand} {unit} of {item} on hand; cannot deliver {quantity}."),
                on_hand=item.on_hand, unit=item.unit, item=item.item_number, quantity=quantity)
    slip = PackingSlip(number=number, sales_order_id=order.id, customer_id=order.customer_id,
                       posted_on=today)
    for line_number, quantity in sorted(wanted.items()):
        line = order.record_delivery(line_number, quantity)
        items[line.item_id].take_from_stock(quantity)
        slip.lines.append(PackingSlipLine(line_number=line_number, item_number=line.item_number,
                                          description=line.description, unit=line.unit,
                                          quantity=quantity))
    order.refresh_status()
    return slip
