"""/request (issue 4 §2): a linked customer asks for a quote.

Search the catalog by typing (`chair`, `A-100 5`) or by inline mode (`@bot chair` in any chat shows
matching items at the customer's own price; choosing one sends `/request A-100`, which this
conversation reads), choose quantities, add a note, send. The request goes to the account's
salesperson (or the shared queue), who is told at once.

The basket lives in the conversation only; on Send the service re-checks every item and the caller.
"""
from __future__ import annotations

import html
import re
from decimal import Decimal

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup,
                           InlineQuery, InlineQueryResultArticle, InputTextMessageContent, Message)

from bot.i18n import _, pick_locale, set_locale
from domain.errors import DomainError, N_, InvalidInput
from domain.money import parse_quantity
from domain.quotation_request import MAX_LINES, RequestedLine, check_note
from domain.services import quotation_requests as requests
from domain.services.catalog import MAX_MATCHES
from domain.services.users import user_by_telegram_id
from domain.user import User
from handlers.deps import Deps
from handlers.parsing import parse_item_and_quantity
from handlers.routes import Routes
from handlers.text import esc, money, qty
from handlers.line_picker import ask_which_line

_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


class _Routes(Routes):
    def inline_query(self, *filters):
        return self._collect("inline_query", filters)


routes = _Routes("request_entry")


class RequestEntry(StatesGroup):
    lines = State()
    quantity = State()
    note = State()


class RequestAction(CallbackData, prefix="qr"):
    action: str  # note / send / discard


class RequestItem(CallbackData, prefix="qi"):
    item_id: int


class RequestRemove(CallbackData, prefix="qd"):
    line: int  # 1-based position in the basket


INTRO = N_("Which items would you like a quote for? Type an item number or name and a quantity, "
           "e.g. <code>A-100 5</code>, or just a name to search. You can also search with the button below.")


def _price(entry: requests.PricedItem, currency: str) -> str:
    return _("{price} per {unit}").format(price=money(entry.unit_price, currency), unit=esc(entry.item.unit))


def _basket_keyboard(basket: list[dict]) -> InlineKeyboardMarkup:
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=RequestAction(action=action).pack())
    rows = [[Button(text=_("Search the catalog"), switch_inline_query_current_chat="")]]
    if basket:
        rows.insert(0, [b(_("Add a note"), "note"), b(_("Remove a line"), "remove")])
        rows.insert(1, [b(_("Send request"), "send")])
    rows.append([b(_("Discard"), "discard")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_basket(message: Message, state: FSMContext, deps: Deps, intro: str | None = None) -> None:
    await state.set_state(RequestEntry.lines)
    data = await state.get_data()
    basket, note = data.get("basket", []), data.get("note", "")
    rows = [intro or ("" if basket else _(INTRO))]
    if basket:
        rows.append(_("<b>Your request</b>"))
        rows += [_("{n}. {item} {name} × {quantity} ({price})").format(
            n=n, item=esc(e["number"]), name=esc(e["name"]), quantity=qty(Decimal(e["qty"])),
            price=_("{price} per {unit}").format(price=money(Decimal(e["price"]), deps.currency),
                                                 unit=esc(e["unit"])))
            for n, e in enumerate(basket, start=1)]
        if note:
            rows.append(_("Note: {note}").format(note=esc(note)))
        rows += ["", _("Add another item, or send the request.")]
    await message.answer("\n".join(r for r in rows if r is not None).strip(), reply_markup=_basket_keyboard(basket))


async def _add(message: Message, state: FSMContext, deps: Deps, entry: requests.PricedItem,
               quantity: Decimal) -> None:
    data = await state.get_data()
    basket = list(data.get("basket", []))
    for e in basket:  # the same item twice adds up, as on a quotation
        if e["id"] == entry.item.id:
            e["qty"] = str(parse_quantity(str(Decimal(e["qty"]) + quantity)))
            break
    else:
        if len(basket) >= MAX_LINES:
            raise InvalidInput(N_("A request can have at most {count} lines."), count=MAX_LINES)
        basket.append({"id": entry.item.id, "number": entry.item.item_number, "name": entry.item.name,
                       "unit": entry.item.unit, "price": str(entry.unit_price), "qty": str(quantity)})
    await state.update_data(basket=basket, pending_item=None, pending_quantity=None)
    await show_basket(message, state, deps)


async def _ensure_started(user: User, state: FSMContext) -> None:
    user.require_customer()
    if await state.get_state() not in {s.state for s in RequestEntry.__states__}:
        await state.clear()
        await state.update_data(basket=[], note="")


@routes.message(Command("request"))
async def new_request(message: Message, command: CommandObject, user: User, state: FSMContext,
                      deps: Deps) -> None:
    await _ensure_started(user, state)
    if command.args:  # e.g. what choosing an inline result sends: /request A-100
        await _typed(message, user, state, deps, command.args)
    else:
        await show_basket(message, state, deps, _(INTRO))


async def _search(message: Message, user: User, state: FSMContext, deps: Deps, text: str,
                  quantity: Decimal | None) -> None:
    found = await requests.search_catalog(deps.uow(), deps.clock, user, text)
    await state.set_state(RequestEntry.lines)
    if not found:
        await message.answer(_("No item matches “{text}”. Try again, or /cancel.").format(text=esc(text)))
    elif len(found) > MAX_MATCHES:
        await message.answer(_("More than {count} items match. Type more of the name.").format(count=MAX_MATCHES))
    elif len(found) == 1 and quantity is not None:
        await _add(message, state, deps, found[0], quantity)
    elif len(found) == 1:
        await _ask_quantity(message, state, deps, found[0])
    else:
        await state.update_data(pending_quantity=str(quantity) if quantity is not None else None)
        keyboard = [[Button(text=f"{e.item.item_number} · {e.item.name} · "
                                 + _("{price} per {unit}").format(price=money(e.unit_price, deps.currency),
                                                                  unit=e.item.unit),
                            callback_data=RequestItem(item_id=e.item.id).pack())] for e in found]
        await message.answer(_("Which item?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))


async def _ask_quantity(message: Message, state: FSMContext, deps: Deps, entry: requests.PricedItem) -> None:
    await state.set_state(RequestEntry.quantity)
    await state.update_data(pending_item=entry.item.id)
    await message.answer(_("How many {item} {name} ({price})?").format(
        item=esc(entry.item.item_number), name=esc(entry.item.name), price=_price(entry, deps.currency)))


@routes.message(StateFilter(RequestEntry.lines), F.text)
async def item_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await _typed(message, user, state, deps, message.text)


async def _typed(message: Message, user: User, state: FSMContext, deps: Deps, text: str) -> None:
    """'A-100 5' adds five (when one item matches); 'chair' searches and then asks the quantity."""
    words = text.split()
    if len(words) >= 2 and _NUMBER.match(words[-1]):
        item_text, quantity = parse_item_and_quantity(text)  # refuses 0 and negatives
        await _search(message, user, state, deps, item_text, quantity)
    else:
        await _search(message, user, state, deps, text, None)


@routes.callback_query(StateFilter(RequestEntry), RequestItem.filter())
async def item_picked(query: CallbackQuery, callback_data: RequestItem, user: User, state: FSMContext,
                      deps: Deps) -> None:
    entry = await requests.priced_item(deps.uow(), deps.clock, user, callback_data.item_id)
    pending = (await state.get_data()).get("pending_quantity")
    await query.answer()
    if pending:
        await _add(query.message, state, deps, entry, Decimal(pending))
    else:
        await _ask_quantity(query.message, state, deps, entry)


@routes.message(RequestEntry.quantity, F.text)
async def quantity_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    quantity = parse_quantity(message.text)
    entry = await requests.priced_item(deps.uow(), deps.clock, user, (await state.get_data())["pending_item"])
    await _add(message, state, deps, entry, quantity)


@routes.callback_query(StateFilter(RequestEntry), RequestAction.filter(F.action == "note"))
async def ask_note(query: CallbackQuery, user: User, state: FSMContext) -> None:
    user.require_customer()
    await state.set_state(RequestEntry.note)
    await query.answer()
    await query.message.answer(_("Type your note for the salesperson (delivery wishes, questions)."))


@routes.message(RequestEntry.note, F.text)
async def note_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await state.update_data(note=check_note(message.text))
    await show_basket(message, state, deps)


@routes.callback_query(StateFilter(RequestEntry), RequestAction.filter(F.action == "remove"))
async def pick_line(query: CallbackQuery, user: User, state: FSMContext) -> None:
    user.require_customer()
    basket = (await state.get_data()).get("basket", [])
    await ask_which_line(query, [(n, f"{n}. {e['number']} · {e['name']}", RequestRemove(line=n).pack())
                                 for n, e in enumerate(basket, start=1)])


@routes.callback_query(StateFilter(RequestEntry), RequestRemove.filter())
async def remove_line(query: CallbackQuery, callback_data: RequestRemove, user: User, state: FSMContext,
                      deps: Deps) -> None:
    user.require_customer()
    basket = list((await state.get_data()).get("basket", []))
    if not 1 <= callback_data.line <= len(basket):
        await query.answer(_("This choice is no longer open."), show_alert=True)
        return
    basket.pop(callback_data.line - 1)
    await state.update_data(basket=basket)
    await query.answer(_("Line removed."))
    await show_basket(query.message, state, deps)


@routes.callback_query(StateFilter(RequestEntry), RequestAction.filter(F.action == "send"))
async def send_request(query: CallbackQuery, user: User, state: FSMContext, deps: Deps, bot: Bot,
                       request_notices=None) -> None:
    data = await state.get_data()
    lines = [RequestedLine(e["number"], Decimal(e["qty"]), e["id"]) for e in data.get("basket", [])]
    submitted = await requests.submit_request(deps.uow(), deps.clock, user, lines, data.get("note", ""))
    await state.clear()
    await query.answer(_("Sent."))
    await query.message.answer(_("Thank you! Your request {number} is with our sales team; you will "
                                 "get a quotation from us.").format(number=esc(submitted.request.number)))
    if request_notices is not None:
        await request_notices.tell(submitted)


@routes.callback_query(StateFilter(RequestEntry), RequestAction.filter(F.action == "discard"))
async def discard(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await query.answer(_("Discarded."))
    await query.message.answer(_("Your request was discarded. /request starts a new one."))


@routes.callback_query(RequestAction.filter())
@routes.callback_query(RequestItem.filter())
@routes.callback_query(RequestRemove.filter())
async def stale(query: CallbackQuery, user: User) -> None:
    user.require_customer()
    await query.answer(_("This choice is no longer open."), show_alert=True)


@routes.message(StateFilter(RequestEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))


# --- inline mode: @bot chair in any chat ----------------------------------------------------------

@routes.inline_query()
async def inline_search(query: InlineQuery, deps: Deps) -> None:
    """Linked customers see matching items at their own price, staff at the sales price; anyone
    else gets an empty answer. Choosing a result sends /request <item> (staff: the item's price)."""
    user = await user_by_telegram_id(deps.uow(), query.from_user.id)
    set_locale(pick_locale(user.language if user else None, query.from_user.language_code))
    results = []
    if user is not None and query.query.strip():
        try:
            found = await requests.search_catalog(deps.uow(), deps.clock, user, query.query,
                                                  limit=requests.INLINE_LIMIT)
        except DomainError:
            found = []
        for e in found:
            price = _price(e, deps.currency)
            text = (f"/request {esc(e.item.item_number)}" if user.is_customer
                    else f"{esc(e.item.item_number)} {esc(e.item.name)}: {price}")
            results.append(InlineQueryResultArticle(
                id=f"i{e.item.id}", title=f"{e.item.item_number} · {e.item.name}",
                description=_("{price}, excluding sales tax").format(price=html.unescape(price)),
                input_message_content=InputTextMessageContent(message_text=text)))
    await query.answer(results, cache_time=0, is_personal=True)
