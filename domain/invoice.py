"""Customer invoices: posted from a sales order or from chosen packing slips (the seed).

Invoicing always goes by whole packing slips: "from the order" means every packing slip of that
order not yet invoiced, which is exactly what was delivered and not yet invoiced. So a packing slip
is never invoiced twice, whichever way the salesperson chooses.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.errors import N_, InvalidInput
from domain.packing_slip import PackingSlip
from domain.sales_order import SalesOrder
from domain.tax import ItemLine, Totals, totals_of


@dataclass(eq=False)
class InvoiceLine(ItemLine):
    sales_order_id: int
    line_number: int  # the sales order line invoiced
    id: int | None = None


@dataclass(eq=False)
class CustomerInvoice:
    number: str
    customer_id: int
    invoiced_on: date
    salesperson_id: int
    lines: list[InvoiceLine] = field(default_factory=list)
    sales_order_id: int | None = None  # set when all lines come from one order
    id: int | None = None
    # §4: a credit note (for a returned order) names the invoice it credits; its quantities
    # and amounts are negative.
    credit_note_of: str | None = None

    @property
    def totals(self) -> Totals:
        return totals_of(self.lines)

    @property
    def is_credit_note(self) -> bool:
        return self.credit_note_of is not None


@dataclass(frozen=True)
class InvoiceSources:
    """What an invoice covers, for the customer to match it with the deliveries: its sales orders
    and its packing slips with their delivery dates (Dutch rules want the delivery date when it
    differs from the invoice date)."""
    order_numbers: tuple[str, ...] = ()
    packing_slips: tuple[tuple[str, date], ...] = ()  # (number, delivered on)
    # §4: a credit note's returned order's RMA number: the customer identifies the return by it.
    rma_number: str = ""

    @property
    def order_number(self) -> str:
        """The one sales order, or "" when the invoice covers several (or none)."""
        return self.order_numbers[0] if len(self.order_numbers) == 1 else ""


def invoice_lines_for(orders: Mapping[int, SalesOrder],
                      slips: Sequence[PackingSlip]) -> list[InvoiceLine]:
    """What an invoice for these packing slips would hold, one line per order line. Changes nothing."""
    if not slips:
        raise InvalidInput(N_("There is nothing delivered that is not yet invoiced. Post a packing slip first."))
    customers = {s.customer_id for s in slips}
    if len(customers) > 1:
        raise InvalidInput(N_("One invoice covers the packing slips of one customer."))
    for slip in slips:
        if slip.is_invoiced:
            raise InvalidInput(N_("Packing slip {number} is already invoiced."), number=slip.number)
        if sum(s.number == slip.number for s in slips) > 1:
            raise InvalidInput(N_("Packing slip {number} is chosen twice."), number=slip.number)
    quantities: dict[tuple[int, int], Decimal] = {}
    for slip in slips:
        for sl in slip.lines:
            key = (slip.sales_order_id, sl.line_number)
            quantities[key] = quantities.get(key, Decimal(0)) + sl.quantity
    lines = []
    for (order_id, line_number), quantity in sorted(quantities.items()):
        ol = orders[order_id].line(line_number)
        lines.append(InvoiceLine(sales_order_id=order_id, line_number=line_number,
                                 item_number=ol.item_number, description=ol.description,
                                 unit=ol.unit, quantity=quantity, unit_price=ol.unit_price,
                                 tax_percent=ol.tax_percent))
        lines[-1].take_pricing_from(ol)  # §2 pricing: the line discount travels with the line
    return lines


@dataclass(frozen=True)
class ProForma:
    """What a posted invoice would say, before it is posted: no number, nothing changed (the seed)."""
    customer_id: int
    issued_on: date
    lines: tuple  # InvoiceLine or FreeTextLine: anything with net_amount and tax_percent
    order_number: str = ""

    @property
    def totals(self) -> Totals:
        return totals_of(self.lines)


def pro_forma_for(orders: Mapping[int, SalesOrder], slips: Sequence[PackingSlip],
                  today: date) -> ProForma:
    """The customer invoice these packing slips would give, checked as posting would check it.

    Pure: it copies what it needs, posts nothing, draws no number and lowers no remainder.
    """
    for order in orders.values():
        order.require_deliverable()
    lines = invoice_lines_for(orders, slips)
    order_ids = {l.sales_order_id for l in lines}
    order_number = orders[next(iter(order_ids))].number if len(order_ids) == 1 else ""
    return ProForma(customer_id=slips[0].customer_id, issued_on=today, lines=tuple(lines),
                    order_number=order_number)


def post_customer_invoice(orders: Mapping[int, SalesOrder], slips: Sequence[PackingSlip],
                          number: str, today: date) -> CustomerInvoice:
    """Post the invoice: lower each order line's invoice remainder and mark the slips invoiced."""
    for order in orders.values():
        order.require_deliverable()
    lines = invoice_lines_for(orders, slips)
    for line in lines:
        orders[line.sales_order_id].record_invoicing(line.line_number, line.quantity)
    for order in orders.values():
        order.refresh_status()
    for slip in slips:
        slip.invoice_number = number
    order_ids = {l.sales_order_id for l in lines}
    first = orders[next(iter(order_ids))]
    return CustomerInvoice(number=number, customer_id=slips[0].customer_id, invoiced_on=today,
                           salesperson_id=first.salesperson_id, lines=lines,
                           sales_order_id=first.id if len(order_ids) == 1 else None)

