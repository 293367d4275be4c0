"""§4 returned orders in chat: /return makes one from an invoice (quantities per line, a reason);
on it, Receive puts the goods back in stock and Credit note posts and e-mails the credit note."""
from __future__ import annotations

from decimal import Decimal

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.errors import N_, InvalidInput
from domain.returns import COMMON_REASONS
from domain.services import order_types, orders
from domain.user import Permission, User
from handlers.callbacks import InvoicePdf
from handlers.deps import Deps
from handlers.order_type_buttons import ReturnAction
from handlers.orders import show_order
from handlers.parsing import parse_line_quantities
from handlers.routes import Routes
from handlers.text import esc, money, qty
from handlers.filters import TYPED

routes = Routes("returns")


class ReturnEntry(StatesGroup):
    invoice = State()
    quantities = State()
    reason = State()
    receipt = State()


async def _drop_buttons(query: CallbackQuery) -> None:
    if query.message and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)


# --- /return -------------------------------------------------------------------------------------

@routes.message(Command("return"))
async def start_return(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    user.require(Permission.INVOICE)
    found = await order_types.returnable_invoices(deps.uow(), user)
    await state.set_state(ReturnEntry.invoice)
    rows = []
    for invoice in found:
        customer = await deps.customer(invoice.customer_id)
        rows.append([Button(
            text=f"{invoice.number} · {customer.name[:24]} · {invoice.invoiced_on.isoformat()}",
            callback_data=ReturnAction(action="inv", ref=invoice.id).pack())])
    text = _("Return goods from which invoice? Tap it or type its number.") if rows else \
        _("You have no posted invoices to return goods from. Type an invoice number, or /cancel.")
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None)


@routes.callback_query(ReturnAction.filter(F.action == "inv"))
async def invoice_picked(query: CallbackQuery, callback_data: ReturnAction, user: User,
                         state: FSMContext, deps: Deps) -> None:
    found = await order_types.returnable_of(deps.uow(), user, invoice_id=callback_data.ref)
    await query.answer()
    await _ask_quantities(query.message, state, deps, found)


@routes.message(ReturnEntry.invoice, TYPED)
async def invoice_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    found = await order_types.returnable_of(deps.uow(), user, number=message.text)
    await _ask_quantities(message, state, deps, found)


async def _ask_quantities(message: Message, state: FSMContext, deps: Deps,
                          found: order_types.Returnable) -> None:
    invoice = found.invoice
    open_lines = [n for n, left in found.left.items() if left > 0]
    if not open_lines:
        await state.clear()
        await message.answer(_("Everything on invoice {number} is returned already.").format(
            number=esc(invoice.number)))
        return
    customer = await deps.customer(invoice.customer_id)
    rows = [_("{n}. {item} {name}: invoiced {invoiced} {unit}, can still be returned {left}").format(
        n=n, item=esc(l.item_number), name=esc(l.description), invoiced=qty(l.quantity),
        unit=esc(l.unit), left=qty(found.left[n])) for n, l in enumerate(invoice.lines, start=1)]
    await state.set_state(ReturnEntry.quantities)
    await state.update_data(return_invoice_id=invoice.id, return_open_lines=open_lines)
    await message.answer(
        _("Invoice {number} · {customer}").format(number=esc(invoice.number), customer=esc(customer.name))
        + "\n" + "\n".join(rows) + "\n\n"
        + _("Type the quantity coming back for each open line in order (e.g. <code>1 0 2</code>), "
            "or by line (e.g. <code>1:2</code>), or tap Return all."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("Return all"), callback_data=ReturnAction(action="all", ref=invoice.id).pack())]]))


@routes.message(ReturnEntry.quantities, TYPED)
async def quantities_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    quantities = parse_line_quantities(message.text, data["return_open_lines"])
    await _ask_reason(message, user, state, deps, data["return_invoice_id"], quantities)


@routes.callback_query(ReturnAction.filter(F.action == "all"))
async def return_all(query: CallbackQuery, callback_data: ReturnAction, user: User,
                     state: FSMContext, deps: Deps) -> None:
    found = await order_types.returnable_of(deps.uow(), user, invoice_id=callback_data.ref)
    await _ask_reason(query.message, user, state, deps, found.invoice.id,
                      {n: left for n, left in found.left.items() if left > 0})
    await query.answer()


async def _ask_reason(message: Message, user: User, state: FSMContext, deps: Deps, invoice_id: int,
                      quantities: dict[int, Decimal]) -> None:
    # Refuse a wrong quantity now, before the reason is asked; nothing is written yet.
    await order_types.check_return(deps.uow(), user, invoice_id, quantities)
    await state.set_state(ReturnEntry.reason)
    await state.update_data(return_invoice_id=invoice_id,
                            return_quantities={str(n): str(q) for n, q in quantities.items()})
    buttons = [[Button(text=_(reason), callback_data=ReturnAction(action="why", ref=invoice_id,
                                                                 value=i).pack())]
               for i, reason in enumerate(COMMON_REASONS)]
    await message.answer(_("Why are the goods returned? Tap a reason or type it."),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons))


@routes.callback_query(ReturnAction.filter(F.action == "why"))
async def reason_tapped(query: CallbackQuery, callback_data: ReturnAction, user: User,
                        state: FSMContext, deps: Deps) -> None:
    if not 0 <= callback_data.value < len(COMMON_REASONS):
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    # The reason is kept in the salesperson's language, as they chose it.
    await _create_return(query.message, user, state, deps, callback_data.ref,
                         _(COMMON_REASONS[callback_data.value]))
    await query.answer()
    await _drop_buttons(query)


@routes.message(ReturnEntry.reason, TYPED)
async def reason_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    await _create_return(message, user, state, deps, data["return_invoice_id"], message.text)


async def _create_return(message: Message, user: User, state: FSMContext, deps: Deps,
                         invoice_id: int, reason: str) -> None:
    data = await state.get_data()
    if data.get("return_invoice_id") != invoice_id or "return_quantities" not in data:
        raise InvalidInput(N_("This return is no longer being entered. Start again with /return."))
    quantities = {int(n): Decimal(q) for n, q in data["return_quantities"].items()}
    order = await order_types.start_return(deps.uow(), deps.clock, user, invoice_id, quantities, reason)
    await state.clear()
    await message.answer(_("Returned order {number} is created with RMA number {rma}.").format(
        number=esc(order.number), rma=esc(order.rma_number)))
    await show_order(message, deps, user, order.id)


# --- a returned order: receive and credit ---------------------------------------------------------

@routes.callback_query(ReturnAction.filter(F.action == "rcv"))
async def ask_receipt(query: CallbackQuery, callback_data: ReturnAction, user: User,
                      state: FSMContext, deps: Deps) -> None:
    user.require(Permission.DELIVER)
    order, _slips = await orders.get_order(deps.uow(), user, callback_data.ref)
    order.require_receivable()
    open_lines = [l for l in order.lines if l.deliver_remainder > 0]
    await state.set_state(ReturnEntry.receipt)
    await state.update_data(receipt_order_id=order.id, receipt_open_lines=[l.line_number for l in open_lines])
    rows = "\n".join(_("{n}. {item}: {remainder} {unit} to receive").format(
        n=l.line_number, item=esc(l.item_number), remainder=qty(l.deliver_remainder), unit=esc(l.unit))
        for l in open_lines)
    await query.answer()
    await query.message.answer(
        rows + "\n\n" + _("Type the quantity received now for each line in order (e.g. <code>3 0 2</code>), "
                          "or by line (e.g. <code>1:3</code>), or tap Receive all."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("Receive all"), callback_data=ReturnAction(action="rca", ref=order.id).pack())]]))


@routes.message(ReturnEntry.receipt, TYPED)
async def receipt_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    quantities = parse_line_quantities(message.text, data["receipt_open_lines"])
    await _receive(message, user, state, deps, data["receipt_order_id"], quantities)


@routes.callback_query(ReturnAction.filter(F.action == "rca"))
async def receive_all(query: CallbackQuery, callback_data: ReturnAction, user: User,
                      state: FSMContext, deps: Deps) -> None:
    await _receive(query.message, user, state, deps, callback_data.ref, None)
    await query.answer()  # after the service: a refusal shows as the alert
    await _drop_buttons(query)


async def _receive(message: Message, user: User, state: FSMContext, deps: Deps, order_id: int,
                   quantities: dict[int, Decimal] | None) -> None:
    slip = await order_types.receive_return(deps.uow(), deps.clock, user, order_id, quantities)
    await state.clear()
    await message.answer(_("Receipt {number} is posted: the returned goods are back in stock.").format(
        number=esc(slip.number)))
    await show_order(message, deps, user, order_id)


@routes.callback_query(ReturnAction.filter(F.action == "crd"))
async def credit(query: CallbackQuery, callback_data: ReturnAction, user: User, deps: Deps) -> None:
    note = await order_types.credit_return(deps.uow(), deps.clock, user, callback_data.ref)
    deps.mail_queued()
    await query.answer()
    await _drop_buttons(query)
    total = money(note.totals.gross, deps.currency)
    # A returned order made by changing an order's type (not by /return) credits no invoice.
    text = (_("Credit note {number} for invoice {invoice} is posted: {total}. It is e-mailed to the "
              "customer.").format(number=esc(note.number), invoice=esc(note.credit_note_of), total=total)
            if note.credit_note_of else
            _("Credit note {number} is posted: {total}. It is e-mailed to the customer.").format(
                number=esc(note.number), total=total))
    await query.message.answer(
        text,
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("PDF"), callback_data=InvoicePdf(invoice_id=note.id).pack())]]))
    await show_order(query.message, deps, user, callback_data.ref)
