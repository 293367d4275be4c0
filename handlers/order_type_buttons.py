"""§4 order types: callback data, buttons and the type facts shown on an order.

Kept apart from the handlers (handlers/order_types.py) so /quotes and /orders can add these
buttons without importing the handlers that import them back.
"""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton as Button

from bot.i18n import _
from domain.sales_order import SalesOrder, SalesOrderStatus, SalesOrderType
from handlers.labels import label
from handlers.text import day, esc


class TypeMenu(CallbackData, prefix="tm"):
    """Show the order types to choose from: for a quotation to confirm (q) or an order (o)."""
    target: str
    doc_id: int


class TypeChoice(CallbackData, prefix="ty"):
    target: str  # q: confirm the quotation as this type; o: change the order to it
    doc_id: int
    order_type: str


class ReturnAction(CallbackData, prefix="xr"):
    action: str  # inv (invoice picked) / all (return all) / why (reason) / rcv (receive) / rca (receive all)
    # / crd (credit)
    ref: int     # the invoice id, or the returned order's id
    value: int = 0


def confirm_as_row(quotation_id: int) -> list[Button]:
    return [Button(text=_("Other order type"),
                   callback_data=TypeMenu(target="q", doc_id=quotation_id).pack())]


def order_type_rows(order: SalesOrder) -> list[list[Button]]:
    """What §4 adds to an order's buttons: Receive and Credit note on a returned order, and
    Change type on any order that is not canceled."""
    rows: list[list[Button]] = []
    if order.status is SalesOrderStatus.CANCELED:
        return rows
    if order.order_type is SalesOrderType.RETURNED_ORDER:
        row = []
        if order.status is SalesOrderStatus.OPEN_ORDER:
            row.append(Button(text=_("Receive"),
                              callback_data=ReturnAction(action="rcv", ref=order.id).pack()))
        if any(l.delivered_not_invoiced for l in order.lines):
            row.append(Button(text=_("Credit note"),
                              callback_data=ReturnAction(action="crd", ref=order.id).pack()))
        if row:
            rows.append(row)
    rows.append([Button(text=_("Change type"), callback_data=TypeMenu(target="o", doc_id=order.id).pack())])
    return rows


def order_type_facts(order: SalesOrder) -> list[str]:
    """The type's own facts, as chat lines (HTML, escaped)."""
    facts = []
    if order.project_reference:
        facts.append(_("Project: {reference}").format(reference=esc(order.project_reference)))
    if order.order_type is SalesOrderType.SUBSCRIPTION and order.period_start:
        facts.append(_("Subscription period {period}: every {months} month(s), this period from {start}, "
                       "next from {next}").format(period=order.period_number or 1,
                                                  months=order.period_months or 1,
                                                  start=day(order.current_period_start),
                                                  next=day(order.next_period_start)))
    if order.rma_number:
        facts.append(_("RMA number: {rma}").format(rma=esc(order.rma_number)))
    if order.return_reason:
        facts.append(_("Return reason: {reason}").format(reason=esc(order.return_reason)))
    return facts


def type_buttons(target: str, doc_id: int, types) -> list[list[Button]]:
    return [[Button(text=label(t), callback_data=TypeChoice(target=target, doc_id=doc_id,
                                                          order_type=t.value).pack())] for t in types]
