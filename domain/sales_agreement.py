"""Sales agreements: a customer commits to buy a quantity or an amount over a period, in exchange for
agreed prices and discounts that overrule any trade agreement (the seed, "Sales agreements").

On hold by default; Effective and Closed by explicit moves; orders are taken only while Effective and
for a requested ship date inside the validity period. What is fulfilled is derived from the orders
taken from the agreement (canceled ones excluded), never stored.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.money import check_amount, check_price, check_quantity, round_money
from domain.sales_order import DELIVERABLE_TYPES, SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType

SEQUENCE = "sales_agreement"   # a number sequence of its own (storage: number_sequences)
PREFIX = "AG"
MAX_LINES = 50


def format_agreement_number(value: int) -> str:
    return f"{PREFIX}-{value:06d}"


class CommitmentType(StrEnum):
    PRODUCT_QUANTITY = "product_quantity"   # per line: a quantity of the item
    PRODUCT_VALUE = "product_value"         # per line: an amount spent on the item
    TOTAL_VALUE = "total_value"             # one amount for the whole agreement


class AgreementStatus(StrEnum):
    ON_HOLD = "on_hold"
    EFFECTIVE = "effective"
    CLOSED = "closed"


# The allowed moves, as data. On hold is the default; an effective agreement can be put back on hold
# (e.g. while its terms are renegotiated); Closed is final.
TRANSITIONS = frozenset({
    (AgreementStatus.ON_HOLD, AgreementStatus.EFFECTIVE),
    (AgreementStatus.EFFECTIVE, AgreementStatus.ON_HOLD),
    (AgreementStatus.ON_HOLD, AgreementStatus.CLOSED),
    (AgreementStatus.EFFECTIVE, AgreementStatus.CLOSED),
})


def check_discount(percent: Decimal) -> Decimal:
    if not percent.is_finite() or percent <= 0 or percent >= 100:
        raise InvalidInput(N_("A discount must be more than 0% and less than 100%."))
    if percent != percent.quantize(Decimal("0.01")):
        raise InvalidInput(N_("A discount can have at most two decimals."))
    return percent


@dataclass(eq=False)
class AgreementLine:
    """An item at an agreed unit price or with a discount percent off its sales price, and the
    quantity or value committed for it (none for a total value agreement)."""
    line_number: int
    item_id: int
    item_number: str
    description: str
    unit: str
    agreed_price: Decimal | None = None
    discount_percent: Decimal | None = None
    committed_quantity: Decimal | None = None
    committed_value: Decimal | None = None
    id: int | None = None

    def unit_price(self, sales_price: Decimal) -> Decimal:
        """The net unit price an order gets: the agreed price, or the item's sales price less the
        discount, rounded to cents."""
        if self.agreed_price is not None:
            return self.agreed_price
        return round_money(sales_price * (100 - self.discount_percent) / 100)

    @property
    def committed(self) -> Decimal | None:
        return self.committed_quantity if self.committed_quantity is not None else self.committed_value


@dataclass(eq=False)
class SalesAgreement:
    number: str
    customer_id: int
    salesperson_id: int
    commitment_type: CommitmentType
    valid_from: date
    valid_to: date
    created_at: datetime
    status: AgreementStatus = AgreementStatus.ON_HOLD
    committed_total: Decimal | None = None   # TOTAL_VALUE only
    lines: list[AgreementLine] = field(default_factory=list)
    effective_at: datetime | None = None
    closed_at: datetime | None = None
    last_order_at: datetime | None = None    # touched per order: a concurrent close loses the race
    id: int | None = None
    version: int = 1

    @classmethod
    def create(cls, number: str, customer_id: int, salesperson_id: int,
               commitment_type: CommitmentType, valid_from: date, valid_to: date,
               committed_total: Decimal | None, now: datetime, today: date) -> SalesAgreement:
        if now.tzinfo is None:
            raise ValueError("agreement timestamps must carry a time zone")
        commitment_type = CommitmentType(commitment_type)
        check_validity(valid_from, valid_to, today)
        if commitment_type is CommitmentType.TOTAL_VALUE:
            if committed_total is None:
                raise InvalidInput(N_("A total value agreement needs the committed total amount."))
            committed_total = check_amount(committed_total)
        else:
            committed_total = None
        return cls(number=number, customer_id=customer_id, salesperson_id=salesperson_id,
                   commitment_type=commitment_type, valid_from=valid_from, valid_to=valid_to,
                   created_at=now, committed_total=committed_total)

    # --- status -------------------------------------------------------------------------------
    def _move(self, target: AgreementStatus) -> None:
        if (self.status, target) not in TRANSITIONS:
            if self.status is AgreementStatus.CLOSED:
                raise TransitionNotAllowed(N_("Sales agreement {number} is closed; closing is final."),
                                           number=self.number)
            raise TransitionNotAllowed(N_("Sales agreement {number} is already {status}."),
                                       number=self.number, status=self.status)
        self.status = target

    def set_effective(self, now: datetime) -> None:
        if self.status is AgreementStatus.ON_HOLD and not self.lines:
            raise InvalidInput(N_("Sales agreement {number} has no lines yet; add a line first."),
                               number=self.number)
        self._move(AgreementStatus.EFFECTIVE)
        self.effective_at = now

    def put_on_hold(self) -> None:
        self._move(AgreementStatus.ON_HOLD)

    def close(self, now: datetime) -> None:
        self._move(AgreementStatus.CLOSED)
        self.closed_at = now

    # --- lines --------------------------------------------------------------------------------
    def add_line(self, item: Item, agreed_price: Decimal | None, discount_percent: Decimal | None,
                 committed: Decimal | None) -> AgreementLine:
        """One line per item, added while the agreement is on hold: the terms of an effective
        agreement do not change under the customer's orders."""
        if self.status is not AgreementStatus.ON_HOLD:
            raise TransitionNotAllowed(
                N_("Sales agreement {number} is {status}; lines can be added only while it is on hold."),
                number=self.number, status=self.status)
        if (agreed_price is None) == (discount_percent is None):
            raise InvalidInput(N_("Give either an agreed price or a discount percent, e.g. 12.50 or 10%."))
        if agreed_price is not None:
            check_price(agreed_price)
            if agreed_price == 0:
                raise InvalidInput(N_("The agreed price must be more than zero."))
        if discount_percent is not None:
            check_discount(discount_percent)
        committed_quantity = committed_value = None
        if self.commitment_type is CommitmentType.PRODUCT_QUANTITY:
            if committed is None:
                raise InvalidInput(N_("Give the committed quantity, e.g. A-100 12.50 100"))
            committed_quantity = check_quantity(committed)
        elif self.commitment_type is CommitmentType.PRODUCT_VALUE:
            if committed is None:
                raise InvalidInput(N_("Give the committed value, e.g. A-100 10% 5000"))
            committed_value = check_amount(committed)
        elif committed is not None:
            raise InvalidInput(N_("A total value agreement has one committed amount; type only the item and its price or discount."))
        if any(l.item_id == item.id for l in self.lines):
            raise InvalidInput(N_("{item} is already on sales agreement {number}."),
                               item=item.item_number, number=self.number)
        if len(self.lines) >= MAX_LINES:
            raise InvalidInput(N_("A sales agreement can have at most {count} lines."), count=MAX_LINES)
        line = AgreementLine(
            line_number=max((l.line_number for l in self.lines), default=0) + 1,
            item_id=item.id, item_number=item.item_number, description=item.name, unit=item.unit,
            agreed_price=agreed_price, discount_percent=discount_percent,
            committed_quantity=committed_quantity, committed_value=committed_value)
        self.lines.append(line)
        return line

    def line(self, line_number: int) -> AgreementLine:
        for line in self.lines:
            if line.line_number == line_number:
                return line
        raise NotFound(N_("Line {line} is not on sales agreement {number}."),
                       line=line_number, number=self.number)

    # --- ordering -----------------------------------------------------------------------------
    def check_order(self, ship_date: date, today: date) -> None:
        """May an order be taken now for this requested ship date? Changes nothing."""
        if self.status is not AgreementStatus.EFFECTIVE:
            raise TransitionNotAllowed(
                N_("Sales agreement {number} is {status}; orders can be taken only from an effective agreement."),
                number=self.number, status=self.status)
        if ship_date < today:
            raise InvalidInput(N_("The requested ship date {date} is in the past."), date=ship_date)
        if not self.valid_from <= ship_date <= self.valid_to:
            raise InvalidInput(
                N_("The requested ship date {date} is outside the validity period of sales agreement {number} ({start} to {end})."),
                date=ship_date, number=self.number, start=self.valid_from, end=self.valid_to)

    def take_order(self, quantities: Mapping[int, Decimal], items: Mapping[int, Item],
                   ship_date: date, order_number: str, now: datetime, today: date) -> SalesOrder:
        """A sales order (type Sales order) for the agreement's customer at the agreement's prices.

        A discount line becomes an order line at the item's sales price with the agreed line
        discount, so documents show the discount as they do for trade agreements."""
        self.check_order(ship_date, today)
        wanted: dict[int, Decimal] = {}
        for line_number, quantity in quantities.items():
            self.line(line_number)  # only lines on the agreement
            quantity = check_quantity(quantity, allow_zero=True)
            if quantity:
                wanted[line_number] = quantity
        if not wanted:
            raise InvalidInput(N_("Order a quantity of at least one line."))
        order_lines = []
        for n, line in enumerate((l for l in self.lines if l.line_number in wanted), start=1):
            item = items[line.item_id]
            order_lines.append(SalesOrderLine(
                line_number=n, item_id=line.item_id, item_number=line.item_number,
                description=line.description, unit=line.unit, quantity=wanted[line.line_number],
                unit_price=item.sales_price if line.discount_percent is not None else line.agreed_price,
                discount_percent=line.discount_percent or Decimal(0),
                tax_percent=item.sales_tax_percent))
        self.last_order_at = now
        order = SalesOrder(number=order_number, order_type=SalesOrderType.SALES_ORDER,
                           customer_id=self.customer_id, salesperson_id=self.salesperson_id,
                           created_at=now, lines=order_lines, agreement_id=self.id,
                           requested_ship_date=ship_date)
        return order


def check_validity(valid_from: date, valid_to: date, today: date) -> None:
    if valid_to < valid_from:
        raise InvalidInput(N_("The validity period ends on {end}, before it starts on {start}."),
                           start=valid_from, end=valid_to)
    if valid_to < today:
        raise InvalidInput(N_("The validity period ends on {end}, which is in the past."), end=valid_to)


# --- fulfilment ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineFulfilment:
    line: AgreementLine
    ordered_quantity: Decimal
    ordered_value: Decimal
    remaining: Decimal | None   # of the line's commitment; None for a total value agreement


@dataclass(frozen=True)
class Fulfilment:
    commitment_type: CommitmentType
    lines: tuple[LineFulfilment, ...]
    ordered_value: Decimal
    committed: Decimal          # the sum of the lines' commitments, or the committed total
    fulfilled: Decimal          # of `committed`: a quantity or an amount, capped per line
    remaining: Decimal          # committed - fulfilled, never below zero

    @property
    def is_fulfilled(self) -> bool:
        return self.remaining == 0


def fulfilment(agreement: SalesAgreement, orders: Iterable[SalesOrder]) -> Fulfilment:
    """What the orders taken from the agreement hold, per line and in total. Canceled orders and
    orders of other agreements do not count, nor a release whose type became a Journal (a draft
    that delivers nothing) or a Returned order (goods coming back): only orders that deliver."""
    quantity: dict[int, Decimal] = {}
    value: dict[int, Decimal] = {}
    for order in orders:
        if (order.status is SalesOrderStatus.CANCELED or order.agreement_id != agreement.id
                or order.order_type not in DELIVERABLE_TYPES):
            continue
        for ol in order.lines:
            quantity[ol.item_id] = quantity.get(ol.item_id, Decimal(0)) + ol.quantity
            value[ol.item_id] = value.get(ol.item_id, Decimal("0.00")) + ol.net_amount
    rows = []
    committed = fulfilled = Decimal(0)
    for line in agreement.lines:
        q = quantity.get(line.item_id, Decimal(0))
        v = value.get(line.item_id, Decimal("0.00"))
        remaining = None
        if agreement.commitment_type is CommitmentType.PRODUCT_QUANTITY:
            remaining = max(line.committed_quantity - q, Decimal(0))
            committed += line.committed_quantity
            fulfilled += min(q, line.committed_quantity)
        elif agreement.commitment_type is CommitmentType.PRODUCT_VALUE:
            remaining = max(line.committed_value - v, Decimal(0))
            committed += line.committed_value
            fulfilled += min(v, line.committed_value)
        rows.append(LineFulfilment(line, q, v, remaining))
    ordered_value = sum((r.ordered_value for r in rows), Decimal("0.00"))
    if agreement.commitment_type is CommitmentType.TOTAL_VALUE:
        committed = agreement.committed_total
        fulfilled = min(ordered_value, committed)
    return Fulfilment(agreement.commitment_type, tuple(rows), ordered_value, committed, fulfilled,
                      committed - fulfilled)
