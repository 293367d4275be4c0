"""Free text invoice drafts across conversations: /freetext lists them to continue; a draft can be
deleted and can post to another posting profile (the profiles are data)."""
from __future__ import annotations

from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import _
from domain.free_text_invoice import FreeTextInvoice
from domain.services import free_text_drafts as drafts
from domain.user import User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.text import esc, money

routes = Routes("free_text_drafts")


class DraftAction(CallbackData, prefix="vd"):
    action: str  # open / delete / profiles
    invoice_id: int


class ProfilePick(CallbackData, prefix="vp"):
    invoice_id: int
    code: str  # a posting profile code: at most 20 characters


def draft_rows(invoice: FreeTextInvoice) -> list[list[Button]]:
    """The buttons every draft shows, whether it has lines or not."""
    return [[Button(text=_("Posting profile: {code}").format(code=invoice.posting_profile),
                    callback_data=DraftAction(action="profiles", invoice_id=invoice.id).pack()),
             Button(text=_("Delete draft"), callback_data=DraftAction(action="delete", invoice_id=invoice.id).pack())]]


async def drafts_keyboard(deps: Deps, user: User) -> InlineKeyboardMarkup | None:
    """One button per unposted draft of the user, to continue it; None when there are none."""
    found = await drafts.my_drafts(deps.uow(), user)
    rows = []
    for d in found:
        customer = await deps.customer(d.customer_id)
        rows.append([Button(text=f"{d.label} · {customer.name[:24]} · {money(d.totals.gross, deps.currency)}",
                            callback_data=DraftAction(action="open", invoice_id=d.id).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


@routes.callback_query(DraftAction.filter(F.action == "open"))
async def open_draft(query: CallbackQuery, callback_data: DraftAction, user: User, state: FSMContext,
                     deps: Deps) -> None:
    from domain.services import free_text_invoices as fti
    from handlers.free_text_invoices import show_draft
    invoice = await fti.get_free_text_invoice(deps.uow(), user, callback_data.invoice_id)
    if not invoice.is_draft:
        await query.answer(_("This free text invoice is posted already: {number}.").format(number=invoice.number),
                           show_alert=True)
        return
    await query.answer()
    await show_draft(query.message, deps, invoice, state)


@routes.callback_query(DraftAction.filter(F.action == "delete"))
async def delete_draft(query: CallbackQuery, callback_data: DraftAction, user: User, state: FSMContext,
                       deps: Deps) -> None:
    invoice = await drafts.delete_draft(deps.uow(), user, callback_data.invoice_id)
    if (await state.get_data()).get("free_text_invoice_id") == invoice.id:
        await state.clear()
    await query.answer(_("Draft deleted."))
    if query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(_("Free text invoice draft {number} is deleted.").format(number=esc(invoice.label)))


@routes.callback_query(DraftAction.filter(F.action == "profiles"))
async def choose_profile(query: CallbackQuery, callback_data: DraftAction, deps: Deps) -> None:
    profiles = await drafts.posting_profiles(deps.uow())
    rows = [[Button(text=_("{code}: summary account {account}").format(code=p.code, account=p.summary_account),
                    callback_data=ProfilePick(invoice_id=callback_data.invoice_id, code=p.code).pack())]
            for p in profiles]
    await query.answer()
    await query.message.answer(_("Which posting profile? The customer balance goes to its summary account."),
                               reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(ProfilePick.filter())
async def profile_picked(query: CallbackQuery, callback_data: ProfilePick, user: User, state: FSMContext,
                         deps: Deps) -> None:
    from handlers.free_text_invoices import show_draft
    invoice = await drafts.set_posting_profile(deps.uow(), user, callback_data.invoice_id, callback_data.code)
    await query.answer(_("Posting profile {code} chosen.").format(code=invoice.posting_profile))
    await show_draft(query.message, deps, invoice, state)
