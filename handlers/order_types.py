"""§4 order types in chat: confirm a quotation as another type, and change an order's type.
Returned orders (/return, Receive, Credit note) are in handlers/returns.py."""
from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.sales_order import ENTRY_TYPES, SalesOrderType
from domain.services import order_types, orders, quotations
from domain.user import Permission, User
from handlers.callbacks import OrderOpen
from handlers.deps import Deps
from handlers.labels import label
from handlers.order_type_buttons import TypeChoice, TypeMenu, type_buttons
from handlers.orders import show_order
from handlers.routes import Routes
from handlers.text import esc
from handlers.filters import TYPED

routes = Routes("order_types")


class TypeEntry(StatesGroup):
    project = State()


async def _drop_buttons(query: CallbackQuery) -> None:
    if query.message and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)


# --- choosing a type ----------------------------------------------------------------------------

@routes.callback_query(TypeMenu.filter())
async def type_menu(query: CallbackQuery, callback_data: TypeMenu, user: User, deps: Deps) -> None:
    user.require(Permission.CONFIRM)
    if callback_data.target == "q":
        await quotations.get_quotation(deps.uow(), user, callback_data.doc_id)  # visible?
        types, text = ENTRY_TYPES, _("Confirm the quotation as which order type?")
    else:
        order, _slips = await orders.get_order(deps.uow(), user, callback_data.doc_id)
        types = [t for t in SalesOrderType if t is not order.order_type]
        text = _("Sales order {number} is of type {type}. Change it to:").format(
            number=esc(order.number), type=esc(label(order.order_type)))
    await query.answer()
    await query.message.answer(text, reply_markup=InlineKeyboardMarkup(
        inline_keyboard=type_buttons(callback_data.target, callback_data.doc_id, types)))


@routes.callback_query(TypeChoice.filter())
async def type_chosen(query: CallbackQuery, callback_data: TypeChoice, user: User,
                      state: FSMContext, deps: Deps) -> None:
    user.require(Permission.CONFIRM)
    order_type = SalesOrderType(callback_data.order_type)
    if order_type is SalesOrderType.ITEM_REQUIREMENTS:
        await state.set_state(TypeEntry.project)
        await state.update_data(type_target=callback_data.target, type_doc_id=callback_data.doc_id)
        await query.answer()
        await query.message.answer(_("Item requirements are made for a project. Type the project reference."))
        return
    # Answered only after the change, so a refusal shows as the button's alert.
    await _apply_type(query.message, user, state, deps, callback_data.target, callback_data.doc_id,
                      order_type, None, query)
    await _drop_buttons(query)


@routes.message(TypeEntry.project, TYPED)
async def project_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    await _apply_type(message, user, state, deps, data["type_target"], data["type_doc_id"],
                      SalesOrderType.ITEM_REQUIREMENTS, message.text)


async def _apply_type(message: Message, user: User, state: FSMContext, deps: Deps, target: str,
                      doc_id: int, order_type: SalesOrderType, project: str | None,
                      query: CallbackQuery | None = None) -> None:
    if target == "q":
        order = await quotations.confirm_quotation(
            deps.uow(), deps.clock, user, doc_id, order_type, project_reference=project,
            warehouse_management=deps.warehouse_management)
        if query:
            await query.answer(_("Confirmed."))
        await state.clear()
        await message.answer(
            _("The quotation is confirmed: sales order {number} is created.").format(number=esc(order.number))
            + "\n" + _("Type: {type}").format(type=esc(label(order.order_type))),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
                text=_("Show sales order {number}").format(number=order.number),
                callback_data=OrderOpen(order_id=order.id).pack())]]))
        return
    order = await order_types.change_order_type(
        deps.uow(), deps.clock, user, doc_id, order_type, project_reference=project,
        warehouse_management=deps.warehouse_management)
    if query:
        await query.answer()
    await state.clear()
    await message.answer(_("Sales order {number} is now of type {type}.").format(
        number=esc(order.number), type=esc(label(order.order_type))))
    await show_order(message, deps, user, order.id)
