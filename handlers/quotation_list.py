"""/quotes: open quotations; on one: Confirm (the customer approved), Lost, Cancel, or go on editing."""
from __future__ import annotations

from aiogram import F
from handlers.routes import Routes
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.quotation import Quotation, QuotationStatus
from domain.services import quotations
from domain.user import Permission, User
from handlers.callbacks import OrderOpen, QuotationAction, QuotationOpen
from handlers.deps import Deps
from handlers.order_type_buttons import confirm_as_row
from handlers.quote_entry import show_draft
from handlers.render import quotation_button_text, quotation_text
from handlers.text import esc

routes = Routes("quotation_list")


@routes.message(Command("quotes"))
async def list_quotations(message: Message, user: User, deps: Deps) -> None:
    user.require(Permission.QUOTE)
    found = await quotations.open_quotations(deps.uow(), user)
    if not found:
        await message.answer(_("You have no open quotations. /quote starts one."))
        return
    rows = []
    for q in found:
        customer = await deps.customer(q.customer_id)
        rows.append([Button(text=quotation_button_text(q, customer.name, deps.currency),
                            callback_data=QuotationOpen(quotation_id=q.id).pack())])
    await message.answer(_("Open quotations:"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


def actions_keyboard(q: Quotation) -> InlineKeyboardMarkup:
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=QuotationAction(action=action, quotation_id=q.id).pack())
    rows = [[b(_("Confirm"), "confirm"), b(_("Lost"), "lose"), b(_("Cancel"), "cancel")],
            [b(_("PDF"), "pdf")]]
    rows.append(confirm_as_row(q.id))  # §4 order types: Journal, Subscription, Item requirements
    if q.status is QuotationStatus.CREATED:
        rows.append([b(_("Go on editing"), "edit")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@routes.callback_query(QuotationOpen.filter())
async def open_quotation(query: CallbackQuery, callback_data: QuotationOpen, user: User, deps: Deps) -> None:
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    customer = await deps.customer(q.customer_id)
    await query.answer()
    markup = actions_keyboard(q) if q.is_open else None
    await query.message.answer(quotation_text(q, customer, deps.currency), reply_markup=markup)


@routes.callback_query(QuotationAction.filter(F.action == "confirm"))
async def confirm(query: CallbackQuery, callback_data: QuotationAction, user: User, deps: Deps) -> None:
    order = await quotations.confirm_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
    await query.answer(_("Confirmed."))
    await _close_buttons(query)
    open_button = InlineKeyboardMarkup(inline_keyboard=[[Button(
        text=_("Show sales order {number}").format(number=order.number),
        callback_data=OrderOpen(order_id=order.id).pack())]])
    await query.message.answer(_("The quotation is confirmed: sales order {number} is created.").format(
        number=esc(order.number)), reply_markup=open_button)


@routes.callback_query(QuotationAction.filter(F.action.in_({"lose", "cancel"})))
async def close(query: CallbackQuery, callback_data: QuotationAction, user: User, deps: Deps) -> None:
    if callback_data.action == "lose":
        q = await quotations.lose_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
        text = _("Quotation {number} is marked as lost.")
    else:
        q = await quotations.cancel_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
        text = _("Quotation {number} is canceled.")
    await query.answer()
    await _close_buttons(query)
    await query.message.answer(text.format(number=esc(q.number)))


@routes.callback_query(QuotationAction.filter(F.action == "edit"))
async def edit(query: CallbackQuery, callback_data: QuotationAction, user: User,
               state: FSMContext, deps: Deps) -> None:
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    await query.answer()
    await show_draft(query.message, deps, q, state)


@routes.callback_query(QuotationAction.filter(F.action == "pdf"))
async def send_pdf(query: CallbackQuery, callback_data: QuotationAction, user: User, deps: Deps) -> None:
    """The PDF exactly as the customer gets it (in the customer's language), rendered on demand."""
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    customer = await deps.customer(q.customer_id)
    await query.answer()
    pdf = await deps.documents.quotation_pdf_async(q, customer, customer.language)
    await query.message.answer_document(BufferedInputFile(pdf, filename=f"{q.number}.pdf"),
                                        caption=_("The PDF {name} received.").format(name=esc(customer.name)))


async def _close_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message acted on, so nobody taps them again by mistake."""
    if query.message and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
