"""Items the company sells, with their sales price, sales tax and on-hand stock."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain import text_limits as limits
from domain.errors import InvalidInput, N_
from domain.money import check_price, check_quantity, check_tax_percent


@dataclass(eq=False)
class Item:
    item_number: str
    name: str
    unit: str
    sales_price: Decimal
    sales_tax_percent: Decimal
    on_hand: Decimal = Decimal(0)
    # Item group: trade agreements can price a whole group at once.
    item_group: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.item_number.strip():
            raise InvalidInput(N_("An item needs an item number."))
        if not self.name.strip():
            raise InvalidInput(N_("An item needs a name."))
        limits.check_length(self.item_number, limits.CODE, limits.ITEM_NUMBER_TOO_LONG)
        limits.check_length(self.name, limits.NAME, limits.NAME_TOO_LONG)
        limits.check_length(self.unit, limits.UNIT, limits.UNIT_TOO_LONG)
        check_price(self.sales_price)
        check_tax_percent(self.sales_tax_percent)
        self.item_group = limits.check_length((self.item_group or "").strip(), limits.CODE,
                                              limits.GROUP_TOO_LONG)

    def take_from_stock(self, quantity: Decimal) -> None:
        """Lower on-hand stock for a delivery; stock never goes below zero."""
        if quantity > self.on_hand:
            raise InvalidInput(
                N_("Only {on_hand} {unit} of {item} on hand; cannot deliver {quantity}."),
                on_hand=self.on_hand, unit=self.unit, item=self.item_number, quantity=quantity)
        self.on_hand -= quantity

    def set_on_hand(self, quantity: Decimal) -> None:
        self.on_hand = check_quantity(quantity, allow_zero=True)
