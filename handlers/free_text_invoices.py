"""/freetext: a free text invoice (no sales order): pick a customer, type lines, pro forma, post."""
from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button,
                           InlineKeyboardMarkup, Message)

from bot.i18n import _
from domain.customer import Customer
from domain.free_text_invoice import FreeTextInvoice
from domain.services import free_text_invoices as fti
from domain.user import Permission, User
from handlers.callbacks import CustomerPick, FreeTextAction, FreeTextLinePick
from handlers.customer_search import answer_customer_search
from handlers.free_text_drafts import draft_rows, drafts_keyboard
from handlers.deps import Deps
from handlers.pro_forma import answer_pro_forma
from handlers.labels import label
from handlers.render import totals_block
from handlers.routes import Routes
from handlers.text import esc, money
from handlers.filters import TYPED
from handlers.line_picker import ask_which_line

routes = Routes("free_text_invoices")


class FreeTextEntry(StatesGroup):
    customer = State()
    lines = State()


def _b(text: str, action: str, invoice: FreeTextInvoice) -> Button:
    return Button(text=text, callback_data=FreeTextAction(action=action, invoice_id=invoice.id).pack())


def draft_text(invoice: FreeTextInvoice, customer: Customer, currency: str) -> str:
    head = [_("<b>Free text invoice {number}</b> · {status}").format(
                number=esc(invoice.label), status=esc(label(invoice.status))),
            _("Customer: {name} ({account})").format(name=esc(customer.name),
                                                     account=esc(customer.account_number)),
            _("Posting profile: {code}").format(code=esc(invoice.posting_profile))]
    if not invoice.lines:
        return "\n".join(head + ["", _("No lines yet.")])
    lines = [_("{n}. main account {account} · {description}: {amount} (sales tax {percent}%)").format(
        n=l.line_number, account=esc(l.main_account), description=esc(l.description),
        amount=money(l.amount, currency), percent=esc(l.tax_percent.normalize())) for l in invoice.lines]
    return "\n".join(head + [""] + lines + [""] + totals_block(invoice.totals, currency))


def draft_keyboard(invoice: FreeTextInvoice) -> InlineKeyboardMarkup | None:
    if not invoice.lines:
        return InlineKeyboardMarkup(inline_keyboard=draft_rows(invoice))
    return InlineKeyboardMarkup(inline_keyboard=[
        [_b(_("Remove a line"), "remove", invoice)],
        [_b(_("Pro forma"), "pro_forma", invoice), _b(_("Post"), "post", invoice)]] + draft_rows(invoice))


async def show_draft(message: Message, deps: Deps, invoice: FreeTextInvoice, state: FSMContext) -> None:
    await state.set_state(FreeTextEntry.lines)
    await state.update_data(free_text_invoice_id=invoice.id)
    customer = await deps.customer(invoice.customer_id)
    await message.answer(
        draft_text(invoice, customer, deps.currency) + "\n\n"
        + _("Add a line by typing the main account, the amount, the sales tax % and a description, "
            "e.g. <code>8000 250 21 Consulting November</code>."),
        reply_markup=draft_keyboard(invoice))


@routes.message(Command("freetext"))
async def new_free_text_invoice(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    user.require(Permission.INVOICE)
    await state.clear()
    await state.set_state(FreeTextEntry.customer)
    ask = _("Free text invoice. Which customer? Type an account number or part of the name.")
    unposted = await drafts_keyboard(deps, user)  # drafts outlive the conversation that started them
    if unposted:
        ask = _("Your free text invoice drafts are below: tap one to continue it.") + "\n\n" + ask
    await message.answer(ask, reply_markup=unposted)


@routes.message(FreeTextEntry.customer, TYPED)
async def customer_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await answer_customer_search(message, deps, lambda customer_id: _start(message, user, state, deps, customer_id))


@routes.callback_query(FreeTextEntry.customer, CustomerPick.filter())
async def customer_picked(query: CallbackQuery, callback_data: CustomerPick, user: User,
                          state: FSMContext, deps: Deps) -> None:
    await query.answer()
    await _start(query.message, user, state, deps, callback_data.customer_id)


async def _start(message: Message, user: User, state: FSMContext, deps: Deps, customer_id: int) -> None:
    invoice = await fti.start_free_text_invoice(deps.uow(), deps.clock, user, customer_id)
    await show_draft(message, deps, invoice, state)


@routes.message(FreeTextEntry.lines, TYPED)
async def line_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    invoice_id = (await state.get_data())["free_text_invoice_id"]
    invoice = await fti.enter_line(deps.uow(), user, invoice_id, message.text)
    await show_draft(message, deps, invoice, state)


@routes.callback_query(FreeTextAction.filter(F.action == "remove"))
async def pick_line(query: CallbackQuery, callback_data: FreeTextAction, user: User, deps: Deps) -> None:
    invoice = await fti.get_free_text_invoice(deps.uow(), user, callback_data.invoice_id)
    await ask_which_line(query, [
        (l.line_number, f"{l.line_number}. {l.main_account} · {l.description}"[:60],
         FreeTextLinePick(invoice_id=invoice.id, line_number=l.line_number).pack())
        for l in invoice.lines])


@routes.callback_query(FreeTextLinePick.filter())
async def remove_line(query: CallbackQuery, callback_data: FreeTextLinePick, user: User,
                      state: FSMContext, deps: Deps) -> None:
    invoice = await fti.remove_line(deps.uow(), user, callback_data.invoice_id, callback_data.line_number)
    await query.answer(_("Line removed."))
    await show_draft(query.message, deps, invoice, state)


@routes.callback_query(FreeTextAction.filter(F.action == "pro_forma"))
async def pro_forma(query: CallbackQuery, callback_data: FreeTextAction, user: User, deps: Deps) -> None:
    document = await fti.pro_forma_for_free_text_invoice(deps.uow(), deps.clock, user, callback_data.invoice_id)
    await answer_pro_forma(query, deps, document, str(callback_data.invoice_id))


@routes.callback_query(FreeTextAction.filter(F.action == "post"))
async def post(query: CallbackQuery, callback_data: FreeTextAction, user: User,
               state: FSMContext, deps: Deps) -> None:
    invoice = await fti.post_free_text_invoice(deps.uow(), deps.clock, user, callback_data.invoice_id)
    deps.mail_queued()
    await state.clear()
    await query.answer(_("Invoiced."))
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    customer = await deps.customer(invoice.customer_id)
    await query.message.answer(
        _("Free text invoice {number} is posted: {total}. It is e-mailed to {email}.").format(
            number=esc(invoice.number), total=money(invoice.totals.gross, deps.currency),
            email=esc(customer.email)),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[_b(_("PDF"), "pdf", invoice)]]))


@routes.callback_query(FreeTextAction.filter(F.action == "pdf"))
async def send_pdf(query: CallbackQuery, callback_data: FreeTextAction, user: User, deps: Deps) -> None:
    invoice = await fti.get_free_text_invoice(deps.uow(), user, callback_data.invoice_id)
    if invoice.is_draft:
        await query.answer(_("This free text invoice is not posted yet."), show_alert=True)
        return
    customer = await deps.customer(invoice.customer_id)
    await query.answer()
    pdf = await deps.documents.free_text_invoice_pdf_async(invoice, customer, customer.language)
    await query.message.answer_document(BufferedInputFile(pdf, filename=f"{invoice.number}.pdf"))


@routes.message(StateFilter(FreeTextEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))
