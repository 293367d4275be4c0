"""/requests (issue 4 §2): quotation requests from customers. A salesperson sees the ones assigned to
them, a manager all of them and the shared queue (with Take). Make quotation draft continues in the
usual /quote conversation; lines that named no known item are listed, not added."""
from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.services import quotation_requests as requests
from domain.user import User
from handlers.deps import Deps
from handlers.quote_entry import show_draft
from handlers.request_render import StaffRequest, request_keyboard, request_text
from handlers.routes import Routes
from handlers.text import esc, qty

routes = Routes("request_list")


@routes.message(Command("requests"))
async def list_requests(message: Message, user: User, deps: Deps) -> None:
    found = await requests.open_requests(deps.uow(), user)
    if not found:
        await message.answer(_("There are no new quotation requests."))
        return
    rows = [[Button(text=f"{r.number} · {c.name[:40]} · " + (_("queue") if r.in_queue else
                                                             _("{count} lines").format(count=len(r.lines))),
                    callback_data=StaffRequest(action="open", request_id=r.id).pack())] for r, c in found]
    await message.answer(_("New quotation requests:"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def _show(message: Message, user: User, deps: Deps, request_id: int) -> None:
    card = await requests.request_card(deps.uow(), user, request_id)
    await message.answer(request_text(card.request, card.customer, card.salesperson),
                         reply_markup=request_keyboard(card.request, user))


@routes.callback_query(StaffRequest.filter(F.action == "open"))
async def open_request(query: CallbackQuery, callback_data: StaffRequest, user: User, deps: Deps) -> None:
    card = await requests.request_card(deps.uow(), user, callback_data.request_id)
    await query.answer()
    await query.message.answer(request_text(card.request, card.customer, card.salesperson),
                               reply_markup=request_keyboard(card.request, user))


@routes.callback_query(StaffRequest.filter(F.action == "take"))
async def take(query: CallbackQuery, callback_data: StaffRequest, user: User, deps: Deps) -> None:
    request = await requests.take_request(deps.uow(), deps.clock, user, callback_data.request_id)
    await query.answer(_("Request {number} is yours now.").format(number=request.number))
    await _show(query.message, user, deps, request.id)


@routes.callback_query(StaffRequest.filter(F.action == "close"))
async def close(query: CallbackQuery, callback_data: StaffRequest, user: User, deps: Deps) -> None:
    request = await requests.close_request(deps.uow(), deps.clock, user, callback_data.request_id)
    await query.answer(_("Closed."))
    await query.message.answer(_("Request {number} is closed without a quotation.").format(
        number=esc(request.number)))


@routes.callback_query(StaffRequest.filter(F.action == "draft"))
async def make_draft(query: CallbackQuery, callback_data: StaffRequest, user: User, state: FSMContext,
                     deps: Deps) -> None:
    drafted = await requests.turn_into_draft(deps.uow(), deps.clock, user, callback_data.request_id)
    await query.answer(_("Draft {number} made.").format(number=drafted.quotation.number))
    text = [_("Quotation {number} is drafted from request {request}.").format(
        number=esc(drafted.quotation.number), request=esc(drafted.request.number))]
    if drafted.request.note:
        text.append(_("The customer's note: {note}").format(note=esc(drafted.request.note)))
    if drafted.unmatched:
        text += ["", _("These lines matched no item; add them yourself if they apply:")]
        text += [f"• “{esc(l.text)}” × {qty(l.quantity)}" for l in drafted.unmatched]
    await query.message.answer("\n".join(text))
    await show_draft(query.message, deps, drafted.quotation, state, drafted.customer)
