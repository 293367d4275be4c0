"""Sales quotations: an offer to a customer, converted to a sales order once approved (the seed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.money import check_quantity
from domain.tax import ItemLine, Totals, totals_of
from domain.workflow import Workflow

DEFAULT_VALIDITY_DAYS = 30
# An offer's prices and stock hold for weeks, not decades: a year is the most we promise (and keeps
# every date the quotation's answer link and expiry work with far inside the calendar).
MAX_VALIDITY_DAYS = 365
MAX_LINES = 200


class QuotationStatus(StrEnum):
    CREATED = "created"
    SENT = "sent"
    CONFIRMED = "confirmed"
    LOST = "lost"
    CANCELED = "canceled"
    EXPIRED = "expired"


S = QuotationStatus
OPEN_STATUSES = frozenset({S.CREATED, S.SENT})
WORKFLOW = Workflow.of(N_("Quotation"), [
    (S.CREATED, S.SENT), (S.CREATED, S.CONFIRMED), (S.CREATED, S.LOST), (S.CREATED, S.CANCELED),
    (S.CREATED, S.EXPIRED),
    (S.SENT, S.CONFIRMED), (S.SENT, S.LOST), (S.SENT, S.CANCELED), (S.SENT, S.EXPIRED),
])


@dataclass(eq=False)
class QuotationLine(ItemLine):
    line_number: int
    item_id: int
    id: int | None = None


@dataclass(eq=False)
class Quotation:
    number: str
    customer_id: int
    salesperson_id: int
    created_at: datetime
    valid_until: date
    status: QuotationStatus = QuotationStatus.CREATED
    lines: list[QuotationLine] = field(default_factory=list)
    sent_at: datetime | None = None
    closed_at: datetime | None = None
    expiry_warned_on: date | None = None
    sales_order_id: int | None = None
    id: int | None = None
    version: int = 1

    @classmethod
    def create(cls, number: str, customer_id: int, salesperson_id: int, now: datetime) -> Quotation:
        if now.tzinfo is None:
            raise ValueError("quotation timestamps must carry a time zone")
        return cls(number=number, customer_id=customer_id, salesperson_id=salesperson_id,
                   created_at=now, valid_until=now.date() + timedelta(days=DEFAULT_VALIDITY_DAYS))

    # --- status -----------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _move(self, target: QuotationStatus) -> None:
        WORKFLOW.check(self.number, self.status, target)
        self.status = target

    def _require_editable(self) -> None:
        if self.status is not QuotationStatus.CREATED:
            raise TransitionNotAllowed(
                N_("Quotation {number} is {status}; only a new quotation can be changed."),
                number=self.number, status=self.status)

    # --- lines --------------------------------------------------------------------------------
    def add_line(self, item: Item, quantity: Decimal) -> QuotationLine:
        """Add an item; the same item typed twice adds to its existing line."""
        self._require_editable()
        quantity = check_quantity(quantity)
        for line in self.lines:
            if line.item_id == item.id:
                line.quantity = check_quantity(line.quantity + quantity)
                return line
        if len(self.lines) >= MAX_LINES:
            raise InvalidInput(N_("A quotation can have at most {count} lines."), count=MAX_LINES)
        line = QuotationLine(
            line_number=max((l.line_number for l in self.lines), default=0) + 1,
            item_id=item.id, item_number=item.item_number, description=item.name, unit=item.unit,
            quantity=quantity, unit_price=item.sales_price, tax_percent=item.sales_tax_percent)
        self.lines.append(line)
        return line

    def replace_item(self, line_number: int, item: Item) -> QuotationLine:
        """Up-sell: another item on the same line, same quantity and place. When that item is on the
        quotation already, the quantity joins its line instead (one line per item, as add_line)."""
        self._require_editable()
        line = self.line(line_number)
        other = next((l for l in self.lines if l.item_id == item.id and l is not line), None)
        if other is not None:
            other.quantity = check_quantity(other.quantity + line.quantity)
            self.lines.remove(line)
            return other
        line.item_id, line.item_number, line.description, line.unit = (
            item.id, item.item_number, item.name, item.unit)
        line.unit_price, line.tax_percent = item.sales_price, item.sales_tax_percent
        return line

    def line(self, line_number: int) -> QuotationLine:
        for line in self.lines:
            if line.line_number == line_number:
                return line
        raise NotFound(N_("Line {line} is not on quotation {number}."),
                       line=line_number, number=self.number)

    def remove_line(self, line_number: int) -> None:
        self._require_editable()
        self.lines.remove(self.line(line_number))

    def change_quantity(self, line_number: int, quantity: Decimal) -> None:
        self._require_editable()
        self.line(line_number).quantity = check_quantity(quantity)

    def set_valid_until(self, valid_until: date, today: date) -> None:
        self._require_editable()
        if valid_until < today:
            raise InvalidInput(N_("The validity date {date} is in the past."), date=valid_until)
        last = today + timedelta(days=MAX_VALIDITY_DAYS)
        if valid_until > last:
            raise InvalidInput(N_("A quotation can be valid for at most {days} days: until {date} at "
                                  "the latest."), days=MAX_VALIDITY_DAYS, date=last)
        self.valid_until = valid_until

    @property
    def totals(self) -> Totals:
        return totals_of(self.lines)

    # --- transitions --------------------------------------------------------------------------
    def send(self, now: datetime) -> None:
        WORKFLOW.check(self.number, self.status, QuotationStatus.SENT)
        if not self.lines:
            raise InvalidInput(N_("Add at least one line before sending the quotation."))
        if self.status is QuotationStatus.CREATED and self.valid_until < now.date():
            raise InvalidInput(N_("The validity date {date} is in the past."), date=self.valid_until)
        self._move(QuotationStatus.SENT)
        self.sent_at = now

    def mark_confirmed(self, now: datetime, today: date) -> None:
        """The customer approved: close the quotation (sales_order.from_quotation builds the order)."""
        WORKFLOW.check(self.number, self.status, QuotationStatus.CONFIRMED)
        if self.valid_until < today:
            raise TransitionNotAllowed(
                N_("Quotation {number} expired on {date} and cannot be confirmed."),
                number=self.number, date=self.valid_until)
        if not self.lines:
            raise InvalidInput(N_("Quotation {number} has no lines."), number=self.number)
        self._move(QuotationStatus.CONFIRMED)
        self.closed_at = now

    def lose(self, now: datetime) -> None:
        self._move(QuotationStatus.LOST)
        self.closed_at = now

    def cancel(self, now: datetime) -> None:
        self._move(QuotationStatus.CANCELED)
        self.closed_at = now

    def is_past_validity(self, today: date) -> bool:
        return self.is_open and self.valid_until < today

    def expire(self, now: datetime, today: date) -> None:
        WORKFLOW.check(self.number, self.status, QuotationStatus.EXPIRED)
        if not self.is_past_validity(today):
            raise TransitionNotAllowed(
                N_("Quotation {number} is valid until {date} and does not expire yet."),
                number=self.number, date=self.valid_until)
        self._move(QuotationStatus.EXPIRED)
        self.closed_at = now

    def needs_expiry_warning(self, today: date) -> bool:
        """Warn once, on the last valid day: it expires tomorrow."""
        return (self.is_open and self.valid_until == today
                and self.expiry_warned_on is None)
