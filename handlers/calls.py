"""/calls: a salesperson works their share of a telemarketing campaign's call list (issue 5 §1).

The phone number is plain text in international form: Telegram's HTML allows no tel: links, but
Telegram itself makes a phone number in a message tappable.
"""
from __future__ import annotations

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.call_list import CallOutcome, international
from domain.errors import DomainError, InvalidInput
from domain.services import calls
from domain.user import User
from handlers.campaign_types import outcome_label
from handlers.deps import Deps
from handlers.filters import TYPED
from handlers.parsing import parse_day
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("calls")

ACTIONS = {"r": CallOutcome.REACHED, "n": CallOutcome.NO_ANSWER, "c": CallOutcome.CALL_BACK,
           "i": CallOutcome.INTERESTED, "x": CallOutcome.NOT_INTERESTED}


class CallAct(CallbackData, prefix="cl"):
    action: str  # a key of ACTIONS
    call_id: int


class CallEntry(StatesGroup):
    call_back_date = State()


def _keyboard(call_id: int) -> InlineKeyboardMarkup:
    def b(action: str) -> Button:
        return Button(text=outcome_label(ACTIONS[action]), callback_data=CallAct(action=action, call_id=call_id).pack())
    return InlineKeyboardMarkup(inline_keyboard=[[b("r"), b("n")], [b("c")], [b("i"), b("x")]])


async def _show_next(message: Message, user: User, deps: Deps, note: str = "") -> None:
    card = await calls.next_call(deps.uow(), deps.clock, user)
    prefix = note + "\n\n" if note else ""
    if card is None:
        await message.answer(prefix + _("No calls for you right now."))
        return
    c = card.call
    lines = [_("<b>Call for campaign #{id}: {name}</b>").format(id=card.campaign_id, name=esc(card.campaign_name)),
             esc(c.name) + (f" · {esc(c.company)}" if c.company and c.company != c.name else ""),
             _("Phone: {phone}").format(phone=esc(international(c.phone, deps.phone_country_code)))]
    if c.attempts:
        lines.append(_("Earlier: {outcome} ({count} attempt(s))").format(
            outcome=outcome_label(c.outcome), count=c.attempts))
    await message.answer(prefix + "\n".join(lines), reply_markup=_keyboard(c.id))


@routes.message(Command("calls"))
async def show_calls(message: Message, user: User, deps: Deps, state: FSMContext) -> None:
    await state.clear()
    await _show_next(message, user, deps)


@routes.callback_query(CallAct.filter())
async def act(query: CallbackQuery, callback_data: CallAct, user: User, deps: Deps, state: FSMContext) -> None:
    outcome = ACTIONS.get(callback_data.action)
    if outcome is None:
        await query.answer()
        return
    if outcome is CallOutcome.CALL_BACK:
        await calls.check_call(deps.uow(), user, callback_data.call_id)
        await query.answer()
        await state.set_state(CallEntry.call_back_date)
        await state.update_data(call_id=callback_data.call_id)
        await query.message.answer(_("On which date should you call back? Type it, e.g. 2026-12-01."))
        return
    await calls.log_outcome(deps.uow(), deps.clock, user, callback_data.call_id, outcome)
    await query.answer()
    await _show_next(query.message, user, deps, _("Logged: {outcome}.").format(outcome=outcome_label(outcome)))


@routes.message(CallEntry.call_back_date, TYPED)
async def call_back_date(message: Message, user: User, deps: Deps, state: FSMContext) -> None:
    day = parse_day(message.text, deps.clock.today())
    call_id = (await state.get_data())["call_id"]
    try:
        await calls.log_outcome(deps.uow(), deps.clock, user, call_id, CallOutcome.CALL_BACK, day)
    except InvalidInput:
        raise  # a date that cannot be used (e.g. passed): the step stays for a better one
    except DomainError:
        await state.clear()  # the call is closed, cancelled, waits or is gone: no date helps now
        raise
    await state.clear()
    await _show_next(message, user, deps, _("Logged: call back on {date}.").format(date=day.isoformat()))
