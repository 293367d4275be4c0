"""Quotation requests in chat (issue 4 §2): the salesperson's card and its buttons."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import _
from domain.customer import Customer
from domain.errors import N_
from domain.quotation_request import QuotationRequest, RequestSource, RequestStatus
from domain.user import User
from handlers.labels import LABELS, label
from handlers.text import esc, qty

# Status and source names, translated like every other status (handlers/labels.py has no place
# of its own for them yet).
LABELS.update({
    RequestStatus.NEW: N_("New"),
    RequestStatus.DRAFTED: N_("Turned into a quotation"),
    RequestStatus.CLOSED: N_("Closed"),
    RequestSource.TELEGRAM: N_("Telegram"),
    RequestSource.EMAIL: N_("E-mail"),
})


class StaffRequest(CallbackData, prefix="qx"):
    action: str  # open / take / draft / close
    request_id: int


def request_text(request: QuotationRequest, customer: Customer, salesperson: User | None) -> str:
    assigned = esc(salesperson.name) if salesperson else _("the shared queue")
    rows = [_("<b>Quotation request {number}</b> · {status}").format(
                number=esc(request.number), status=esc(label(request.status))),
            _("Customer: {name} ({account})").format(name=esc(customer.name),
                                                     account=esc(customer.account_number)),
            _("Received by {source}; for {salesperson}").format(source=esc(label(request.source)),
                                                                salesperson=assigned),
            ""]
    for line in request.lines:
        if line.matched:
            rows.append(_("{n}. {item} × {quantity}").format(n=line.line_number, item=esc(line.text),
                                                             quantity=qty(line.quantity)))
        else:
            rows.append(_("{n}. ⚠ not matched: “{text}” × {quantity}").format(
                n=line.line_number, text=esc(line.text), quantity=qty(line.quantity)))
    if request.note:
        rows += ["", _("Note: {note}").format(note=esc(request.note))]
    return "\n".join(rows)


def request_keyboard(request: QuotationRequest, user: User) -> InlineKeyboardMarkup | None:
    if request.status is not RequestStatus.NEW:
        return None
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=StaffRequest(action=action, request_id=request.id).pack())
    rows = [[b(_("Make quotation draft"), "draft")]]
    if request.in_queue:
        rows[0].append(b(_("Take"), "take"))
    rows.append([b(_("Close request"), "close")])
    return InlineKeyboardMarkup(inline_keyboard=rows)
