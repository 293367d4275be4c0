"""Sales orders: types, lines with deliver and invoice remainders, and a status derived from them."""
from __future__ import annotations

import calendar
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


# Types whose orders move stock out and can be delivered and invoiced. A Journal is a draft
# (the seed: "no effect on the stock quantities"); a Returned order is received and credited
# instead (domain/returns.py).
DELIVERABLE_TYPES = frozenset({SalesOrderType.SALES_ORDER, SalesOrderType.SUBSCRIPTION,
                               SalesOrderType.ITEM_REQUIREMENTS})
# Subscriptions recur monthly unless another period (in months) is chosen.
DEFAULT_PERIOD_MONTHS = 1
MAX_PROJECT_REFERENCE = 100


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
    agreement_id: int | None = None           # §3: taken from this sales agreement
    requested_ship_date: date | None = None   # §3: must fall in the agreement's validity period
    # §4 order types: Item requirements carry a project; a Subscription its current period;
    # a Returned order its RMA number, reason and the invoice it returns goods from.
    project_reference: str | None = None
    period_months: int | None = None    # a Subscription's period, in months
    period_number: int | None = None    # its current period, from 1
    period_start: date | None = None    # the first day of its first period
    rma_number: str | None = None
    return_reason: str | None = None
    returned_invoice_id: int | None = None

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
        for line, source in zip(lines, quotation.lines):
            line.take_pricing_from(source)  # §2 pricing: the line discount travels with the line
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
        if self.order_type is SalesOrderType.SUBSCRIPTION and self.status is SalesOrderStatus.INVOICED:
            self._start_next_period()

    # -- §4 order types: the type rules, in one place -------------------------------------------

    def check_type_change(self, new_type: SalesOrderType, *, warehouse_management: bool,
                          has_packing_slips: bool, project_reference: str | None = None) -> str | None:
        """Raise if the order may not become `new_type`; return the cleaned project reference.

        The seed: any type can be changed after the order is created, except Item requirements
        once the order is Delivered; Subscription not with warehouse management. Ours: a
        Returned order receives goods, so an order turns into or out of one only before any
        packing slip or receipt is posted (otherwise stock would be counted the wrong way and an
        invoice could be credited twice). `has_packing_slips` is asked of the order's posted slips,
        because a subscription's line counters start again at 0 in every period. A Returned order
        made from an invoice keeps its type: its lines hold that invoice's quantities back from
        other returns (cancel it to give them back).
        """
        new_type = SalesOrderType(new_type)
        if self.status is SalesOrderStatus.CANCELED:
            raise TransitionNotAllowed(N_("Sales order {number} is canceled."), number=self.number)
        if new_type is self.order_type:
            raise InvalidInput(N_("Sales order {number} is already of type {type}."),
                               number=self.number, type=new_type)
        if self.order_type is SalesOrderType.ITEM_REQUIREMENTS and self.status in (
                SalesOrderStatus.DELIVERED, SalesOrderStatus.INVOICED):
            raise TransitionNotAllowed(
                N_("Sales order {number} is of type Item requirements and is delivered: "
                   "its type can no longer be changed."), number=self.number)
        check_subscription_allowed(new_type, warehouse_management)
        if SalesOrderType.RETURNED_ORDER in (new_type, self.order_type) and (
                has_packing_slips or any(l.delivered for l in self.lines)):
            raise TransitionNotAllowed(
                N_("Sales order {number} has deliveries or receipts: it cannot become or stop "
                   "being a returned order."), number=self.number)
        if self.returned_invoice_id is not None:
            raise TransitionNotAllowed(
                N_("Sales order {number} returns goods from an invoice and keeps its type. "
                   "Cancel it if the goods do not come back."), number=self.number)
        if new_type is SalesOrderType.ITEM_REQUIREMENTS:
            return check_project_reference(project_reference)
        return None

    def change_type(self, new_type: SalesOrderType, today: date, *, warehouse_management: bool,
                    has_packing_slips: bool, project_reference: str | None = None,
                    rma_number: str | None = None) -> None:
        """Change the order type (see check_type_change); a Returned order needs its RMA number."""
        new_type = SalesOrderType(new_type)
        reference = self.check_type_change(new_type, warehouse_management=warehouse_management,
                                           has_packing_slips=has_packing_slips,
                                           project_reference=project_reference)
        if new_type is SalesOrderType.RETURNED_ORDER and not (self.rma_number or rma_number):
            raise InvalidInput(N_("A returned order needs an RMA number."))
        self.order_type = new_type
        if reference is not None:
            self.project_reference = reference
        if new_type is SalesOrderType.SUBSCRIPTION:
            self.period_months = self.period_months or DEFAULT_PERIOD_MONTHS
            self.period_number = self.period_number or 1
            self.period_start = self.period_start or today
        if new_type is SalesOrderType.RETURNED_ORDER and not self.rma_number:
            self.rma_number = rma_number
        self.refresh_status()

    def _period_day(self, periods: int) -> date | None:
        # Counted from the subscription's first day, so 31 Jan gives 28 Feb and then 31 Mar.
        if self.period_start is None:
            return None
        return add_months(self.period_start, (self.period_months or DEFAULT_PERIOD_MONTHS) * periods)

    @property
    def current_period_start(self) -> date | None:
        """A subscription's current period starts here (period_start is its first period's day)."""
        return self._period_day((self.period_number or 1) - 1)

    @property
    def next_period_start(self) -> date | None:
        return self._period_day(self.period_number or 1)

    def _start_next_period(self) -> None:
        """The seed: once a subscription is invoiced it is an open order again. Remainders are kept
        per period, so the next period's quantities are due again (0 <= invoiced <= delivered <=
        ordered holds within every period)."""
        self.period_number = (self.period_number or 1) + 1
        for line in self.lines:
            line.delivered = Decimal(0)
            line.invoiced = Decimal(0)
        self.status = SalesOrderStatus.OPEN_ORDER

    def require_receivable(self) -> None:
        """Only a returned order receives goods back (and is credited rather than invoiced)."""
        if self.status is SalesOrderStatus.CANCELED:
            raise TransitionNotAllowed(N_("Sales order {number} is canceled."), number=self.number)
        if self.order_type is not SalesOrderType.RETURNED_ORDER:
            raise TransitionNotAllowed(
                N_("Sales order {number} is not a returned order: nothing to receive or credit."),
                number=self.number)

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
        """The goods shipped come out of what was allocated to the line first: an allocation never
        outlives the remainder it was made for."""
        line = self.check_delivery(line_number, quantity)
        line.delivered += quantity
        line.allocated = min(max(line.allocated - quantity, Decimal(0)), line.deliver_remainder)
        return line

    def record_invoicing(self, line_number: int, quantity: Decimal) -> SalesOrderLine:
        line = self.line(line_number)
        if quantity > line.delivered_not_invoiced:
            raise InvalidInput(
                N_("Line {line}: only {quantity} {unit} delivered and not yet invoiced."),
                line=line_number, quantity=line.delivered_not_invoiced, unit=line.unit)
        line.invoiced += quantity
        return line

    def deliver_remainder_of(self, line: SalesOrderLine) -> Decimal:
        """The seed's deliver remainder of one of its lines: none is left once the order is canceled."""
        return Decimal(0) if self.status is SalesOrderStatus.CANCELED else line.deliver_remainder

    def invoice_remainder_of(self, line: SalesOrderLine) -> Decimal:
        return Decimal(0) if self.status is SalesOrderStatus.CANCELED else line.invoice_remainder

    def cancel(self, now: datetime) -> None:
        if self.status is SalesOrderStatus.CANCELED:  # a second tap on an old Cancel button
            raise TransitionNotAllowed(N_("Sales order {number} is already canceled."),
                                       number=self.number)
        if self.status is not SalesOrderStatus.OPEN_ORDER or any(l.delivered for l in self.lines):
            raise TransitionNotAllowed(
                N_("Sales order {number} has deliveries and can no longer be canceled."),
                number=self.number)
        self.status = SalesOrderStatus.CANCELED
        self.canceled_at = now


def check_subscription_allowed(order_type: SalesOrderType, warehouse_management: bool) -> None:
    """The seed: "You can't use this sales order type if you're using Warehouse management"."""
    if SalesOrderType(order_type) is SalesOrderType.SUBSCRIPTION and warehouse_management:
        raise TransitionNotAllowed(
            N_("Subscriptions cannot be used while warehouse management is on."))


# The types a confirmed quotation can become; a Returned order is made from an invoice (/return).
ENTRY_TYPES = (SalesOrderType.SALES_ORDER, SalesOrderType.JOURNAL, SalesOrderType.SUBSCRIPTION,
               SalesOrderType.ITEM_REQUIREMENTS)


def check_type_at_entry(order_type: SalesOrderType, project_reference: str | None,
                        warehouse_management: bool) -> SalesOrderType:
    """Checked before anything is written, so a refused type leaves the quotation as it was."""
    order_type = SalesOrderType(order_type)
    if order_type not in ENTRY_TYPES:
        raise InvalidInput(N_("A returned order is made from an invoice: use /return."))
    check_subscription_allowed(order_type, warehouse_management)
    if order_type is SalesOrderType.ITEM_REQUIREMENTS:
        check_project_reference(project_reference)
    return order_type


def check_project_reference(reference: str | None) -> str:
    """Item requirements are made for a project: the order carries its reference."""
    cleaned = " ".join((reference or "").split())
    if not cleaned:
        raise InvalidInput(N_("Item requirements need a project reference."))
    if len(cleaned) > MAX_PROJECT_REFERENCE:
        raise InvalidInput(N_("A project reference can be at most {max} characters."),
                           max=MAX_PROJECT_REFERENCE)
    return cleaned


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan -> 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def order_date(order: SalesOrder) -> date:
    return order.created_at.date()
