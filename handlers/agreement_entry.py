"""/agreements → New: pick a customer, a commitment type, the validity period (and, for a total
value agreement, the committed amount), then type lines '<item> <price or discount%> <committed>'."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.errors import N_, InvalidInput
from domain.money import parse_decimal
from domain.sales_agreement import AgreementStatus, CommitmentType, check_validity
from domain.services import sales_agreements as agreements
from domain.services.catalog import MAX_MATCHES
from domain.user import Permission, User
from handlers.agreement_render import agreement_text
from handlers.callbacks import CustomerPick
from handlers.customer_search import answer_customer_search
from handlers.deps import Deps
from handlers.labels import label
from handlers.parsing import parse_day
from handlers.routes import Routes
from handlers.filters import TYPED
from handlers.text import esc

routes = Routes("agreement_entry")


class CommitmentPick(CallbackData, prefix="ak"):
    kind: str  # a CommitmentType value


class AgreementItemPick(CallbackData, prefix="ai"):
    item_id: int


class AgreementAction(CallbackData, prefix="aa"):
    """new / effective / hold / close / order / show on a sales agreement."""
    action: str
    agreement_id: int


class AgreementEntry(StatesGroup):
    customer = State()
    commitment = State()
    valid_from = State()
    valid_to = State()
    total = State()
    lines = State()


LINE_HELP = {
    CommitmentType.PRODUCT_QUANTITY: N_("Add a line: item, agreed price or discount, committed quantity, e.g. <code>A-100 129.00 100</code> or <code>A-100 10% 100</code>."),
    CommitmentType.PRODUCT_VALUE: N_("Add a line: item, agreed price or discount, committed value, e.g. <code>A-100 129.00 5000</code> or <code>A-100 10% 5000</code>."),
    CommitmentType.TOTAL_VALUE: N_("Add a line: item and agreed price or discount, e.g. <code>A-100 129.00</code> or <code>A-100 10%</code>."),
}


def parse_agreement_line(text: str, commitment: CommitmentType
                         ) -> tuple[str, Decimal | None, Decimal | None, Decimal | None]:
    """'<item> <price or discount%> <committed>' (no committed amount on a total value agreement):
    the item text, the agreed price or the discount percent, and the committed quantity or value."""
    words = text.split()
    per_line = commitment is not CommitmentType.TOTAL_VALUE
    if len(words) < (3 if per_line else 2):
        raise InvalidInput(LINE_HELP[commitment])
    committed = parse_decimal(words.pop()) if per_line else None
    terms = words.pop()
    price = discount = None
    if terms.endswith("%"):
        discount = parse_decimal(terms[:-1])
    else:
        price = parse_decimal(terms)
    return " ".join(words), price, discount, committed


def agreement_keyboard(view: agreements.AgreementView) -> InlineKeyboardMarkup | None:
    a = view.agreement

    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=AgreementAction(action=action, agreement_id=a.id).pack())
    if a.status is AgreementStatus.ON_HOLD:
        rows = [[b(_("Set effective"), "effective"), b(_("Close agreement"), "close")]]
    elif a.status is AgreementStatus.EFFECTIVE:
        rows = [[b(_("Order from agreement"), "order")],
                [b(_("Put on hold"), "hold"), b(_("Close agreement"), "close")]]
    else:
        return None
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_agreement(message: Message, deps: Deps, view: agreements.AgreementView,
                         state: FSMContext | None = None) -> None:
    """The agreement; while it is being entered (on hold, in this chat), how to add a line."""
    text = agreement_text(view, deps.currency)
    if state is not None and await state.get_state() == AgreementEntry.lines.state:
        text += "\n\n" + _(LINE_HELP[view.agreement.commitment_type])
    await message.answer(text, reply_markup=agreement_keyboard(view))


@routes.callback_query(AgreementAction.filter(F.action == "new"))
async def new_agreement(query: CallbackQuery, user: User, state: FSMContext) -> None:
    user.require(Permission.AGREEMENT)
    await state.clear()
    await state.set_state(AgreementEntry.customer)
    await query.answer()
    await query.message.answer(_("Which customer? Type an account number or part of the name."))


@routes.message(AgreementEntry.customer, TYPED)
async def customer_typed(message: Message, state: FSMContext, deps: Deps) -> None:
    await answer_customer_search(message, deps, lambda customer_id: _ask_commitment(message, state, customer_id))


@routes.callback_query(AgreementEntry.customer, CustomerPick.filter())
async def customer_picked(query: CallbackQuery, callback_data: CustomerPick, state: FSMContext) -> None:
    await query.answer()
    await _ask_commitment(query.message, state, callback_data.customer_id)


async def _ask_commitment(message: Message, state: FSMContext, customer_id: int) -> None:
    await state.set_state(AgreementEntry.commitment)
    await state.update_data(customer_id=customer_id)
    rows = [[Button(text=label(kind), callback_data=CommitmentPick(kind=kind.value).pack())]
            for kind in CommitmentType]
    await message.answer(_("What does the customer commit to?"),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(AgreementEntry.commitment, CommitmentPick.filter())
async def commitment_picked(query: CallbackQuery, callback_data: CommitmentPick, state: FSMContext) -> None:
    await state.update_data(commitment=CommitmentType(callback_data.kind).value)
    await state.set_state(AgreementEntry.valid_from)
    await query.answer()
    await query.message.answer(_("Valid from which date? Type e.g. 2026-12-01, 1-12-2026, or a number of days from today (0 is today)."))


@routes.message(AgreementEntry.valid_from, TYPED)
async def valid_from_typed(message: Message, state: FSMContext, deps: Deps) -> None:
    valid_from = parse_day(message.text, deps.clock.today())
    await state.update_data(valid_from=valid_from.isoformat())
    await state.set_state(AgreementEntry.valid_to)
    await message.answer(_("Until which date is the agreement valid? Type e.g. 2026-12-31, 31-12-2026, or a number of days from today."))


@routes.message(AgreementEntry.valid_to, TYPED)
async def valid_to_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    valid_to = parse_day(message.text, deps.clock.today())
    check_validity(date.fromisoformat(data["valid_from"]), valid_to, deps.clock.today())
    await state.update_data(valid_to=valid_to.isoformat())
    if CommitmentType(data["commitment"]) is CommitmentType.TOTAL_VALUE:
        await state.set_state(AgreementEntry.total)
        await message.answer(_("Which total amount does the customer commit to? Type e.g. 10000"))
        return
    await _create(message, user, state, deps, None)


@routes.message(AgreementEntry.total, TYPED)
async def total_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await _create(message, user, state, deps, parse_decimal(message.text))


async def _create(message: Message, user: User, state: FSMContext, deps: Deps,
                  total: Decimal | None) -> None:
    data = await state.get_data()
    a = await agreements.create_agreement(
        deps.uow(), deps.clock, user, data["customer_id"], CommitmentType(data["commitment"]),
        date.fromisoformat(data["valid_from"]), date.fromisoformat(data["valid_to"]), total)
    await state.set_state(AgreementEntry.lines)
    await state.set_data({"agreement_id": a.id})
    await message.answer(_("Sales agreement {number} is created, on hold.").format(number=esc(a.number)))
    await show_agreement(message, deps, await agreements.get_agreement(deps.uow(), user, a.id), state)


@routes.message(AgreementEntry.lines, TYPED)
async def line_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    agreement_id = (await state.get_data())["agreement_id"]
    view = await agreements.get_agreement(deps.uow(), user, agreement_id)
    item_text, price, discount, committed = parse_agreement_line(message.text, view.agreement.commitment_type)
    entry = await agreements.enter_line(deps.uow(), user, agreement_id, item_text, price, discount, committed)
    found = entry.matches
    if entry.added:
        await show_agreement(message, deps, entry.view, state)
    elif not found:
        await message.answer(_("No item matches “{text}”. Try again, or /cancel.").format(text=esc(item_text)))
    elif len(found) > MAX_MATCHES:
        await message.answer(_("More than {count} items match. Type more of the name.").format(count=MAX_MATCHES))
    else:
        await state.update_data(pending=[str(price) if price is not None else None,
                                         str(discount) if discount is not None else None,
                                         str(committed) if committed is not None else None])
        keyboard = [[Button(text=f"{i.item_number} · {i.name}", callback_data=AgreementItemPick(item_id=i.id).pack())]
                    for i in found]
        await message.answer(_("Which item?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))


@routes.callback_query(AgreementEntry.lines, AgreementItemPick.filter())
async def item_picked(query: CallbackQuery, callback_data: AgreementItemPick, user: User,
                      state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    if not data.get("pending"):
        await query.answer(_("This choice is no longer open."), show_alert=True)
        return
    price, discount, committed = (Decimal(v) if v is not None else None for v in data["pending"])
    view = await agreements.add_line(deps.uow(), user, data["agreement_id"], callback_data.item_id,
                                     price, discount, committed)
    await state.update_data(pending=None)
    await query.answer()
    await show_agreement(query.message, deps, view, state)


@routes.message(StateFilter(AgreementEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))
