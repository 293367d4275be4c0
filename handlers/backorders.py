"""/backorders: by item, by customer, by vendor; allocation with a preview; a line's priority and
confirmed delivery date."""
from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.backorder import BackorderLine, ItemDetail
from domain.services import backorders
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.labels import label
from handlers.parsing import parse_day
from handlers.routes import Routes
from handlers.text import day, esc, qty
from handlers.filters import TYPED

routes = Routes("backorders")


class BackorderList(CallbackData, prefix="bv"):
    kind: str  # item / customer / vendor


class BackorderItem(CallbackData, prefix="bi"):
    item_id: int


class BackorderCustomer(CallbackData, prefix="bc"):
    customer_id: int


class BackorderVendor(CallbackData, prefix="bn"):
    vendor_id: int


class BackorderAllocate(CallbackData, prefix="ba"):
    action: str  # preview / commit
    item_id: int


class BackorderLineAction(CallbackData, prefix="bl"):
    action: str  # priority / date
    order_id: int
    line_number: int


class ConfirmingDate(StatesGroup):
    day = State()


def _keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


@routes.message(Command("backorders"))
async def choose_view(message: Message, user: User, state: FSMContext) -> None:
    user.require(Permission.BACKORDERS)
    await state.clear()
    await message.answer(_("Backorders: sales order lines still to deliver. View them by:"),
                         reply_markup=_keyboard([[
                             Button(text=_("By item"), callback_data=BackorderList(kind="item").pack()),
                             Button(text=_("By customer"), callback_data=BackorderList(kind="customer").pack()),
                             Button(text=_("By vendor"), callback_data=BackorderList(kind="vendor").pack())]]))


@routes.callback_query(BackorderList.filter(F.kind == "item"))
async def list_by_item(query: CallbackQuery, user: User, deps: Deps) -> None:
    found = await backorders.by_item(deps.uow(), user)
    await query.answer()
    if not found:
        await query.message.answer(_("There are no backorders."))
        return
    rows = [[Button(text=_("{item} · orders: {orders} · {remainder} to deliver · short {short}").format(
        item=i.item_number, orders=i.open_orders, remainder=qty(i.remainder), short=qty(i.short)),
        callback_data=BackorderItem(item_id=i.item_id).pack())] for i in found]
    await query.message.answer(_("Backorders by item (largest shortage first):"), reply_markup=_keyboard(rows))


@routes.callback_query(BackorderList.filter(F.kind == "customer"))
async def list_by_customer(query: CallbackQuery, user: User, deps: Deps) -> None:
    found = await backorders.by_customer(deps.uow(), user)
    await query.answer()
    if not found:
        await query.message.answer(_("There are no backorders."))
        return
    rows = [[Button(text=_("{customer} · orders: {orders} · lines: {lines}").format(
        customer=c.name[:28], orders=c.open_orders, lines=c.lines),
        callback_data=BackorderCustomer(customer_id=c.customer_id).pack())] for c in found]
    await query.message.answer(_("Backorders by customer:"), reply_markup=_keyboard(rows))


@routes.callback_query(BackorderList.filter(F.kind == "vendor"))
async def list_by_vendor(query: CallbackQuery, user: User, deps: Deps) -> None:
    found = await backorders.by_vendor(deps.uow(), user)
    await query.answer()
    if not found:
        await query.message.answer(_("No vendor deliveries are missing."))
        return
    rows = [[Button(text=_("{vendor} · {count} missing · first expected {date}").format(
        vendor=v.name[:28], count=v.purchase_orders, date=day(v.first_expected)),
        callback_data=BackorderVendor(vendor_id=v.vendor_id).pack())] for v in found]
    await query.message.answer(_("Missing vendor deliveries by vendor:"), reply_markup=_keyboard(rows))


def _line_text(line: BackorderLine, customer: str | None = None) -> str:
    parts = [f"{esc(line.order_number)}/{line.line_number}"]
    if customer is not None:
        parts.append(esc(customer))
    parts.append(_("{remainder} {unit} of {item} to deliver").format(
        remainder=qty(line.remainder), unit=esc(line.unit), item=esc(line.item_number)))
    if line.priority:
        parts.append(_("priority {priority}").format(priority=line.priority))
    if line.confirmed_date:
        parts.append(_("confirmed for {date}").format(date=day(line.confirmed_date)))
    if line.allocated:
        parts.append(_("{quantity} allocated").format(quantity=qty(min(line.allocated, line.remainder))))
    return "• " + " · ".join(parts)


def _line_buttons(lines: list[BackorderLine]) -> list[list[Button]]:
    return [[Button(text=_("⬆ Priority {order}/{line}").format(order=l.order_number, line=l.line_number),
                    callback_data=BackorderLineAction(action="priority", order_id=l.order_id,
                                                      line_number=l.line_number).pack()),
             Button(text=_("📅 Date {order}/{line}").format(order=l.order_number, line=l.line_number),
                    callback_data=BackorderLineAction(action="date", order_id=l.order_id,
                                                      line_number=l.line_number).pack())]
            for l in lines]


async def _customer_names(deps: Deps, lines: list[BackorderLine]) -> dict[int, str]:
    return {cid: (await deps.customer(cid)).name for cid in {l.customer_id for l in lines}}


async def item_text(deps: Deps, detail: ItemDetail) -> str:
    i = detail.item
    text = [_("<b>{item} {name}</b>").format(item=esc(i.item_number), name=esc(i.name)),
            _("On hand: {on_hand} {unit}").format(on_hand=qty(i.on_hand), unit=esc(i.unit)),
            _("Open sales orders: {orders}, still to deliver: {remainder} {unit}").format(
                orders=i.open_orders, remainder=qty(i.remainder), unit=esc(i.unit))]
    if detail.deliveries:
        text.append(_("Missing vendor deliveries:"))
        text += ["• " + _("{number} from {vendor}: {missing} {unit} expected {date}").format(
            number=esc(d.number), vendor=esc(d.vendor_name), missing=qty(d.missing), unit=esc(i.unit),
            date=day(d.expected_date)) for d in detail.deliveries]
    else:
        text.append(_("No vendor deliveries are missing."))
    text.append(_("Quantity short: {short} {unit}").format(short=qty(detail.short), unit=esc(i.unit)))
    text.append(_("More must be ordered to deliver all orders in time.") if detail.must_order_more
                else _("Stock and expected deliveries cover all orders in time."))
    if detail.lines:
        names = await _customer_names(deps, detail.lines)
        text.append("")
        text.append(_("Backorder lines, in allocation order:"))
        text += [_line_text(l, names[l.customer_id]) for l in detail.lines]
    return "\n".join(text)


async def show_item(message: Message, user: User, deps: Deps, item_id: int) -> None:
    detail = await backorders.item_detail(deps.uow(), user, item_id)
    rows = []
    if user.can(Permission.ALLOCATE) and detail.item.open_orders:
        rows.append([Button(text=_("Allocate on-hand stock"),
                            callback_data=BackorderAllocate(action="preview", item_id=item_id).pack())])
    rows += _line_buttons(detail.lines)
    await message.answer(await item_text(deps, detail), reply_markup=_keyboard(rows))


@routes.callback_query(BackorderItem.filter())
async def open_item(query: CallbackQuery, callback_data: BackorderItem, user: User, deps: Deps) -> None:
    await query.answer()
    await show_item(query.message, user, deps, callback_data.item_id)


@routes.callback_query(BackorderCustomer.filter())
async def open_customer(query: CallbackQuery, callback_data: BackorderCustomer, user: User, deps: Deps) -> None:
    detail = await backorders.customer_detail(deps.uow(), user, callback_data.customer_id)
    await query.answer()
    text = [_("<b>{customer}</b>: remaining orders").format(customer=esc(detail.customer.name))]
    current = None
    for line in detail.lines:
        if line.order_id != current:
            current = line.order_id
            text.append(_("{order} ({status}), ordered {date}").format(
                order=esc(line.order_number), status=esc(label(line.status)), date=day(line.ordered_at.date())))
        text.append(_line_text(line))
    await query.message.answer("\n".join(text), reply_markup=_keyboard(_line_buttons(detail.lines)))


@routes.callback_query(BackorderVendor.filter())
async def open_vendor(query: CallbackQuery, callback_data: BackorderVendor, user: User, deps: Deps) -> None:
    detail = await backorders.vendor_detail(deps.uow(), user, callback_data.vendor_id)
    await query.answer()
    text = [_("<b>{vendor}</b> ({account}): missing deliveries").format(
        vendor=esc(detail.vendor.name), account=esc(detail.vendor.account))]
    text += ["• " + _("{number}: {missing} of {item} expected {date}").format(
        number=esc(d.number), missing=qty(d.missing), item=esc(d.item_number), date=day(d.expected_date))
        for d in detail.deliveries] or [_("No vendor deliveries are missing.")]
    if detail.waiting:
        names = await _customer_names(deps, detail.waiting)
        text += ["", _("Sales orders waiting on them:")]
        text += [_line_text(l, names[l.customer_id]) for l in detail.waiting]
    items = {d.item_id: d.item_number for d in detail.deliveries}
    rows = [[Button(text=number, callback_data=BackorderItem(item_id=item_id).pack())]
            for item_id, number in items.items()]
    await query.message.answer("\n".join(text), reply_markup=_keyboard(rows))


@routes.callback_query(BackorderAllocate.filter(F.action == "preview"))
async def preview(query: CallbackQuery, callback_data: BackorderAllocate, user: User, deps: Deps) -> None:
    plan = await backorders.preview_allocation(deps.uow(), user, callback_data.item_id)
    await query.answer()
    item = plan.item
    text = [_("Allocation of {on_hand} {unit} of {item} on hand (preview, nothing is stored yet):").format(
        on_hand=qty(item.on_hand), unit=esc(item.unit), item=esc(item.item_number))]
    text += ["• " + _("{order}/{line}: {quantity} of {remainder}").format(
        order=esc(a.line.order_number), line=a.line.line_number, quantity=qty(a.quantity),
        remainder=qty(a.line.remainder)) for a in plan.allocations[:backorders.DETAIL_LIMIT]]
    hidden = len(plan.allocations) - backorders.DETAIL_LIMIT
    if hidden > 0:
        text.append(_("… and {count} more lines").format(count=hidden))
    await query.message.answer("\n".join(text), reply_markup=_keyboard([[Button(
        text=_("Commit allocation"),
        callback_data=BackorderAllocate(action="commit", item_id=item.id).pack())]]))


@routes.callback_query(BackorderAllocate.filter(F.action == "commit"))
async def commit(query: CallbackQuery, callback_data: BackorderAllocate, user: User, deps: Deps) -> None:
    plan = await backorders.commit_allocation(deps.uow(), user, callback_data.item_id)
    await query.answer(_("Allocated."))
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(_("{total} {unit} of {item} is allocated to {count} lines.").format(
        total=qty(plan.total), unit=esc(plan.item.unit), item=esc(plan.item.item_number),
        count=sum(1 for a in plan.allocations if a.quantity)))


@routes.callback_query(BackorderLineAction.filter(F.action == "priority"))
async def raise_priority(query: CallbackQuery, callback_data: BackorderLineAction, user: User,
                         deps: Deps) -> None:
    line = await backorders.raise_line_priority(deps.uow(), user, callback_data.order_id,
                                                callback_data.line_number)
    await query.answer(_("Priority of line {line} is now {priority}.").format(
        line=line.line_number, priority=line.priority))


@routes.callback_query(BackorderLineAction.filter(F.action == "date"))
async def ask_date(query: CallbackQuery, callback_data: BackorderLineAction, user: User,
                   state: FSMContext, deps: Deps) -> None:
    order, line = await backorders.line_of(deps.uow(), user, callback_data.order_id, callback_data.line_number)
    await state.set_state(ConfirmingDate.day)
    await state.update_data(order_id=order.id, line_number=line.line_number)
    await query.answer()
    await query.message.answer(_("Type the confirmed delivery date of {order}/{line} ({item}), "
                                 "e.g. 2026-12-31, 31-12-2026 or 14 (days from today).").format(
        order=esc(order.number), line=line.line_number, item=esc(line.item_number)))


@routes.message(ConfirmingDate.day, TYPED)
async def date_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    data = await state.get_data()
    typed = parse_day(message.text, deps.clock.today())
    line = await backorders.set_confirmed_date(deps.uow(), deps.clock, user, data["order_id"],
                                               data["line_number"], typed)
    await state.clear()
    await message.answer(_("Line {line}: delivery confirmed for {date}.").format(
        line=line.line_number, date=day(typed)))
