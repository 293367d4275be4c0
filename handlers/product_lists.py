"""/productlists: up-sell/cross-sell rules (manager, admin); /suggestions: the rates per rule;
and the tap on a suggestion under a quotation line."""
from __future__ import annotations

import re
from decimal import Decimal

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.formatting import format_percent
from bot.i18n import _, current_locale
from domain.errors import N_, InvalidInput
from domain.money import check_quantity, parse_decimal
from domain.product_list import RuleKind, RuleRates, looks_like_date, parse_kind, parse_rule_date
from domain.services import product_lists
from domain.services.product_lists import RuleSpec, RuleView
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.quote_entry import show_draft
from handlers.routes import Routes
from handlers.suggestions import SuggestionTap
from handlers.text import day, esc, qty
from handlers.filters import TYPED

routes = Routes("product_lists")
MAX_LISTED = 24          # Delete buttons under one message
TEXT_BUDGET = 3400       # Telegram's limit is 4096 characters; leave room for the how-to
NOTE_SHOWN = 80
_DELETE = re.compile(r"^(?:delete|del|verwijder)\s+(\d{1,9})$", re.IGNORECASE)


class RuleDelete(CallbackData, prefix="sr"):
    rule_id: int


class ProductListEntry(StatesGroup):
    rule = State()


# --- reading a typed rule ---------------------------------------------------------------------

def parse_rule(text: str) -> RuleSpec:
    """'up A-100 A-200 [group] [minimum quantity] [from] [to]; note'. The optional words are told
    apart by their form: a date, a number, or else the customer group; '-' skips the from date."""
    head, _sep, note = text.partition(";")
    words = head.split()
    if len(words) < 3:
        raise InvalidInput(N_("Type a rule as: up A-100 A-200 [customer group] [minimum quantity] "
                              "[from date] [to date]; note"))
    kind, item, suggested, rest = parse_kind(words[0]), words[1], words[2], words[3:]
    group, minimum, dates = "", None, []
    for word in rest:
        if word == "-" or looks_like_date(word):
            dates.append(None if word == "-" else parse_rule_date(word))
        elif word[0].isdigit() or word[0] in "+-":
            if minimum is not None:
                raise InvalidInput(N_("Give one minimum quantity, not '{text}' as well."), text=word)
            minimum = check_quantity(parse_decimal(word), allow_zero=True)
        elif not group:
            group = word
        else:
            raise InvalidInput(N_("I did not understand '{text}' in the rule."), text=word)
    if len(dates) > 2:
        raise InvalidInput(N_("A rule has at most two dates: from and to."))
    dates += [None] * (2 - len(dates))
    return RuleSpec(kind=kind, item_number=item, suggested_item_number=suggested,
                    customer_group=group, min_quantity=minimum or Decimal(0),
                    valid_from=dates[0], valid_to=dates[1], note=note.strip())


# --- rendering --------------------------------------------------------------------------------

def rule_text(v: RuleView) -> str:
    r = v.rule
    kind = _("up-sell") if r.kind is RuleKind.UP_SELL else _("cross-sell")
    parts = [_("Rule {id}, {kind}: {item} → {suggested}").format(
        id=r.id, kind=kind, item=esc(v.item.item_number), suggested=esc(v.suggested.item_number))]
    if r.customer_group:
        parts.append(_("customer group {group}").format(group=esc(r.customer_group)))
    if r.min_quantity:
        parts.append(_("from {quantity} {unit}").format(quantity=qty(r.min_quantity), unit=esc(v.item.unit)))
    if r.valid_from or r.valid_to:
        parts.append(_("valid {start} to {end}").format(
            start=day(r.valid_from) if r.valid_from else "…", end=day(r.valid_to) if r.valid_to else "…"))
    text = " · ".join(parts)
    note = r.note if len(r.note) <= NOTE_SHOWN else r.note[:NOTE_SHOWN - 1] + "…"
    return text + (" — <i>" + esc(note) + "</i>" if note else "")


def _within_budget(rows: list[str], limit: int) -> tuple[list[str], int]:
    """As many rows as fit one chat message; and how many were left out."""
    kept, size = [], 0
    for row in rows[:limit]:
        size += len(row) + 1
        if size > TEXT_BUDGET:
            break
        kept.append(row)
    return kept, len(rows) - len(kept)


HOW_TO_ADD = N_("To add a rule, type it as <code>up A-100 A-200 [customer group] [minimum quantity] "
                "[from] [to]; note</code> (<code>up</code>: suggest A-200 instead of A-100; "
                "<code>cross</code>: suggest A-200 as well), e.g. <code>cross A-100 B-300 Wholesale 5 "
                "2026-12-01 2026-12-31; Ask about the handbook</code>. Use <code>-</code> for no from "
                "date. /cancel when done.")


def rules_message(views: list[RuleView]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not views:
        return _("There are no product list rules yet.") + "\n\n" + _(HOW_TO_ADD), None
    rows, left_out = _within_budget([rule_text(v) for v in views], MAX_LISTED)
    shown = views[:len(rows)]
    text = "<b>" + _("Product list rules") + "</b>\n" + "\n".join(rows)
    if left_out:
        text += "\n" + _("… and {count} more (type <code>delete 12</code> to delete rule 12).").format(
            count=left_out)
    buttons = [Button(text=_("Delete {id}").format(id=v.rule.id),
                      callback_data=RuleDelete(rule_id=v.rule.id).pack()) for v in shown]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    return text + "\n\n" + _(HOW_TO_ADD), InlineKeyboardMarkup(inline_keyboard=rows)


def _one_decimal(value: Decimal) -> Decimal:
    value = value.quantize(Decimal("0.1"))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def rates_text(rates: list[tuple[RuleView, RuleRates]]) -> str:
    if not rates:
        return _("There are no product list rules yet.")
    rows = []
    for view, r in sorted(rates, key=lambda vr: (-vr[1].shown, vr[0].rule.id)):  # most shown first
        rate = (esc(format_percent(_one_decimal(r.acceptance_rate * 100), current_locale()))
                if r.acceptance_rate is not None else "–")
        rows.append(rule_text(view) + "\n   " + _(
            "shown {shown}, accepted {accepted}, ignored {ignored}, open {open}; acceptance rate {rate}"
        ).format(shown=r.shown, accepted=r.accepted, ignored=r.ignored, open=r.pending, rate=rate))
    kept, left_out = _within_budget(rows, len(rows))
    text = "\n".join(["<b>" + _("Suggestions per rule") + "</b>"] + kept)
    return text + ("\n" + _("… and {count} more.").format(count=left_out) if left_out else "")


# --- handlers ---------------------------------------------------------------------------------

@routes.message(Command("productlists"))
async def show_rules(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    views = await product_lists.list_rules(deps.uow(), user)
    await state.clear()
    await state.set_state(ProductListEntry.rule)
    text, keyboard = rules_message(views)
    await message.answer(text, reply_markup=keyboard)


@routes.message(ProductListEntry.rule, TYPED)
async def rule_typed(message: Message, user: User, deps: Deps) -> None:
    user.require(Permission.MANAGE_PRODUCT_LISTS)
    if m := _DELETE.match(message.text.strip()):
        await product_lists.delete_rule(deps.uow(), user, int(m.group(1)))
        await message.answer(_("Rule {id} deleted.").format(id=int(m.group(1))))
        return
    view = await product_lists.add_rule(deps.uow(), user, parse_rule(message.text))
    await message.answer(_("Added: {rule}").format(rule=rule_text(view)) + "\n"
                         + _("Type another rule, /productlists to see them all, or /cancel."))


@routes.message(StateFilter(ProductListEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))


@routes.callback_query(RuleDelete.filter())
async def delete_rule(query: CallbackQuery, callback_data: RuleDelete, user: User, deps: Deps) -> None:
    await product_lists.delete_rule(deps.uow(), user, callback_data.rule_id)
    await query.answer(_("Rule {id} deleted.").format(id=callback_data.rule_id))
    text, keyboard = rules_message(await product_lists.list_rules(deps.uow(), user))
    await query.message.answer(text, reply_markup=keyboard)


@routes.message(Command("suggestions"))
async def show_rates(message: Message, user: User, deps: Deps) -> None:
    await message.answer(rates_text(await product_lists.suggestion_rates(deps.uow(), deps.clock, user)))


@routes.callback_query(SuggestionTap.filter())
async def suggestion_tapped(query: CallbackQuery, callback_data: SuggestionTap, user: User,
                            state: FSMContext, deps: Deps) -> None:
    q = await product_lists.accept_suggestion(deps.uow, deps.clock, user, callback_data.offer_id)
    await query.answer(_("Done: the quotation is updated."))
    await show_draft(query.message, deps, q, state)
