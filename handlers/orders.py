"""/orders: open sales orders; Deliver (packing slip) and Invoice (from the order or packing slips)."""
from __future__ import annotations

from aiogram import F
from handlers.routes import Routes
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.sales_order import DELIVERABLE_TYPES, SalesOrder, SalesOrderStatus
from domain.services import orders
from domain.user import Permission, User
from handlers.callbacks import InvoicePdf, OrderAction, OrderOpen, SlipToggle
from handlers.deps import Deps
from handlers.labels import label
from handlers.order_type_buttons import order_type_rows
from handlers.parsing import parse_line_quantities
from handlers.pro_forma import answer_pro_forma
from handlers.render import order_text
from handlers.text import esc, money, qty
from handlers.filters import TYPED

routes = Routes("orders")


class Delivering(StatesGroup):
    quantities = State()


def _button(text: str, action: str, order_id: int) -> Button:
    return Button(text=text, callback_data=OrderAction(action=action, order_id=order_id).pack())


@routes.message(Command("orders"))
async def list_orders(message: Message, user: User, deps: Deps) -> None:
    user.require(Permission.DELIVER)
    found = await orders.open_orders(deps.uow(), user)
    if not found:
        await message.answer(_("There are no open sales orders."))
        return
    rows = []
    for o in found:
        customer = await deps.customer(o.customer_id)
        rows.append([Button(text=f"{o.number} · {customer.name[:24]} · {label(o.status)}",
                            callback_data=OrderOpen(order_id=o.id).pack())])
    await message.answer(_("Open sales orders:"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


def actions_keyboard(order: SalesOrder) -> InlineKeyboardMarkup | None:
    row = []
    if order.status is SalesOrderStatus.OPEN_ORDER:
        row.append(_button(_("Deliver"), "deliver", order.id))
    if order.status in (SalesOrderStatus.OPEN_ORDER, SalesOrderStatus.DELIVERED) and any(
            l.delivered_not_invoiced for l in order.lines):
        row.append(_button(_("Invoice this order"), "invoice", order.id))
    if order.status is SalesOrderStatus.OPEN_ORDER and not any(l.delivered for l in order.lines):
        row.append(_button(_("Cancel order"), "cancel", order.id))
    # §4 order types: a journal is not delivered, a returned order is received and credited
    # instead, and any order's type can be changed.
    if order.order_type not in DELIVERABLE_TYPES:
        cancel = OrderAction(action="cancel", order_id=order.id).pack()
        row = [b for b in row if b.callback_data == cancel]
    rows = ([row] if row else []) + order_type_rows(order)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def show_order(message: Message, deps: Deps, user: User, order_id: int) -> None:
    order, slips = await orders.get_order(deps.uow(), user, order_id)
    customer = await deps.customer(order.customer_id)
    await message.answer(order_text(order, customer, slips, deps.currency),
                         reply_markup=actions_keyboard(order))


@routes.callback_query(OrderOpen.filter())
async def open_order(query: CallbackQuery, callback_data: OrderOpen, user: User, deps: Deps) -> None:
    await query.answer()
    await show_order(query.message, deps, user, callback_data.order_id)


@routes.callback_query(OrderAction.filter(F.action == "deliver"))
async def ask_delivery(query: CallbackQuery, callback_data: OrderAction, user: User,
                       state: FSMContext, deps: Deps) -> None:
    user.require(Permission.DELIVER)
    order, _slips = await orders.get_order(deps.uow(), user, callback_data.order_id)
    order.require_deliverable()
    open_lines = [l for l in order.lines if l.deliver_remainder > 0]
    await state.set_state(Delivering.quantities)
    await state.update_data(order_id=order.id, open_lines=[l.line_number for l in open_lines])
    rows = "\n".join(_("{n}. {item}: {remainder} {unit} to deliver").format(
        n=l.line_number, item=esc(l.item_number), remainder=qty(l.deliver_remainder), unit=esc(l.unit))
        for l in open_lines)
    await query.answer()
    await query.message.answer(
        rows + "\n\n" + _("Type the quantity to deliver now for each line in order (e.g. <code>3 0 2</code>), "
                          "or by line (e.g. <code>1:3 3:2</code>), or tap Deliver all."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[_button(_("Deliver all"), "deliver_all", order.id)]]))


@routes.message(Delivering.quantities, TYPED)
async def quantities_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    quantities = parse_line_quantities(message.text, data["open_lines"])
    await _deliver(message, user, state, deps, data["order_id"], quantities)


@routes.callback_query(OrderAction.filter(F.action == "deliver_all"))
async def deliver_all(query: CallbackQuery, callback_data: OrderAction, user: User,
                      state: FSMContext, deps: Deps) -> None:
    order, _slips = await orders.get_order(deps.uow(), user, callback_data.order_id)
    quantities = {l.line_number: l.deliver_remainder for l in order.lines if l.deliver_remainder > 0}
    await query.answer()
    await _deliver(query.message, user, state, deps, order.id, quantities)


async def _deliver(message: Message, user: User, state: FSMContext, deps: Deps, order_id: int,
                   quantities) -> None:
    slip = await orders.deliver(deps.uow(), deps.clock, user, order_id, quantities)
    await state.clear()
    await message.answer(_("Packing slip {number} is posted.").format(number=esc(slip.number)))
    await show_order(message, deps, user, order_id)


@routes.callback_query(OrderAction.filter(F.action == "invoice"))
async def ask_invoice_basis(query: CallbackQuery, callback_data: OrderAction, user: User,
                            state: FSMContext) -> None:
    user.require(Permission.INVOICE)
    await state.clear()
    await query.answer()
    await query.message.answer(_("Invoice what?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
        _button(_("All that is delivered"), "invoice_order", callback_data.order_id),
        _button(_("Choose packing slips"), "invoice_slips", callback_data.order_id)],
        [_button(_("Pro forma"), "pro_forma", callback_data.order_id)]]))


@routes.callback_query(OrderAction.filter(F.action == "pro_forma"))
async def pro_forma_of_order(query: CallbackQuery, callback_data: OrderAction, user: User,
                             deps: Deps) -> None:
    await _send_pro_forma(query, deps, user, callback_data.order_id, None)


async def _send_pro_forma(query: CallbackQuery, deps: Deps, user: User, order_id: int,
                          slip_ids: list[int] | None) -> None:
    """The invoice as it would be posted, as a PDF marked PRO FORMA; nothing is posted."""
    pro_forma = await orders.pro_forma_for_order(deps.uow(), deps.clock, user, order_id, slip_ids)
    await answer_pro_forma(query, deps, pro_forma, pro_forma.order_number)


@routes.callback_query(OrderAction.filter(F.action == "invoice_order"))
async def invoice_from_order(query: CallbackQuery, callback_data: OrderAction, user: User,
                             deps: Deps) -> None:
    await _post_invoice(query, deps, user, callback_data.order_id, None)


async def _slip_keyboard(deps: Deps, user: User, order_id: int, chosen: set[int]) -> InlineKeyboardMarkup:
    _order, slips = await orders.get_order(deps.uow(), user, order_id)
    rows = [[Button(text=("✅ " if s.id in chosen else "▫️ ") + f"{s.number} · {s.posted_on.isoformat()}",
                    callback_data=SlipToggle(order_id=order_id, slip_id=s.id).pack())]
            for s in slips if not s.is_invoiced]
    rows.append([_button(_("Post invoice"), "invoice_chosen", order_id),
                 _button(_("Pro forma"), "pro_forma_chosen", order_id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@routes.callback_query(OrderAction.filter(F.action == "invoice_slips"))
async def choose_slips(query: CallbackQuery, callback_data: OrderAction, user: User,
                       state: FSMContext, deps: Deps) -> None:
    await state.update_data(chosen_slips=[], invoice_order_id=callback_data.order_id)
    await query.answer()
    await query.message.answer(_("Tap the packing slips to invoice, then Post invoice."),
                               reply_markup=await _slip_keyboard(deps, user, callback_data.order_id, set()))


@routes.callback_query(SlipToggle.filter())
async def toggle_slip(query: CallbackQuery, callback_data: SlipToggle, user: User,
                      state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    chosen = set(data.get("chosen_slips") or []) if data.get("invoice_order_id") == callback_data.order_id else set()
    chosen ^= {callback_data.slip_id}
    await state.update_data(chosen_slips=sorted(chosen), invoice_order_id=callback_data.order_id)
    await query.answer()
    await query.message.edit_reply_markup(
        reply_markup=await _slip_keyboard(deps, user, callback_data.order_id, chosen))


@routes.callback_query(OrderAction.filter(F.action.in_({"invoice_chosen", "pro_forma_chosen"})))
async def invoice_chosen(query: CallbackQuery, callback_data: OrderAction, user: User,
                         state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    chosen = data.get("chosen_slips") if data.get("invoice_order_id") == callback_data.order_id else None
    if not chosen:
        await query.answer(_("Tap at least one packing slip first."), show_alert=True)
        return
    if callback_data.action == "pro_forma_chosen":  # the choice stays open for posting afterwards
        await _send_pro_forma(query, deps, user, callback_data.order_id, chosen)
        return
    await state.clear()
    await _post_invoice(query, deps, user, callback_data.order_id, chosen)


async def _post_invoice(query: CallbackQuery, deps: Deps, user: User, order_id: int,
                        slip_ids: list[int] | None) -> None:
    invoice = await orders.invoice_order(deps.uow(), deps.clock, user, order_id, slip_ids)
    deps.mail_queued()
    await query.answer(_("Invoiced."))
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    pdf_button = InlineKeyboardMarkup(inline_keyboard=[[Button(
        text=_("PDF"), callback_data=InvoicePdf(invoice_id=invoice.id).pack())]])
    await query.message.answer(_("Invoice {number} is posted: {total}. It is e-mailed to the customer.").format(
        number=esc(invoice.number), total=money(invoice.totals.gross, deps.currency)), reply_markup=pdf_button)
    await show_order(query.message, deps, user, order_id)


@routes.callback_query(InvoicePdf.filter())
async def send_invoice_pdf(query: CallbackQuery, callback_data: InvoicePdf, user: User, deps: Deps) -> None:
    invoice, sources = await orders.get_invoice(deps.uow(), user, callback_data.invoice_id)
    customer = await deps.customer(invoice.customer_id)
    await query.answer()
    pdf = await deps.documents.invoice_pdf_async(invoice, customer, sources, customer.language)
    await query.message.answer_document(BufferedInputFile(pdf, filename=f"{invoice.number}.pdf"))


@routes.callback_query(OrderAction.filter(F.action == "cancel"))
async def cancel_order(query: CallbackQuery, callback_data: OrderAction, user: User, deps: Deps) -> None:
    order = await orders.cancel_order(deps.uow(), deps.clock, user, callback_data.order_id)
    await query.answer()
    await query.message.answer(_("Sales order {number} is canceled.").format(number=esc(order.number)))
