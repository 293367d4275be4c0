"""/customer: look a customer up and keep its contact data current (e-mail address, postal
address, the language of its mails), where before only the customer import could."""
from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.customer import Customer
from domain.errors import N_
from domain.services import customers
from domain.user import Permission, User
from handlers.callbacks import CustomerPick
from handlers.customer_search import answer_customer_search
from handlers.deps import Deps
from handlers.filters import TYPED
from handlers.language import CHOICES
from handlers.leads import POSTAL_ADDRESS_QUESTION
from handlers.parsing import text_or_removal
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("customers")


class CustomerAction(CallbackData, prefix="ce"):
    action: str  # email / address / en / nl
    customer_id: int


class CustomerEdit(StatesGroup):
    search = State()
    email = State()
    address = State()


ASK = {
    "email": (CustomerEdit.email, N_("Which e-mail address? Quotations, invoices and notices go there "
                                     "from now on.")),
    "address": (CustomerEdit.address, POSTAL_ADDRESS_QUESTION),
}


def customer_text(card: customers.CustomerCard) -> str:
    c = card.customer
    language = dict(CHOICES).get(c.language, c.language)
    lines = [f"<b>{esc(c.account_number)} · {esc(c.name)}</b>",
             _("E-mail address: {email}").format(email=esc(c.email)),
             _("Mails in: {language}").format(language=esc(language))]
    if c.postal_address:
        lines.append(_("Postal address: {address}").format(address=esc(", ".join(c.postal_address.splitlines()))))
    if c.customer_group:
        lines.append(_("Customer group: {group}").format(group=esc(c.customer_group)))
    if card.salesperson:
        lines.append(_("Salesperson: {name}").format(name=esc(card.salesperson)))
    return "\n".join(lines)


def customer_keyboard(customer: Customer) -> InlineKeyboardMarkup:
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=CustomerAction(action=action, customer_id=customer.id).pack())
    languages = [b(("✓ " if code == customer.language else "") + name, code) for code, name in CHOICES]
    return InlineKeyboardMarkup(inline_keyboard=[
        [b(_("E-mail address"), "email"), b(_("Postal address"), "address")], languages])


async def show_customer(message: Message, user: User, deps: Deps, customer_id: int) -> None:
    card = await customers.customer_card(deps.uow(), user, customer_id)
    await message.answer(customer_text(card), reply_markup=customer_keyboard(card.customer))


@routes.message(Command("customer"))
async def look_up(message: Message, command: CommandObject, user: User, state: FSMContext,
                  deps: Deps) -> None:
    """`/customer` asks which one; `/customer acme` looks it up at once."""
    user.require(Permission.QUOTE)
    await state.clear()
    await state.set_state(CustomerEdit.search)
    if command.args:
        await _search(message, user, state, deps, command.args)
    else:
        await message.answer(_("Which customer? Type an account number or part of the name."))


@routes.message(CustomerEdit.search, TYPED)
async def search_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await _search(message, user, state, deps)


async def _search(message: Message, user: User, state: FSMContext, deps: Deps, text: str | None = None) -> None:
    async def found(customer_id: int) -> None:
        await state.clear()
        await show_customer(message, user, deps, customer_id)
    await answer_customer_search(message, deps, found, text)


@routes.callback_query(CustomerEdit.search, CustomerPick.filter())
async def picked(query: CallbackQuery, callback_data: CustomerPick, user: User, state: FSMContext,
                 deps: Deps) -> None:
    await query.answer()
    await state.clear()
    await show_customer(query.message, user, deps, callback_data.customer_id)


@routes.callback_query(CustomerAction.filter(F.action.in_(set(ASK))))
async def ask(query: CallbackQuery, callback_data: CustomerAction, user: User, state: FSMContext,
              deps: Deps) -> None:
    customer = await customers.changeable_customer(deps.uow(), user, callback_data.customer_id)
    next_state, question = ASK[callback_data.action]
    await state.set_state(next_state)
    await state.update_data(customer_id=customer.id)
    await query.answer()
    await query.message.answer(_(question))


@routes.callback_query(CustomerAction.filter(F.action.in_({code for code, _name in CHOICES})))
async def language_picked(query: CallbackQuery, callback_data: CustomerAction, user: User,
                          deps: Deps) -> None:
    await customers.set_language(deps.uow(), user, callback_data.customer_id, callback_data.action)
    card = await customers.customer_card(deps.uow(), user, callback_data.customer_id)
    await query.answer(_("Saved."))
    await query.message.edit_text(customer_text(card), reply_markup=customer_keyboard(card.customer))


@routes.message(CustomerEdit.email, TYPED)
async def email_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    customer_id = (await state.get_data())["customer_id"]
    await customers.set_email(deps.uow(), user, customer_id, message.text)
    await state.clear()
    await show_customer(message, user, deps, customer_id)


@routes.message(CustomerEdit.address, TYPED)
async def address_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    customer_id = (await state.get_data())["customer_id"]
    text = text_or_removal(message.text)
    await customers.set_postal_address(deps.uow(), user, customer_id, text)
    await state.clear()
    await show_customer(message, user, deps, customer_id)


@routes.message(StateFilter(CustomerEdit), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))
