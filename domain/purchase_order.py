"""Purchase orders from vendors: what was ordered, when it is expected, what has arrived.

The seed's backorders are also "purchase orders that haven't yet been delivered from a vendor":
the missing quantity of a purchase order line is what the vendor still has to deliver.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import N_, InvalidInput
from domain.money import check_quantity


@dataclass(eq=False)
class Vendor:
    account: str
    name: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.account = (self.account or "").strip()
        self.name = (self.name or "").strip() or self.account
        if not self.account:
            raise InvalidInput(N_("A purchase order needs a vendor."))
        if len(self.account) > 40 or len(self.name) > 200:
            raise InvalidInput(N_("The vendor's account or name is too long."))


@dataclass(eq=False)
class PurchaseOrder:
    """One item on a purchase order; (number, item) is its key."""
    number: str
    vendor_id: int
    item_id: int
    item_number: str
    quantity: Decimal
    expected_date: date
    received: Decimal = Decimal(0)
    id: int | None = None

    def __post_init__(self) -> None:
        self.number = (self.number or "").strip()
        if not self.number:
            raise InvalidInput(N_("A purchase order needs a number."))
        if len(self.number) > 40:
            raise InvalidInput(N_("The purchase order number is too long."))
        check_purchase_quantities(self.quantity, self.received)

    @property
    def missing(self) -> Decimal:
        """What the vendor still has to deliver."""
        return self.quantity - self.received

    def update_from(self, other: PurchaseOrder) -> None:
        self.vendor_id, self.quantity = other.vendor_id, other.quantity
        self.expected_date, self.received = other.expected_date, other.received


def check_purchase_quantities(quantity: Decimal, received: Decimal) -> None:
    check_quantity(quantity)
    check_quantity(received, allow_zero=True)
    if received > quantity:
        raise InvalidInput(N_("Received {received} is more than the ordered {quantity}."),
                           received=received, quantity=quantity)
