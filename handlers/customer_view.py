"""Issue 4 §5: a linked customer's own quotations, orders, invoices and backorders.

Buttons carry ids only; the service checks every one against the caller's own customer.
"""
from __future__ import annotations

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button,
                           InlineKeyboardMarkup, Message)

from bot.formatting import format_date, format_money
from bot.i18n import _, current_locale
from domain.free_text_invoice import FreeTextInvoice
from domain.quotation_answer import is_answerable
from domain.sales_order import SalesOrder, order_date
from domain.services import customer_view as view
from domain.user import User
from handlers.deps import Deps
from handlers.labels import label
from handlers.quotation_answers import answer_keyboard
from handlers.render import quotation_text, totals_block
from handlers.routes import Routes
from handlers.text import day, esc, qty

routes = Routes("customer_view")


def customer_greeting(user: User) -> str:
    return _("Hello {name}! Here you can request a quote and follow your quotations, orders and "
             "invoices:").format(name=esc(user.name))


class MyQuotation(CallbackData, prefix="mq"):
    action: str  # open / pdf
    quotation_id: int


class MyOrder(CallbackData, prefix="mo"):
    order_id: int


class MyInvoice(CallbackData, prefix="mi"):
    kind: str  # view.InvoiceKind: o (from orders) / f (free text)
    invoice_id: int


def _short_date(value) -> str:
    return format_date(value, current_locale())


def _keyboard(rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[Button(text=text, callback_data=data)] for text, data in rows])


@routes.message(Command("myquotes"))
async def my_quotations(message: Message, user: User, deps: Deps) -> None:
    found = await view.my_quotations(deps.uow(), user)
    if not found:
        await message.answer(_("You have no quotations from us yet."))
        return
    loc = current_locale()
    rows = [(f"{q.number} · {format_money(q.totals.gross, deps.currency, loc)} · {label(q.status)} · "
             + _("valid until {date}").format(date=_short_date(q.valid_until)),
             MyQuotation(action="open", quotation_id=q.id).pack()) for q in found]
    await message.answer(_("Your quotations:"), reply_markup=_keyboard(rows))


@routes.callback_query(MyQuotation.filter())
async def my_quotation(query: CallbackQuery, callback_data: MyQuotation, user: User, deps: Deps) -> None:
    q, customer = await view.my_quotation(deps.uow(), user, callback_data.quotation_id)
    await query.answer()
    if callback_data.action == "pdf":
        pdf = await deps.documents.quotation_pdf_async(q, customer, current_locale())
        await query.message.answer_document(BufferedInputFile(pdf, filename=f"{q.number}.pdf"))
        return
    pdf = [Button(text=_("PDF"), callback_data=MyQuotation(action="pdf", quotation_id=q.id).pack())]
    # A quotation still open gets its answer buttons here too: a customer who linked Telegram after
    # it was sent never had it delivered to this chat.
    rows = answer_keyboard(q.id).inline_keyboard if is_answerable(q, deps.clock.today()) else []
    await query.message.answer(quotation_text(q, customer, deps.currency),
                               reply_markup=InlineKeyboardMarkup(inline_keyboard=[*rows, pdf]))


@routes.message(Command("myorders"))
async def my_orders(message: Message, user: User, deps: Deps) -> None:
    found = await view.my_orders(deps.uow(), user)
    if not found:
        await message.answer(_("You have no orders with us yet."))
        return
    rows = [(f"{o.number} · {_short_date(order_date(o))} · {label(o.status)}", MyOrder(order_id=o.id).pack())
            for o in found]
    await message.answer(_("Your orders:"), reply_markup=_keyboard(rows))


def customer_order_text(order: SalesOrder, currency: str) -> str:
    head = [_("<b>Sales order {number}</b> · {status}").format(number=esc(order.number),
                                                              status=esc(label(order.status))),
            _("Order date: {date}").format(date=day(order_date(order)))]
    lines = [_("{n}. {item} {name}: ordered {ordered} {unit}, delivered {delivered}, still to deliver "
               "{remaining}").format(
        n=l.line_number, item=esc(l.item_number), name=esc(l.description), ordered=qty(l.quantity),
        unit=esc(l.unit), delivered=qty(l.delivered), remaining=qty(order.deliver_remainder_of(l)))
        for l in order.lines]
    return "\n".join(head + [""] + lines + [""] + totals_block(order.totals, currency))


@routes.callback_query(MyOrder.filter())
async def my_order(query: CallbackQuery, callback_data: MyOrder, user: User, deps: Deps) -> None:
    order, _customer = await view.my_order(deps.uow(), user, callback_data.order_id)
    await query.answer()
    await query.message.answer(customer_order_text(order, deps.currency))


@routes.message(Command("myinvoices"))
async def my_invoices(message: Message, user: User, deps: Deps) -> None:
    found = await view.my_invoices(deps.uow(), user)
    if not found:
        await message.answer(_("You have no invoices from us yet."))
        return
    loc = current_locale()
    rows = [(f"{i.number} · {_short_date(i.invoiced_on)} · {format_money(i.gross, deps.currency, loc)}",
             MyInvoice(kind=i.kind, invoice_id=i.id).pack()) for i in found]
    await message.answer(_("Your invoices (tap one for the PDF):"), reply_markup=_keyboard(rows))


@routes.callback_query(MyInvoice.filter())
async def my_invoice_pdf(query: CallbackQuery, callback_data: MyInvoice, user: User, deps: Deps) -> None:
    invoice, customer, sources = await view.my_invoice(deps.uow(), user, callback_data.kind,
                                                            callback_data.invoice_id)
    await query.answer()
    if isinstance(invoice, FreeTextInvoice):
        pdf = await deps.documents.free_text_invoice_pdf_async(invoice, customer, current_locale())
    else:
        pdf = await deps.documents.invoice_pdf_async(invoice, customer, sources, current_locale())
    await query.message.answer_document(BufferedInputFile(pdf, filename=f"{invoice.number}.pdf"))


@routes.message(Command("mybackorders"))
async def my_backorders(message: Message, user: User, deps: Deps) -> None:
    rows = await view.my_backorders(deps.uow(), user)
    if not rows:
        await message.answer(_("Nothing is waiting to be delivered: every order line is delivered."))
        return
    text = [_("Still to be delivered:")]
    for r in rows:
        line = r.line
        expected = (_("expected {date}").format(date=day(r.expected_on)) if r.expected_on
                    else _("ordered {date}").format(date=day(r.ordered_on)))
        text.append(_("{order} · {item} {name}: {remaining} of {ordered} {unit} ({expected})").format(
            order=esc(r.order_number), item=esc(line.item_number), name=esc(line.description),
            remaining=qty(line.deliver_remainder), ordered=qty(line.quantity), unit=esc(line.unit),
            expected=expected))
    await message.answer("\n".join(text))
