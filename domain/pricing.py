"""Trade agreements: the ordinary prices and line discounts (the seed's *handelsovereenkomst*).

A trade agreement is a sales price or a line discount (percent or amount per unit) for an item,
an item group or all items, for a customer, a customer group ("price list") or all customers,
from a quantity on, valid between two dates (inclusive; open when not set). A sales agreement
(domain/sales_agreement.py) overrules them; that part does not call this code.

Precedence, one search for the price and a separate one for the discount (as in an ERP):
1. Only agreements valid on the day and whose from-quantity is not above the line quantity count.
2. Most specific wins: the item is weighed first (item > item group > all items), then the
   account (customer > customer group > all customers). So "this item for everyone" beats
   "this item group for this customer": the item is what the price is about.
3. Within the most specific level that has a match: the highest quantity break (the largest
   from-quantity not above the line quantity), then the best for the customer (lowest price,
   largest discount per unit), then the one valid from the latest date.
4. No price agreement: the item's sales price. No discount agreement: no discount.
The discount applies to the price found: net = quantity x (price - amount) x (100 - percent) / 100,
rounded to cents per line; a discount amount never exceeds the price.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.customer import Customer
from domain.errors import N_, InvalidInput
from domain.item import Item
from domain.money import check_price, check_quantity

ZERO = Decimal(0)


class Relation(StrEnum):
    PRICE = "price"
    LINE_DISCOUNT = "discount"


class ItemCode(StrEnum):
    ITEM = "item"
    GROUP = "group"
    ALL = "all"


class AccountCode(StrEnum):
    CUSTOMER = "customer"
    GROUP = "group"
    ALL = "all"


# Lower rank = more specific.
_ITEM_RANK = {ItemCode.ITEM: 0, ItemCode.GROUP: 1, ItemCode.ALL: 2}
_ACCOUNT_RANK = {AccountCode.CUSTOMER: 0, AccountCode.GROUP: 1, AccountCode.ALL: 2}


def parse_enum(enum_cls, text: str, what: str):
    value = (text or "").strip().lower()
    for member in enum_cls:
        if member.value == value:
            return member
    raise InvalidInput(N_("'{text}' is not a valid {what}; use one of: {choices}."),
                       text=text, what=what, choices=", ".join(m.value for m in enum_cls))


def check_discount_percent(percent: Decimal) -> Decimal:
    if not percent.is_finite() or percent < 0 or percent > 100:
        raise InvalidInput(N_("A discount percentage must be between 0 and 100."))
    if percent != percent.quantize(Decimal("0.0001")):
        raise InvalidInput(N_("A discount percentage can have at most four decimals."))
    return percent


@dataclass(eq=False)
class TradeAgreement:
    relation: Relation
    item_code: ItemCode
    item_value: str          # item number, item group, or "" for all items
    account_code: AccountCode
    account_value: str       # account number, customer group, or "" for all customers
    from_quantity: Decimal = ZERO
    valid_from: date | None = None
    valid_to: date | None = None
    price: Decimal = ZERO              # PRICE: the unit price
    discount_percent: Decimal = ZERO   # LINE_DISCOUNT: percent, or
    discount_amount: Decimal = ZERO    # LINE_DISCOUNT: amount per unit
    id: int | None = None

    def __post_init__(self) -> None:
        self.item_value = (self.item_value or "").strip()
        self.account_value = (self.account_value or "").strip()
        if self.item_code is ItemCode.ALL:
            self.item_value = ""
        elif not self.item_value:
            raise InvalidInput(N_("An agreement for an item or an item group needs its number or group."))
        if self.account_code is AccountCode.ALL:
            self.account_value = ""
        elif not self.account_value:
            raise InvalidInput(N_("An agreement for a customer or a customer group needs its account or group."))
        self.from_quantity = check_quantity(self.from_quantity, allow_zero=True)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise InvalidInput(N_("The agreement ends ({to}) before it starts ({start})."),
                               to=self.valid_to, start=self.valid_from)
        check_price(self.price)
        check_discount_percent(self.discount_percent)
        check_price(self.discount_amount)
        if self.relation is Relation.PRICE:
            if self.discount_percent or self.discount_amount:
                raise InvalidInput(N_("A price agreement has a price, not a discount."))
        else:
            if self.price:
                raise InvalidInput(N_("A discount agreement has a discount, not a price."))
            if bool(self.discount_percent) == bool(self.discount_amount):
                raise InvalidInput(N_("A discount agreement needs either a discount percentage or a discount amount."))

    @property
    def key(self) -> tuple:
        """What identifies an agreement in an import: a re-import updates the rest."""
        return (self.relation, self.item_code, self.item_value, self.account_code,
                self.account_value, self.from_quantity, self.valid_from)

    def specificity(self) -> tuple[int, int]:
        return _ITEM_RANK[self.item_code], _ACCOUNT_RANK[self.account_code]

    def is_valid_on(self, day: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    def matches(self, item: Item, customer: Customer) -> bool:
        item_ok = (self.item_code is ItemCode.ALL
                   or (self.item_code is ItemCode.ITEM and self.item_value == item.item_number)
                   or (self.item_code is ItemCode.GROUP and bool(item.item_group)
                       and self.item_value == item.item_group))
        account_ok = (self.account_code is AccountCode.ALL
                      or (self.account_code is AccountCode.CUSTOMER
                          and self.account_value == customer.account_number)
                      or (self.account_code is AccountCode.GROUP and bool(customer.customer_group)
                          and self.account_value == customer.customer_group))
        return item_ok and account_ok

    def applies(self, item: Item, customer: Customer, quantity: Decimal, day: date) -> bool:
        return self.matches(item, customer) and self.is_valid_on(day) and self.from_quantity <= quantity

    def discount_per_unit(self, price: Decimal) -> Decimal:
        return min(price, self.discount_amount) + price * self.discount_percent / 100

    def snapshot(self) -> dict[str, Any]:
        """What a priced line keeps of the agreement chosen, to explain itself later."""
        out: dict[str, Any] = {"ic": self.item_code.value, "iv": self.item_value,
                               "ac": self.account_code.value, "av": self.account_value}
        if self.from_quantity:
            out["q"] = str(self.from_quantity)
        if self.valid_to:
            out["to"] = self.valid_to.isoformat()
        if self.id is not None:
            out["id"] = self.id
        return out


def _choose(candidates: list[TradeAgreement], better) -> TradeAgreement | None:
    """Most specific level first; then the highest quantity break; then `better`; then latest start."""
    if not candidates:
        return None
    level = min(a.specificity() for a in candidates)
    same = [a for a in candidates if a.specificity() == level]
    top_break = max(a.from_quantity for a in same)
    same = [a for a in same if a.from_quantity == top_break]
    return min(same, key=lambda a: (better(a), -(a.valid_from or date.min).toordinal(), a.id or 0))


@dataclass(frozen=True)
class LinePrice:
    unit_price: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    price_agreement: TradeAgreement | None
    discount_agreement: TradeAgreement | None

    @property
    def note(self) -> str:
        """The line's explanation, stored with it (a language-free snapshot, rendered on demand)."""
        data: dict[str, Any] = {}
        if self.price_agreement is not None:
            data["p"] = self.price_agreement.snapshot()
        if self.discount_agreement is not None:
            data["d"] = self.discount_agreement.snapshot()
        return json.dumps(data, separators=(",", ":"), sort_keys=True) if data else ""


def price_line(agreements: list[TradeAgreement], item: Item, customer: Customer | None,
               quantity: Decimal, day: date) -> LinePrice:
    """The price and the discount for `quantity` of `item` for `customer` on `day` (the customer
    may be None when there are no agreements to match)."""
    applicable = [a for a in agreements if a.applies(item, customer, quantity, day)]
    price_agreement = _choose([a for a in applicable if a.relation is Relation.PRICE],
                              lambda a: a.price)
    price = price_agreement.price if price_agreement else item.sales_price
    discount_agreement = _choose([a for a in applicable if a.relation is Relation.LINE_DISCOUNT],
                                 lambda a: -a.discount_per_unit(price))
    percent = discount_agreement.discount_percent if discount_agreement else ZERO
    amount = min(price, discount_agreement.discount_amount) if discount_agreement else ZERO
    return LinePrice(unit_price=price, discount_percent=percent, discount_amount=amount,
                     price_agreement=price_agreement, discount_agreement=discount_agreement)


# --- explanations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AgreementNote:
    """One agreement as a priced line remembers it."""
    item_code: ItemCode
    item_value: str
    account_code: AccountCode
    account_value: str
    from_quantity: Decimal
    valid_to: date | None


@dataclass(frozen=True)
class PriceNote:
    price: AgreementNote | None      # None: the item's sales price
    discount: AgreementNote | None   # None: no discount


def _agreement_note(data: dict[str, Any] | None) -> AgreementNote | None:
    if not data:
        return None
    return AgreementNote(item_code=ItemCode(data["ic"]), item_value=data.get("iv", ""),
                         account_code=AccountCode(data["ac"]), account_value=data.get("av", ""),
                         from_quantity=Decimal(data.get("q", "0")),
                         valid_to=date.fromisoformat(data["to"]) if data.get("to") else None)


def read_note(note: str) -> PriceNote:
    """Read a line's stored note back; an empty or unreadable note means the item's own price."""
    try:
        data = json.loads(note) if note else {}
        return PriceNote(price=_agreement_note(data.get("p")), discount=_agreement_note(data.get("d")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return PriceNote(price=None, discount=None)
