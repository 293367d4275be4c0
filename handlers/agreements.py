"""/agreements: the sales agreements a user may see; Set effective, Put on hold, Close, and Order
from (a requested ship date, then a quantity per line), with what is fulfilled and what remains."""
from __future__ import annotations

from datetime import date

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.services import sales_agreements as agreements
from domain.user import User
from handlers.agreement_entry import AgreementAction, show_agreement
from handlers.filters import TYPED
from handlers.callbacks import OrderOpen
from handlers.deps import Deps
from handlers.labels import label
from handlers.parsing import parse_day, parse_line_quantities
from handlers.routes import Routes
from handlers.text import day, esc, money, qty

routes = Routes("agreements")


class AgreementOpen(CallbackData, prefix="ag"):
    agreement_id: int


class OrderingFromAgreement(StatesGroup):
    ship_date = State()
    quantities = State()


def _new_button() -> Button:
    return Button(text=_("New sales agreement"),
                  callback_data=AgreementAction(action="new", agreement_id=0).pack())


@routes.message(Command("agreements"))
async def list_agreements(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    found = await agreements.list_agreements(deps.uow(), user)
    await state.clear()
    rows = [[Button(text=f"{a.number} · {c.name[:24]} · {label(a.status)}",
                    callback_data=AgreementOpen(agreement_id=a.id).pack())] for a, c in found]
    rows.append([_new_button()])
    await message.answer(_("Sales agreements:") if found else _("There are no sales agreements yet."),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(AgreementOpen.filter())
async def open_agreement(query: CallbackQuery, callback_data: AgreementOpen, user: User, deps: Deps) -> None:
    view = await agreements.get_agreement(deps.uow(), user, callback_data.agreement_id)
    await query.answer()
    await show_agreement(query.message, deps, view)


@routes.callback_query(AgreementAction.filter(F.action == "show"))
async def show(query: CallbackQuery, callback_data: AgreementAction, user: User, deps: Deps) -> None:
    view = await agreements.get_agreement(deps.uow(), user, callback_data.agreement_id)
    await query.answer()
    await show_agreement(query.message, deps, view)


@routes.callback_query(AgreementAction.filter(F.action.in_({"effective", "hold", "close"})))
async def change_status(query: CallbackQuery, callback_data: AgreementAction, user: User,
                        state: FSMContext, deps: Deps) -> None:
    agreement_id = callback_data.agreement_id
    if callback_data.action == "effective":
        a = await agreements.set_effective(deps.uow(), deps.clock, user, agreement_id)
        done = _("Sales agreement {number} is effective: orders can be taken from it.")
    elif callback_data.action == "hold":
        a = await agreements.put_on_hold(deps.uow(), user, agreement_id)
        done = _("Sales agreement {number} is on hold: no orders can be taken from it.")
    else:
        a = await agreements.close(deps.uow(), deps.clock, user, agreement_id)
        done = _("Sales agreement {number} is closed.")
    if (await state.get_data()).get("agreement_id") == agreement_id:
        await state.clear()  # the entry of its lines (or an order from it) ends here
    await query.answer()
    await query.message.answer(done.format(number=esc(a.number)))
    await show_agreement(query.message, deps, await agreements.get_agreement(deps.uow(), user, agreement_id))


@routes.callback_query(AgreementAction.filter(F.action == "order"))
async def ask_ship_date(query: CallbackQuery, callback_data: AgreementAction, user: User,
                        state: FSMContext, deps: Deps) -> None:
    view = await agreements.check_order(deps.uow(), deps.clock, user, callback_data.agreement_id)
    a = view.agreement
    await state.clear()
    await state.set_state(OrderingFromAgreement.ship_date)
    await state.update_data(agreement_id=a.id)
    await query.answer()
    await query.message.answer(
        _("Order from sales agreement {number}. Requested ship date? It must be between {start} and {end}; "
          "type e.g. 2026-12-31, 31-12-2026, or a number of days.").format(
            number=esc(a.number), start=day(a.valid_from), end=day(a.valid_to)))


@routes.message(OrderingFromAgreement.ship_date, TYPED)
async def ship_date_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    ship_date = parse_day(message.text, deps.clock.today())
    view = await agreements.check_order(deps.uow(), deps.clock, user, data["agreement_id"], ship_date)
    await state.update_data(ship_date=ship_date.isoformat(),
                            lines=[l.line_number for l in view.agreement.lines])
    await state.set_state(OrderingFromAgreement.quantities)
    rows = []
    for r in view.fulfilment.lines:
        l = r.line
        row = _("{n}. {item} {name}: ordered so far {quantity} {unit}").format(
            n=l.line_number, item=esc(l.item_number), name=esc(l.description),
            quantity=qty(r.ordered_quantity), unit=esc(l.unit))
        if r.remaining is not None:
            remaining = (f"{qty(r.remaining)} {esc(l.unit)}" if l.committed_quantity is not None
                         else money(r.remaining, deps.currency))
            row += "; " + _("remaining {amount}").format(amount=remaining)
        rows.append(row)
    await message.answer("\n".join(rows) + "\n\n" + _(
        "Type the quantity to order for each line in order (e.g. <code>10 0 5</code>), "
        "or by line (e.g. <code>1:10 3:5</code>)."))


@routes.message(OrderingFromAgreement.quantities, TYPED)
async def quantities_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    quantities = parse_line_quantities(message.text, data["lines"])
    ship_date = date.fromisoformat(data["ship_date"])
    order = await agreements.order_from_agreement(deps.uow(), deps.clock, user, data["agreement_id"],
                                                  ship_date, quantities)
    await state.clear()
    buttons = InlineKeyboardMarkup(inline_keyboard=[[
        Button(text=_("Show sales order {number}").format(number=order.number), callback_data=OrderOpen(order_id=order.id).pack()),
        Button(text=_("Show sales agreement"),
               callback_data=AgreementAction(action="show", agreement_id=data["agreement_id"]).pack())]])
    await message.answer(
        _("Sales order {number} is created from the sales agreement at its prices, requested ship date {date}: "
          "{total}. Deliver and invoice it in /orders.").format(
            number=esc(order.number), date=day(ship_date), total=money(order.totals.gross, deps.currency)),
        reply_markup=buttons)


@routes.message(StateFilter(OrderingFromAgreement), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))
