"""Sales orders: types, lines with deliver and invoice remainders, and a status derived from them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.quotation import Quotation, QuotationStatus
from domain.tax import ItemLine, Totals, totals_of


class SalesOrderType(StrEnum):
    JOURNAL = "journal"
    SUBSCRIPTION = "subscription"
    SALES_ORDER = "sales_order"
    RETURNED_ORDER = "returned_order"
    ITEM_REQUIREMENTS = "item_requirements"


class SalesOrderStatus(StrEnum):
    OPEN_ORDER = "open_order"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    CANCELED = "canceled"


# Types whose orders move stock and can be delivered and invoiced. A Journal is a draft
# (the seed: "no effect on the stock quantities"); the other types arrive with later issues.
DELIVERABLE_TYPES = frozenset({SalesOrderType.SALES_ORDER})


@dataclass(eq=False)
class SalesOrderLine(ItemLine):
    line_number: int
    item_id: int
    delivered: Decimal = Decimal(0)
    invoiced: Decimal = Decimal(0)
    id: int | None = None
    # §7 backorders: the date promised to the customer, stock set aside by allocation, and a
    # priority a salesperson can raise (higher is served first).
    confirmed_delivery_date: date | None = None
    allocated: Decimal = Decimal(0)
    priority: int = 0

    @property
    def deliver_remainder(self) -> Decimal:
        return self.quantity - self.delivered

    @property
    def invoice_remainder(self) -> Decimal:
        return self.quantity - self.invoiced

    @property
    def delivered_not_invoiced(self) -> Decimal:
        return self.delivered - self.invoiced


@dataclass(eq=False)
class SalesOrder:
    number: str
    order_type: SalesOrderType
    customer_id: int
    salesperson_id: int
    created_at: datetime
    status: SalesOrderStatus = SalesOrderStatus.OPEN_ORDER
    lines: list[SalesOrderLine] = field(default_factory=list)
    quotation_id: int | None = None
    canceled_at: datetime | None = None
    id: int | None = None
    version: int = 1

    @classmethod
    def from_quotation(cls, quotation: Quotation, number: str, now: datetime) -> SalesOrder:
        if quotation.status is not QuotationStatus.CONFIRMED:
            raise TransitionNotAllowed(
                N_("Quotation {number} is {status}; only a confirmed quotation becomes an order."),
                number=quotation.number, status=quotation.status)
        lines = [SalesOrderLine(
            line_number=l.line_number, item_id=l.item_id, item_number=l.item_number,
            description=l.description, unit=l.unit, quantity=l.quantity,
            unit_price=l.unit_price, tax_percent=l.tax_percent) for l in quotation.lines]
        return cls(number=number, order_type=SalesOrderType.SALES_ORDER,
                   customer_id=quotation.customer_id, salesperson_id=quotation.salesperson_id,
                   created_at=now, lines=lines, quotation_id=quotation.id)

    def line(self, line_number: int) -> SalesOrderLine:
        for line in self.lines:
            if line.line_number == line_number:
                return line
        raise NotFound(N_("Line {line} is not on sales order {number}."),
                       line=line_number, number=self.number)

    @property
    def totals(self) -> Totals:
        return totals_of(self.lines)

    @property
    def is_open(self) -> bool:
        return self.status is SalesOrderStatus.OPEN_ORDER

    def derived_status(self) -> SalesOrderStatus:
        """The seed: Invoiced once both remainders are 0 on every line; Delivered once all is delivered."""
        if self.status is SalesOrderStatus.CANCELED or not self.lines:
            return self.status
        if all(l.deliver_remainder == 0 and l.invoice_remainder == 0 for l in self.lines):
            return SalesOrderStatus.INVOICED
        if all(l.deliver_remainder == 0 for l in self.lines):
            return SalesOrderStatus.DELIVERED
        return SalesOrderStatus.OPEN_ORDER

    def refresh_status(self) -> None:
        """The one place the stored status is kept in step with the lines."""
        self.status = self.derived_status()

    def require_deliverable(self) -> None:
        if self.status is SalesOrderStatus.CANCELED:
            raise TransitionNotAllowed(N_("Sales order {number} is canceled."), number=self.number)
        if self.order_type not in DELIVERABLE_TYPES:
            raise TransitionNotAllowed(
                N_("Sales order {number} is of type {type} and cannot be delivered or invoiced."),
                number=self.number, type=self.order_type)

    def check_delivery(self, line_number: int, quantity: Decimal) -> SalesOrderLine:
        """The line, if `quantity` fits in its deliver remainder; changes nothing."""
        line = self.line(line_number)
        if quantity > line.deliver_remainder:
            raise InvalidInput(
                N_("Line {line}: only {remainder} {unit} left to deliver, not {quantity}."),
                line=line_number, remainder=line.deliver_remainder, unit=line.unit,
                quantity=quantity)
        return line

    def record_delivery(self, line_number: int, quantity: Decimal) -> SalesOrderLine:
        line = self.check_delivery(line_number, quantity)
        line.delivered += quantity
        return line

    def record_invoicing(self, line_number: int, quantity: Decimal) -> SalesOrderLine:
        line = self.line(line_number)
        if quantity > line.delivered_not_invoiced:
            raise InvalidInput(
                N_("Line {line}: only {quantity} {unit} delivered and not yet invoiced."),
                line=line_number, quantity=line.delivered_not_invoiced, unit=line.unit)
        line.invoiced += quantity
        return line

    def cancel(self, now: datetime) -> None:
        if self.status is not SalesOrderStatus.OPEN_ORDER or any(l.delivered for l in self.lines):
            raise TransitionNotAllowed(
                N_("Sales order {number} has deliveries and can no longer be canceled."),
                number=self.number)
        self.status = SalesOrderStatus.CANCELED
        self.canceled_at = now


def order_date(order: SalesOrder) -> date:
    return order.created_at.date()
