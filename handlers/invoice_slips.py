"""Choosing several packing slips of one customer, across orders and months, for one invoice
(reached from the /invoicing preview: Choose slips)."""
from __future__ import annotations

from collections.abc import Sequence

from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import _
from domain.packing_slip import PackingSlip
from domain.services import invoicing
from domain.user import User
from handlers.callbacks import InvoicePdf
from handlers.deps import Deps
from handlers.pro_forma import answer_pro_forma
from handlers.routes import Routes
from handlers.text import esc, money

routes = Routes("invoice_slips")


class ChooseSlips(CallbackData, prefix="ic"):
    action: str  # open / post / pro_forma
    customer_id: int


SLIPS_OFFERED = 30  # the oldest; one keyboard of many more would pass Telegram's limits


class SlipPick(CallbackData, prefix="is"):
    customer_id: int
    slip_id: int


def choose_button(customer_id: int, account: str) -> Button:
    return Button(text=_("Choose slips {account}").format(account=account),
                  callback_data=ChooseSlips(action="open", customer_id=customer_id).pack())


async def _keyboard(deps: Deps, user: User, customer_id: int, chosen: set[int]) -> InlineKeyboardMarkup:
    _customer, slips = await invoicing.slips_to_choose(deps.uow(), user, customer_id)
    return _slip_keyboard(customer_id, slips, chosen)


def _slip_keyboard(customer_id: int, slips: Sequence[tuple[PackingSlip, str]], chosen: set[int]
                   ) -> InlineKeyboardMarkup:
    rows = [[Button(text=("✅ " if s.id in chosen else "▫️ ") + f"{s.number} · {order} · {s.posted_on.isoformat()}",
                    callback_data=SlipPick(customer_id=customer_id, slip_id=s.id).pack())]
            for s, order in slips[:SLIPS_OFFERED]]
    rows.append([Button(text=_("Post invoice"), callback_data=ChooseSlips(action="post", customer_id=customer_id).pack()),
                 Button(text=_("Pro forma"), callback_data=ChooseSlips(action="pro_forma", customer_id=customer_id).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _chosen(state: FSMContext, customer_id: int) -> set[int]:
    data = await state.get_data()
    return set(data.get("slip_choice") or []) if data.get("slip_choice_customer") == customer_id else set()


@routes.callback_query(ChooseSlips.filter(F.action == "open"))
async def open_choice(query: CallbackQuery, callback_data: ChooseSlips, user: User, state: FSMContext,
                      deps: Deps) -> None:
    customer, slips = await invoicing.slips_to_choose(deps.uow(), user, callback_data.customer_id)
    await state.update_data(slip_choice_customer=customer.id, slip_choice=[])
    await query.answer()
    text = _("Tap the packing slips of {customer} to put on one invoice, from any of their orders, then "
             "Post invoice.").format(customer=esc(customer.name))
    if len(slips) > SLIPS_OFFERED:
        text += "\n\n" + _("The oldest {shown} of {count} are offered; once they are invoiced, the next "
                            "ones are.").format(shown=SLIPS_OFFERED, count=len(slips))
    await query.message.answer(text, reply_markup=_slip_keyboard(customer.id, slips, set()))


@routes.callback_query(SlipPick.filter())
async def toggle(query: CallbackQuery, callback_data: SlipPick, user: User, state: FSMContext, deps: Deps) -> None:
    chosen = await _chosen(state, callback_data.customer_id)
    if callback_data.slip_id not in chosen:
        await invoicing.check_slip_choice(deps.uow(), user, callback_data.customer_id, callback_data.slip_id)
    chosen ^= {callback_data.slip_id}
    await state.update_data(slip_choice_customer=callback_data.customer_id, slip_choice=sorted(chosen))
    await query.message.edit_reply_markup(reply_markup=await _keyboard(deps, user, callback_data.customer_id, chosen))
    await query.answer()  # after the edit: the ticks are in place when the spinner stops


@routes.callback_query(ChooseSlips.filter(F.action.in_({"post", "pro_forma"})))
async def post_or_pro_forma(query: CallbackQuery, callback_data: ChooseSlips, user: User, state: FSMContext,
                            deps: Deps) -> None:
    chosen = sorted(await _chosen(state, callback_data.customer_id))
    if not chosen:
        await query.answer(_("Tap at least one packing slip first."), show_alert=True)
        return
    if callback_data.action == "pro_forma":  # the choice stays open for posting afterwards
        document = await invoicing.pro_forma_for_packing_slips(deps.uow(), deps.clock, user,
                                                               callback_data.customer_id, chosen)
        customer = await deps.customer(document.customer_id)
        await answer_pro_forma(query, deps, document, customer.account_number)
        return
    invoice = await invoicing.invoice_packing_slips(deps.uow(), deps.clock, user, callback_data.customer_id, chosen)
    customer = await deps.customer(invoice.customer_id)  # the report names the invoice's own customer
    deps.mail_queued()
    await state.update_data(slip_choice_customer=None, slip_choice=[])
    await query.answer(_("Invoiced."))
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(
        _("Invoice {number} for {customer} is posted: {total}. It is e-mailed to {email}.").format(
            number=esc(invoice.number), customer=esc(customer.name),
            total=money(invoice.totals.gross, deps.currency), email=esc(customer.email)),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("PDF"), callback_data=InvoicePdf(invoice_id=invoice.id).pack())]]))
