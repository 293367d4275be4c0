"""Chat renderings of quotations and orders (HTML, every value escaped)."""
from __future__ import annotations

from collections.abc import Sequence

from bot.formatting import format_money, format_percent
from bot.i18n import _, current_locale
from domain.customer import Customer
from domain.packing_slip import PackingSlip
from domain.quotation import Quotation
from domain.sales_order import SalesOrder
from domain.tax import Totals
from handlers.labels import label
from handlers.pricing import line_price_text  # §2 pricing
from handlers.order_type_buttons import order_type_facts
from handlers.text import day, esc, money, qty


def totals_block(totals: Totals, currency: str) -> list[str]:
    rows = [_("Net: {amount}").format(amount=money(totals.net, currency))]
    for row in totals.tax_rows:
        rows.append(_("Sales tax {percent}: {amount}").format(
            percent=esc(format_percent(row.percent, current_locale())), amount=money(row.tax, currency)))
    rows.append("<b>" + _("Total: {amount}").format(amount=money(totals.gross, currency)) + "</b>")
    return rows


def quotation_text(q: Quotation, customer: Customer, currency: str) -> str:
    head = [_("<b>Quotation {number}</b> · {status}").format(number=esc(q.number), status=esc(label(q.status))),
            _("Customer: {name} ({account})").format(name=esc(customer.name),
                                                     account=esc(customer.account_number)),
            _("Valid until: {date}").format(date=day(q.valid_until))]
    if not q.lines:
        return "\n".join(head + ["", _("No lines yet.")])
    lines = [_("{n}. {item} {name}: {quantity} {unit} × {price} = {amount}").format(
        n=l.line_number, item=esc(l.item_number), name=esc(l.description), quantity=qty(l.quantity),
        unit=esc(l.unit), price=line_price_text(l, currency), amount=money(l.net_amount, currency))
        for l in q.lines]
    return "\n".join(head + [""] + lines + [""] + totals_block(q.totals, currency))


def quotation_button_text(q: Quotation, customer_name: str, currency: str) -> str:
    # Button labels are plain text, not HTML: no escaping, but keep them short.
    return f"{q.number} · {customer_name[:24]} · {format_money(q.totals.gross, currency, current_locale())} · {label(q.status)}"


def order_text(order: SalesOrder, customer: Customer, slips: Sequence[PackingSlip],
               currency: str) -> str:
    head = [_("<b>Sales order {number}</b> · {status}").format(number=esc(order.number),
                                                              status=esc(label(order.status))),
            _("Type: {type}").format(type=esc(label(order.order_type))),
            _("Customer: {name} ({account})").format(name=esc(customer.name),
                                                     account=esc(customer.account_number))]
    head += order_type_facts(order)  # §4 order types: project, subscription period, RMA number
    lines = [_("{n}. {item} {name}: ordered {ordered}, delivered {delivered}, invoiced {invoiced}; "
               "deliver remainder {deliver}, invoice remainder {invoice}").format(
        n=l.line_number, item=esc(l.item_number), name=esc(l.description), ordered=qty(l.quantity),
        delivered=qty(l.delivered), invoiced=qty(l.invoiced), deliver=qty(order.deliver_remainder_of(l)),
        invoice=qty(order.invoice_remainder_of(l))) for l in order.lines]
    slip_rows = [_("Packing slip {number} ({date}): {state}").format(
        number=esc(s.number), date=day(s.posted_on),
        state=esc(_("on invoice {invoice}").format(invoice=s.invoice_number)) if s.is_invoiced
        else esc(_("not invoiced"))) for s in slips]
    return "\n".join(head + [""] + lines + [""] + totals_block(order.totals, currency)
                     + ([""] + slip_rows if slip_rows else []))
