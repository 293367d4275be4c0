"""/quote: pick a customer, type lines, adjust, set the validity date, send."""
from __future__ import annotations

from aiogram import F
from handlers.routes import Routes
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.customer import Customer
from domain.quotation import Quotation
from domain.services import quotations
from domain.services.catalog import MAX_MATCHES
from domain.user import Permission, User
from handlers.callbacks import CustomerPick, DraftAction, ItemPick, LinePick, QuotationAction
from handlers.customer_search import answer_customer_search
from handlers.deps import Deps
from handlers.parsing import parse_day, parse_item_and_quantity
from handlers.pricing import explain_rows  # §2 pricing
from handlers.render import quotation_text
from handlers.suggestions import show_suggestions  # §5 up-sell/cross-sell
from handlers.text import esc
from handlers.filters import TYPED
from handlers.line_picker import ask_which_line
from domain.money import parse_quantity

routes = Routes("quote_entry")


class QuoteEntry(StatesGroup):
    customer = State()
    lines = State()
    quantity = State()
    valid_until = State()


def draft_keyboard(q: Quotation) -> InlineKeyboardMarkup:
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=DraftAction(action=action, quotation_id=q.id).pack())
    rows = [[b(_("Validity date"), "valid")]]
    if q.lines:
        rows.insert(0, [b(_("Remove a line"), "remove"), b(_("Change a quantity"), "qty")])
        rows[-1].append(b(_("Send"), "send"))
    rows += explain_rows(q)  # §2 pricing
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_draft(message: Message, deps: Deps, q: Quotation, state: FSMContext,
                     customer: Customer | None = None) -> None:
    await state.set_state(QuoteEntry.lines)
    await state.update_data(quotation_id=q.id)
    customer = customer or await deps.customer(q.customer_id)
    await message.answer(quotation_text(q, customer, deps.currency) + "\n\n"
                         + _("Add a line by typing an item number or name and a quantity, e.g. <code>A-100 5</code>."),
                         reply_markup=draft_keyboard(q))


@routes.message(Command("quote"))
async def new_quotation(message: Message, user: User, state: FSMContext) -> None:
    user.require(Permission.QUOTE)
    await state.clear()
    await state.set_state(QuoteEntry.customer)
    await message.answer(_("Which customer? Type an account number or part of the name."))


@routes.message(QuoteEntry.customer, TYPED)
async def customer_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await answer_customer_search(message, deps, lambda customer_id: _start(message, user, state, deps, customer_id))


@routes.callback_query(QuoteEntry.customer, CustomerPick.filter())
async def customer_picked(query: CallbackQuery, callback_data: CustomerPick, user: User,
                          state: FSMContext, deps: Deps) -> None:
    await query.answer()
    await _start(query.message, user, state, deps, callback_data.customer_id)


async def _start(message: Message, user: User, state: FSMContext, deps: Deps, customer_id: int) -> None:
    q = await quotations.start_quotation(deps.uow(), deps.clock, user, customer_id)
    await show_draft(message, deps, q, state)


@routes.message(QuoteEntry.lines, TYPED)
async def line_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    quotation_id = (await state.get_data())["quotation_id"]
    item_text, quantity = parse_item_and_quantity(message.text)
    entry = await quotations.enter_line(deps.uow(), deps.clock, user, quotation_id, item_text, quantity)
    found = entry.matches
    if entry.added:
        await show_draft(message, deps, entry.quotation, state, entry.customer)
        await show_suggestions(message, list(entry.suggestions))  # §5
    elif not found:
        await message.answer(_("No item matches “{text}”. Try again, or /cancel.").format(text=esc(item_text)))
    elif len(found) > MAX_MATCHES:
        await message.answer(_("More than {count} items match. Type more of the name.").format(count=MAX_MATCHES))
    else:
        await state.update_data(pending_quantity=str(quantity))
        keyboard = [[Button(text=f"{i.item_number} · {i.name}", callback_data=ItemPick(item_id=i.id).pack())]
                    for i in found]
        await message.answer(_("Which item?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))


@routes.callback_query(QuoteEntry.lines, ItemPick.filter())
async def item_picked(query: CallbackQuery, callback_data: ItemPick, user: User,
                      state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    if "pending_quantity" not in data:
        await query.answer(_("This choice is no longer open."), show_alert=True)
        return
    entry = await quotations.pick_line(deps.uow(), deps.clock, user, data["quotation_id"], callback_data.item_id,
                                       parse_quantity(data["pending_quantity"]))
    await state.update_data(pending_quantity=None)
    await query.answer()
    await show_draft(query.message, deps, entry.quotation, state, entry.customer)
    await show_suggestions(query.message, list(entry.suggestions))  # §5


@routes.callback_query(DraftAction.filter(F.action.in_({"remove", "qty"})))
async def pick_line(query: CallbackQuery, callback_data: DraftAction, user: User, deps: Deps) -> None:
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    await ask_which_line(query, [
        (l.line_number, f"{l.line_number}. {l.item_number} · {l.description}",
         LinePick(action=callback_data.action, quotation_id=q.id, line_number=l.line_number).pack())
        for l in q.lines])


@routes.callback_query(LinePick.filter(F.action == "remove"))
async def remove_line(query: CallbackQuery, callback_data: LinePick, user: User,
                      state: FSMContext, deps: Deps) -> None:
    q = await quotations.remove_line(deps.uow(), user, callback_data.quotation_id, callback_data.line_number)
    await query.answer(_("Line removed."))
    await show_draft(query.message, deps, q, state)


@routes.callback_query(LinePick.filter(F.action == "qty"))
async def ask_quantity(query: CallbackQuery, callback_data: LinePick, user: User,
                       state: FSMContext, deps: Deps) -> None:
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    q.line(callback_data.line_number)  # refuses a line that is gone
    await state.set_state(QuoteEntry.quantity)
    await state.update_data(quotation_id=q.id, line_number=callback_data.line_number)
    await query.answer()
    await query.message.answer(_("New quantity for line {n}?").format(n=callback_data.line_number))


@routes.message(QuoteEntry.quantity, TYPED)
async def quantity_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    q = await quotations.change_quantity(deps.uow(), user, data["quotation_id"], data["line_number"],
                                         parse_quantity(message.text))
    await show_draft(message, deps, q, state)


@routes.callback_query(DraftAction.filter(F.action == "valid"))
async def ask_validity(query: CallbackQuery, callback_data: DraftAction, user: User,
                       state: FSMContext, deps: Deps) -> None:
    q = await quotations.get_quotation(deps.uow(), user, callback_data.quotation_id)
    await state.set_state(QuoteEntry.valid_until)
    await state.update_data(quotation_id=q.id)
    await query.answer()
    await query.message.answer(_("Valid until which date? Type e.g. 2026-12-31, 31-12-2026, or a number of days."))


@routes.message(QuoteEntry.valid_until, TYPED)
async def validity_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    valid_until = parse_day(message.text, deps.clock.today())
    q = await quotations.set_valid_until(deps.uow(), deps.clock, user, data["quotation_id"], valid_until)
    await show_draft(message, deps, q, state)


@routes.callback_query(DraftAction.filter(F.action == "send"))
async def send(query: CallbackQuery, callback_data: DraftAction, user: User,
               state: FSMContext, deps: Deps) -> None:
    q = await quotations.send_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
    deps.mail_queued()
    await state.clear()
    customer = await deps.customer(q.customer_id)
    await query.answer(_("Sent."))
    pdf_button = InlineKeyboardMarkup(inline_keyboard=[[Button(
        text=_("PDF"), callback_data=QuotationAction(action="pdf", quotation_id=q.id).pack())]])
    await query.message.answer(_("Quotation {number} is sent to {email} with the PDF attached.").format(
        number=esc(q.number), email=esc(customer.email)), reply_markup=pdf_button)


@routes.message(StateFilter(QuoteEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))
