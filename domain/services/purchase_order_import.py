"""`salesbot import purchase_orders FILE`: purchase order lines from vendors, all or nothing.

Columns: purchase_order, vendor, item_number, quantity, expected_date, received (blank: 0), and
an optional vendor_name. A re-import updates a line by its purchase order number and item.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import N_, InvalidInput
from domain.money import check_quantity, parse_decimal
from domain.ports import UnitOfWork
from domain.purchase_order import PurchaseOrder, Vendor, check_purchase_quantities

@dataclass(frozen=True)
class PurchaseOrderRow:
    number: str
    vendor: Vendor
    item_number: str
    quantity: Decimal
    expected_date: date
    received: Decimal


def _text(row: Mapping[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def parse_row(row: Mapping[str, str]) -> PurchaseOrderRow:
    number = _text(row, "purchase_order")
    if not number:
        raise InvalidInput(N_("A purchase order needs a number."))
    vendor = Vendor(_text(row, "vendor"), _text(row, "vendor_name"))
    item_number = _text(row, "item_number")
    if not item_number:
        raise InvalidInput(N_("A purchase order line needs an item number."))
    quantity = check_quantity(parse_decimal(_text(row, "quantity")))
    received_text = _text(row, "received")
    received = check_quantity(parse_decimal(received_text), allow_zero=True) if received_text else Decimal(0)
    check_purchase_quantities(quantity, received)
    try:
        expected = date.fromisoformat(_text(row, "expected_date"))
    except ValueError:
        raise InvalidInput(N_("'{text}' is not a date; write it as 2026-12-31."),
                           text=_text(row, "expected_date")) from None
    return PurchaseOrderRow(number, vendor, item_number, quantity, expected, received)


async def unknown_items(uow: UnitOfWork, parsed: Iterable[tuple[int, PurchaseOrderRow]]) -> list[tuple[int, str]]:
    """(line, reason) for each row whose item does not exist; inside an open unit of work."""
    return [(line, f"unknown item number '{row.item_number}'") for line, row in parsed
            if await uow.items.by_number(row.item_number) is None]


async def store(uow: UnitOfWork, parsed: Iterable[tuple[int, PurchaseOrderRow]]) -> tuple[int, int]:
    """(created, updated), inside an open unit of work, for rows whose items exist (unknown_items)."""
    created = updated = 0
    vendors: dict[str, Vendor] = {}
    for _, row in parsed:
        item = await uow.items.by_number(row.item_number)
        vendor = vendors.get(row.vendor.account) or await uow.vendors.by_account(row.vendor.account)
        if vendor is None:
            vendor = row.vendor
            await uow.vendors.add(vendor)
            await uow.flush()
        elif row.vendor.name != row.vendor.account:
            vendor.name = row.vendor.name  # a name given in the file wins
        vendors[vendor.account] = vendor
        po = PurchaseOrder(row.number, vendor.id, item.id, item.item_number, row.quantity,
                           row.expected_date, row.received)
        existing = await uow.purchase_orders.by_key(row.number, item.id)
        if existing is None:
            await uow.purchase_orders.add(po)
            created += 1
        else:
            existing.update_from(po)
            updated += 1
    return created, updated
