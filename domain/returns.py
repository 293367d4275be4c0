"""Returned orders (the seed's order type with an RMA number): made from a posted invoice,
received back into stock, and credited with a credit note that names the original invoice.

Design:
- Line N of a returned order returns line N of the original invoice (its position in the
  invoice), so "already returned" is the sum of line N over the invoice's returned orders that
  are not canceled, and a return never exceeds what was invoiced minus what was returned before.
- Receiving posts a packing slip of the returned order: on a returned order a packing slip is a
  receipt (quantities positive, stock goes UP), and the line's `delivered` counts what came back.
- Crediting posts a customer invoice from the credit note sequence (CN-...) whose quantities and
  amounts are negative and whose `credit_note_of` is the original invoice's number.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.invoice import CustomerInvoice, InvoiceLine
from domain.item import Item
from domain.money import check_quantity
from domain.packing_slip import PackingSlip, PackingSlipLine
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType

MAX_REASON = 200
# The reasons offered as buttons; anything else can be typed.
COMMON_REASONS = (N_("Damaged"), N_("Wrong item"), N_("No longer needed"), N_("Defective"))


def already_returned(returns: Sequence[SalesOrder]) -> dict[int, Decimal]:
    """Per invoice line (position): what earlier returned orders of the invoice took back."""
    total: dict[int, Decimal] = {}
    for order in returns:
        if order.status is SalesOrderStatus.CANCELED:
            continue
        for line in order.lines:
            total[line.line_number] = total.get(line.line_number, Decimal(0)) + line.quantity
    return total


def returnable(invoice: CustomerInvoice, returned: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Per invoice line (position, from 1): what can still be returned."""
    if invoice.is_credit_note:
        raise InvalidInput(N_("{number} is a credit note; goods are returned from an invoice."),
                           number=invoice.number)
    return {n: line.quantity - returned.get(n, Decimal(0))
            for n, line in enumerate(invoice.lines, start=1)}


def check_reason(reason: str | None) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise InvalidInput(N_("Give a reason for the return."))
    if len(cleaned) > MAX_REASON:
        raise InvalidInput(N_("A return reason can be at most {max} characters."), max=MAX_REASON)
    return cleaned


def check_return_quantities(invoice: CustomerInvoice, returned: Mapping[int, Decimal],
                            quantities: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The positive quantities per invoice line, each within what can still be returned."""
    left = returnable(invoice, returned)
    wanted = {n: check_quantity(q, allow_zero=True) for n, q in quantities.items()}
    wanted = {n: q for n, q in wanted.items() if q > 0}
    if not wanted:
        raise InvalidInput(N_("Enter a quantity above zero for at least one line."))
    for n, quantity in sorted(wanted.items()):
        if n not in left:
            raise NotFound(N_("Line {line} is not on invoice {number}."), line=n, number=invoice.number)
        if quantity > left[n]:
            line = invoice.lines[n - 1]
            raise InvalidInput(
                N_("Line {line}: only {quantity} {unit} of {item} can still be returned from "
                   "invoice {number}, not {wanted}."),
                line=n, quantity=left[n], unit=line.unit, item=line.item_number,
                number=invoice.number, wanted=quantity)
    return wanted


def create_returned_order(invoice: CustomerInvoice, source_orders: Mapping[int, SalesOrder],
                          returns: Sequence[SalesOrder], quantities: Mapping[int, Decimal],
                          reason: str, number: str, rma_number: str, now: datetime) -> SalesOrder:
    """A Returned order for the chosen quantities of the invoice's lines, with an RMA number."""
    wanted = check_return_quantities(invoice, already_returned(returns), quantities)
    reason = check_reason(reason)
    order = SalesOrder(number=number, order_type=SalesOrderType.RETURNED_ORDER,
                       customer_id=invoice.customer_id, salesperson_id=invoice.salesperson_id,
                       created_at=now, rma_number=rma_number, return_reason=reason,
                       returned_invoice_id=invoice.id)
    for n, quantity in sorted(wanted.items()):
        il = invoice.lines[n - 1]
        source = source_orders[il.sales_order_id].line(il.line_number)
        order.lines.append(SalesOrderLine(
            line_number=n, item_id=source.item_id, item_number=il.item_number,
            description=il.description, unit=il.unit, quantity=quantity,
            unit_price=il.unit_price, tax_percent=il.tax_percent))
        order.lines[-1].take_pricing_from(il)  # credited at the price invoiced, its discount included
    return order


def post_receipt(order: SalesOrder, items: Mapping[int, Item], quantities: Mapping[int, Decimal],
                 number: str, today: date) -> PackingSlip:
    """Receive returned goods: check everything first, then raise on-hand stock per line."""
    order.require_receivable()
    wanted = {n: check_quantity(q, allow_zero=True) for n, q in quantities.items()}
    wanted = {n: q for n, q in wanted.items() if q > 0}
    if not wanted:
        raise InvalidInput(N_("Enter a quantity above zero for at least one line."))
    for n, quantity in wanted.items():
        line = order.line(n)
        if quantity > line.deliver_remainder:
            raise InvalidInput(N_("Line {line}: only {remainder} {unit} left to receive, not {quantity}."),
                               line=n, remainder=line.deliver_remainder, unit=line.unit,
                               quantity=quantity)
    slip = PackingSlip(number=number, sales_order_id=order.id, customer_id=order.customer_id,
                       posted_on=today)
    for n, quantity in sorted(wanted.items()):
        line = order.line(n)
        line.delivered += quantity
        item = items[line.item_id]
        item.set_on_hand(item.on_hand + quantity)
        slip.lines.append(PackingSlipLine(line_number=n, item_number=line.item_number,
                                          description=line.description, unit=line.unit,
                                          quantity=quantity))
    order.refresh_status()
    return slip


def credit_note_lines(order: SalesOrder, slips: Sequence[PackingSlip]) -> list[InvoiceLine]:
    """Negative invoice lines for what the receipts brought back and is not yet credited."""
    order.require_receivable()
    open_slips = [s for s in slips if not s.is_invoiced]
    if not open_slips:
        raise InvalidInput(N_("Nothing is received that is not yet credited. Receive the goods first."))
    quantities: dict[int, Decimal] = {}
    for slip in open_slips:
        for sl in slip.lines:
            quantities[sl.line_number] = quantities.get(sl.line_number, Decimal(0)) + sl.quantity
    lines = []
    for n, quantity in sorted(quantities.items()):
        ol = order.line(n)
        lines.append(InvoiceLine(sales_order_id=order.id, line_number=n, item_number=ol.item_number,
                                 description=ol.description, unit=ol.unit, quantity=-quantity,
                                 unit_price=ol.unit_price, tax_percent=ol.tax_percent))
        lines[-1].take_pricing_from(ol)  # the discount the customer got is taken back with the goods
    return lines


def post_credit_note(order: SalesOrder, slips: Sequence[PackingSlip], original_invoice_number: str,
                     number: str, today: date) -> CustomerInvoice:
    """Credit everything received and not yet credited; the order's invoice remainder goes down."""
    lines = credit_note_lines(order, slips)
    for line in lines:
        ol = order.line(line.line_number)
        if -line.quantity > ol.delivered_not_invoiced:
            raise TransitionNotAllowed(N_("Line {line}: only {quantity} {unit} received and not yet credited."),
                                       line=line.line_number, quantity=ol.delivered_not_invoiced,
                                       unit=ol.unit)
    for line in lines:
        order.line(line.line_number).invoiced += -line.quantity
    order.refresh_status()
    for slip in slips:
        if not slip.is_invoiced:
            slip.invoice_number = number
    return CustomerInvoice(number=number, customer_id=order.customer_id, invoiced_on=today,
                           salesperson_id=order.salesperson_id, lines=lines,
                           sales_order_id=order.id, credit_note_of=original_invoice_number)
