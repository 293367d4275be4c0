"""Chat rendering of a sales agreement with what is fulfilled and what remains (HTML, escaped)."""
from __future__ import annotations

from decimal import Decimal

from bot.formatting import format_percent
from bot.i18n import _, current_locale
from domain.errors import N_
from domain.sales_agreement import AgreementLine, AgreementStatus, CommitmentType, SalesAgreement
from domain.services.sales_agreements import AgreementView
from handlers.labels import LABELS, label
from handlers.text import day, esc, money, qty

# Added to the shared labels, so statuses in chat and in error messages are translated too.
LABELS.update({
    AgreementStatus.ON_HOLD: N_("On hold"),
    AgreementStatus.EFFECTIVE: N_("Effective"),
    AgreementStatus.CLOSED: N_("Closed"),
    CommitmentType.PRODUCT_QUANTITY: N_("Product quantity"),
    CommitmentType.PRODUCT_VALUE: N_("Product value"),
    CommitmentType.TOTAL_VALUE: N_("Total value"),
})


def _terms(line: AgreementLine, currency: str) -> str:
    if line.agreed_price is not None:
        return _("agreed price {price}").format(price=money(line.agreed_price, currency))
    return _("{percent} discount").format(
        percent=esc(format_percent(line.discount_percent, current_locale())))


def _amount(value: Decimal, commitment: CommitmentType, unit: str, currency: str) -> str:
    if commitment is CommitmentType.PRODUCT_QUANTITY:
        return f"{qty(value)} {esc(unit)}"
    return money(value, currency)


def agreement_head(a: SalesAgreement, customer_name: str, account: str, currency: str) -> list[str]:
    head = [_("<b>Sales agreement {number}</b> · {status}").format(number=esc(a.number),
                                                                  status=esc(label(a.status))),
            _("Customer: {name} ({account})").format(name=esc(customer_name), account=esc(account)),
            _("Commitment: {type}").format(type=esc(label(a.commitment_type))),
            _("Valid from {start} to {end}").format(start=day(a.valid_from), end=day(a.valid_to))]
    if a.committed_total is not None:
        head.append(_("Committed total: {amount}").format(amount=money(a.committed_total, currency)))
    return head


def agreement_text(view: AgreementView, currency: str) -> str:
    a, f = view.agreement, view.fulfilment
    head = agreement_head(a, view.customer.name, view.customer.account_number, currency)
    if not a.lines:
        return "\n".join(head + ["", _("No lines yet.")])
    rows = []
    for r in f.lines:
        l = r.line
        row = _("{n}. {item} {name}: {terms}").format(
            n=l.line_number, item=esc(l.item_number), name=esc(l.description), terms=_terms(l, currency))
        if l.committed is not None:
            row += "; " + _("committed {amount}").format(
                amount=_amount(l.committed, a.commitment_type, l.unit, currency))
        row += "; " + _("ordered {quantity} {unit} ({amount})").format(
            quantity=qty(r.ordered_quantity), unit=esc(l.unit), amount=money(r.ordered_value, currency))
        if r.remaining is not None:
            row += "; " + _("remaining {amount}").format(
                amount=_amount(r.remaining, a.commitment_type, l.unit, currency))
        rows.append(row)
    if a.commitment_type is CommitmentType.PRODUCT_QUANTITY:
        summary = _("Fulfilled: {fulfilled} of {committed} units committed; remaining {remaining}.").format(
            fulfilled=qty(f.fulfilled), committed=qty(f.committed), remaining=qty(f.remaining))
    else:
        summary = _("Fulfilled: {fulfilled} of {committed} committed; remaining {remaining}.").format(
            fulfilled=money(f.fulfilled, currency), committed=money(f.committed, currency),
            remaining=money(f.remaining, currency))
    summary = "<b>" + summary + "</b>"
    orders = ""
    if view.orders:
        orders = "\n" + _("Orders taken: {orders}").format(orders=", ".join(
            f"{esc(o.number)} ({esc(label(o.status))})" for o in view.orders))
    total = _("Ordered in total: {amount}").format(amount=money(f.ordered_value, currency))
    return "\n".join(head + [""] + rows + ["", total, summary]) + orders
