"""/invoicing: the month's run. Choose a month, see one invoice per customer (packing slips, orders,
totals), pro forma any of them, post one customer or all; each posted invoice is e-mailed."""
from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.invoicing import Month
from domain.services import invoicing
from domain.services.invoicing import CustomerMonth
from domain.user import Permission, User
from handlers.callbacks import InvoicePdf
from handlers.deps import Deps
from handlers.invoice_slips import choose_button
from handlers.pro_forma import answer_pro_forma
from handlers.routes import Routes
from handlers.text import error_text, esc, money
from handlers.filters import TYPED

routes = Routes("invoicing")
PREVIEW_LIMIT = 15  # customers shown one by one; Post all covers the rest too
SLIPS_SHOWN = 8     # per customer; the pro forma lists every line
TEXT_BUDGET = 3500  # Telegram takes 4096 characters per message


class MonthPick(CallbackData, prefix="im"):
    month: int  # 202610


class MonthAction(CallbackData, prefix="iv"):
    action: str  # pro_forma / post / all
    month: int
    customer_id: int = 0


class InvoicingMonth(StatesGroup):
    month = State()


def _month_buttons(today_month: Month) -> InlineKeyboardMarkup:
    this, last = today_month, today_month.previous()
    return InlineKeyboardMarkup(inline_keyboard=[[
        Button(text=_("This month ({month})").format(month=this), callback_data=MonthPick(month=this.key).pack()),
        Button(text=_("Last month ({month})").format(month=last), callback_data=MonthPick(month=last.key).pack())]])


@routes.message(Command("invoicing"))
async def start(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    user.require(Permission.INVOICE)
    await state.clear()
    await state.set_state(InvoicingMonth.month)
    await message.answer(
        _("Invoice a month's deliveries: one invoice per customer, covering all their packing slips "
          "of that month not yet invoiced, across orders. Which month? Tap one or type it, e.g. "
          "<code>2026-10</code>."), reply_markup=_month_buttons(Month.of(deps.clock.today())))


@routes.message(InvoicingMonth.month, TYPED)
async def month_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    month = Month.parse(message.text)
    await state.clear()
    await _preview(message, user, deps, month)


@routes.callback_query(MonthPick.filter())
async def month_picked(query: CallbackQuery, callback_data: MonthPick, user: User, state: FSMContext,
                       deps: Deps) -> None:
    await state.clear()
    await query.answer()
    await _preview(query.message, user, deps, Month.from_key(callback_data.month))


def _customer_block(p: CustomerMonth, currency: str) -> str:
    rows = [_("<b>{name}</b> ({account})").format(name=esc(p.customer.name), account=esc(p.customer.account_number)),
            _("Packing slips: {slips}").format(slips=esc(", ".join(
                [f"{s.number} ({s.posted_on.isoformat()})" for s in p.slips[:SLIPS_SHOWN]]
                + ([f"+{len(p.slips) - SLIPS_SHOWN}"] if len(p.slips) > SLIPS_SHOWN else [])))),
            _("Orders: {orders}").format(orders=esc(", ".join(p.order_numbers))),
            _("Net {net} · total {gross}").format(net=money(p.totals.net, currency),
                                                  gross=money(p.totals.gross, currency))]
    if p.others_orders:
        rows.append("⚠️ " + _("Also has deliveries on another salesperson's orders: a manager posts this invoice."))
    return "\n".join(rows)


async def _preview(message: Message, user: User, deps: Deps, month: Month) -> None:
    previews = await invoicing.month_preview(deps.uow(), user, month)
    shown, blocks = [], []
    for p in previews[:PREVIEW_LIMIT]:
        block = _customer_block(p, deps.currency)
        if blocks and sum(len(b) + 2 for b in blocks) + len(block) > TEXT_BUDGET:
            break
        shown.append(p)
        blocks.append(block)
    text = [_("<b>Invoices for {month}</b>: {count} customer(s), one invoice each.").format(
        month=esc(month), count=len(previews)), "", "\n\n".join(blocks)]
    if len(previews) > len(shown):
        text += ["", _("And {count} more customer(s): Post all covers them too.").format(
            count=len(previews) - len(shown))]
    rows = [[Button(text=_("Pro forma {account}").format(account=p.customer.account_number),
                    callback_data=MonthAction(action="pro_forma", month=month.key, customer_id=p.customer.id).pack()),
             Button(text=_("Post {account}").format(account=p.customer.account_number),
                    callback_data=MonthAction(action="post", month=month.key, customer_id=p.customer.id).pack()),
             choose_button(p.customer.id, p.customer.account_number)]
            for p in shown if p.may_post]
    if any(p.may_post for p in previews):
        rows.append([Button(text=_("Post all"), callback_data=MonthAction(action="all", month=month.key).pack())])
    await message.answer("\n".join(text), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None)


@routes.callback_query(MonthAction.filter(F.action == "pro_forma"))
async def pro_forma(query: CallbackQuery, callback_data: MonthAction, user: User, deps: Deps) -> None:
    month = Month.from_key(callback_data.month)
    document = await invoicing.pro_forma_for_customer_month(deps.uow(), deps.clock, user,
                                                            callback_data.customer_id, month)
    customer = await deps.customer(callback_data.customer_id)
    await answer_pro_forma(query, deps, document, f"{customer.account_number}-{month}")


def _pdf_button(invoice_id: int, text: str) -> Button:
    return Button(text=text, callback_data=InvoicePdf(invoice_id=invoice_id).pack())


@routes.callback_query(MonthAction.filter(F.action == "post"))
async def post_one(query: CallbackQuery, callback_data: MonthAction, user: User, deps: Deps) -> None:
    month = Month.from_key(callback_data.month)
    invoice = await invoicing.invoice_customer_month(deps.uow(), deps.clock, user, callback_data.customer_id, month)
    deps.mail_queued()
    customer = await deps.customer(invoice.customer_id)
    await query.answer(_("Invoiced."))
    await query.message.answer(
        _("Invoice {number} for {customer} ({month}) is posted: {total}. It is e-mailed to {email}.").format(
            number=esc(invoice.number), customer=esc(customer.name), month=esc(month),
            total=money(invoice.totals.gross, deps.currency), email=esc(customer.email)),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[_pdf_button(invoice.id, _("PDF"))]]))


@routes.callback_query(MonthAction.filter(F.action == "all"))
async def post_all(query: CallbackQuery, callback_data: MonthAction, user: User, deps: Deps) -> None:
    month = Month.from_key(callback_data.month)
    run = await invoicing.invoice_month(deps.uow, deps.clock, user, month)
    if run.posted:
        deps.mail_queued()
    await query.answer()
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    rows = [_("<b>Invoices for {month}</b>: {count} posted and e-mailed.").format(
        month=esc(month), count=len(run.posted))]
    rows += [_("{number} · {customer} · {total}").format(
        number=esc(invoice.number), customer=esc(customer.name), total=money(invoice.totals.gross, deps.currency))
        for customer, invoice in run.posted]
    if run.skipped:
        rows += ["", _("Not posted:")]
        rows += [f"{esc(customer.name)}: {error_text(error)}" for customer, error in run.skipped]
    buttons = [[_pdf_button(invoice.id, _("PDF {number}").format(number=invoice.number))]
               for _customer, invoice in run.posted[:20]]
    await query.message.answer("\n".join(rows),
                               reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None)
