"""Issue 4 §4: the customer's buttons under a quotation delivered to their chat: Accept, Decline
(with a reason), Ask for changes (free text, forwarded to the salesperson).

Buttons carry the quotation id only; the service checks, on every tap, that the quotation is the
caller's own customer's and still open.
"""
from __future__ import annotations

from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.errors import DomainError, InvalidInput
from domain.services import quotation_answers as answers
from domain.services.quotation_answers import Answered
from domain.user import User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("quotation_answers")


class Accept(CallbackData, prefix="ya"):
    quotation_id: int


class Decline(CallbackData, prefix="yd"):
    quotation_id: int


class AskChanges(CallbackData, prefix="yc"):
    quotation_id: int


class Answering(StatesGroup):
    reason = State()
    changes = State()


def answer_keyboard(quotation_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [Button(text=_("✅ Accept"), callback_data=Accept(quotation_id=quotation_id).pack())],
        [Button(text=_("❌ Decline"), callback_data=Decline(quotation_id=quotation_id).pack())],
        [Button(text=_("✏️ Ask for changes"), callback_data=AskChanges(quotation_id=quotation_id).pack())]])


async def _told(answer_notices, done: Answered) -> None:
    """Before the customer's own reply: if that reply fails (a 429, a tap answered too late), the
    order or answer is saved all the same, and the salesperson must not miss it."""
    if answer_notices is not None:
        await answer_notices.tell_salesperson(done)


@routes.callback_query(Accept.filter())
async def accept(query: CallbackQuery, callback_data: Accept, user: User, deps: Deps,
                 answer_notices=None) -> None:
    done = await answers.accept_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
    await _told(answer_notices, done)
    await query.answer(_("Accepted."))
    await query.message.answer(_("Thank you! You accepted quotation {number}; we made sales order {order} "
                                 "and your salesperson has been told.").format(
        number=esc(done.quotation.number), order=esc(done.order.number)))


@routes.callback_query(Decline.filter())
async def decline(query: CallbackQuery, callback_data: Decline, user: User, state: FSMContext,
                  deps: Deps) -> None:
    q = await answers.answerable_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
    await state.set_state(Answering.reason)
    await state.update_data(answer_quotation_id=q.id)
    await query.answer()
    await query.message.answer(_("Why do you decline quotation {number}? Type the reason in one message "
                                 "(or /cancel).").format(number=esc(q.number)))


@routes.callback_query(AskChanges.filter())
async def ask_changes(query: CallbackQuery, callback_data: AskChanges, user: User, state: FSMContext,
                      deps: Deps) -> None:
    q = await answers.answerable_quotation(deps.uow(), deps.clock, user, callback_data.quotation_id)
    await state.set_state(Answering.changes)
    await state.update_data(answer_quotation_id=q.id)
    await query.answer()
    await query.message.answer(_("What would you like changed in quotation {number}? Type it in one "
                                 "message (or /cancel); we forward it to your salesperson.").format(
        number=esc(q.number)))


@routes.message(Answering.reason, F.text, ~F.text.startswith("/"))
async def reason_typed(message: Message, user: User, state: FSMContext, deps: Deps,
                       answer_notices=None) -> None:
    quotation_id = (await state.get_data()).get("answer_quotation_id")
    try:
        done = await answers.decline_quotation(deps.uow(), deps.clock, user, quotation_id, message.text)
    except DomainError as exc:
        if not isinstance(exc, InvalidInput):  # closed meanwhile: nothing left to type for
            await state.clear()
        raise
    await state.clear()
    await _told(answer_notices, done)
    await message.answer(_("You declined quotation {number}. Thank you for letting us know; your "
                           "salesperson has been told.").format(number=esc(done.quotation.number)))


@routes.message(Answering.changes, F.text, ~F.text.startswith("/"))
async def changes_typed(message: Message, user: User, state: FSMContext, deps: Deps,
                        answer_notices=None) -> None:
    quotation_id = (await state.get_data()).get("answer_quotation_id")
    try:
        done = await answers.ask_for_changes(deps.uow(), deps.clock, user, quotation_id, message.text)
    except DomainError as exc:
        if not isinstance(exc, InvalidInput):  # closed meanwhile: nothing left to type for
            await state.clear()
        raise
    await state.clear()
    await _told(answer_notices, done)
    await message.answer(_("We forwarded your request for changes to quotation {number} to your "
                           "salesperson.").format(number=esc(done.quotation.number)))


@routes.message(Answering.reason)
@routes.message(Answering.changes)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type your answer as a text message (not a command), or /cancel."))
