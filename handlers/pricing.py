"""Trade agreements in chat: every priced line explains itself; /prices lists the agreements."""
from __future__ import annotations

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, Message

from bot.formatting import format_percent
from bot.i18n import _, current_locale
from domain.pricing import (AccountCode, AgreementNote, ItemCode, Relation, TradeAgreement,
                            read_note)
from domain.quotation import Quotation
from domain.services import pricing
from domain.tax import ItemLine
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.text import day, esc, money, qty

routes = Routes("pricing")
LIST_LIMIT = 30


class PriceExplain(CallbackData, prefix="pe"):
    quotation_id: int


def explain_rows(q: Quotation) -> list[list[Button]]:
    """The draft's button that explains its prices, once a trade agreement priced any line
    (without one, every line simply has the item's sales price)."""
    if not any(l.price_note for l in q.lines):
        return []
    return [[Button(text=_("Explain prices"), callback_data=PriceExplain(quotation_id=q.id).pack())]]


def _percent(value) -> str:
    return esc(format_percent(value, current_locale()))


def discount_text(line: ItemLine, currency: str) -> str:
    """'8%' or '€1.00' (per unit); empty without a discount."""
    if line.discount_percent:
        return _percent(line.discount_percent)
    if line.discount_amount:
        return _("{amount} per unit").format(amount=money(line.discount_amount, currency))
    return ""


def line_price_text(line: ItemLine, currency: str) -> str:
    """The unit price as the draft shows it: '€12.50', or '€12.50 − 8%' with a line discount."""
    price = money(line.unit_price, currency)
    discount = discount_text(line, currency)
    return _("{price} − {discount}").format(price=price, discount=discount) if discount else price


def _parts(note: AgreementNote, unit: str) -> str:
    who = {AccountCode.CUSTOMER: lambda: _("customer {account}").format(account=esc(note.account_value)),
           AccountCode.GROUP: lambda: _("price list {group}").format(group=esc(note.account_value)),
           AccountCode.ALL: lambda: _("all customers")}[note.account_code]()
    what = {ItemCode.ITEM: lambda: _("item {item}").format(item=esc(note.item_value)),
            ItemCode.GROUP: lambda: _("item group {group}").format(group=esc(note.item_value)),
            ItemCode.ALL: lambda: _("all items")}[note.item_code]()
    parts = [who, what]
    if note.from_quantity:
        parts.append(_("from {quantity} {unit}").format(quantity=qty(note.from_quantity), unit=esc(unit)))
    if note.valid_to:
        parts.append(_("valid until {date}").format(date=day(note.valid_to)))
    return ", ".join(parts)


def explain_line(line: ItemLine, currency: str) -> str:
    """Where a line's price and discount come from, e.g. 'Price €11.00: price list WHOLESALE, ...'."""
    note = read_note(line.price_note)
    price = money(line.unit_price, currency)
    if note.price is None:
        rows = [_("Price {price}: the item's sales price").format(price=price)]
    else:
        rows = [_("Price {price}: trade agreement for {source}").format(
            price=price, source=_parts(note.price, line.unit))]
    discount = discount_text(line, currency)
    if note.discount is None or not discount:
        rows.append(_("No line discount"))
    else:
        rows.append(_("Discount {discount}: trade agreement for {source}").format(
            discount=discount, source=_parts(note.discount, line.unit)))
    return "\n".join(rows)


def explain_text(lines: list[ItemLine], number: str, currency: str) -> str:
    out = [_("<b>Prices of {number}</b>").format(number=esc(number))]
    for line in lines:
        n = getattr(line, "line_number", "")
        out += ["", f"{n}. {esc(line.item_number)} {esc(line.description)}: {qty(line.quantity)} {esc(line.unit)}",
                explain_line(line, currency)]
    return "\n".join(out)


@routes.callback_query(PriceExplain.filter())
async def explain(query: CallbackQuery, callback_data: PriceExplain, user: User, deps: Deps) -> None:
    q = await pricing.quotation_for_explaining(deps.uow(), user, callback_data.quotation_id)
    await query.answer()
    await query.message.answer(explain_text(q.lines, q.number, deps.currency))


def agreement_text(a: TradeAgreement, currency: str) -> str:
    if a.relation is Relation.PRICE:
        value = money(a.price, currency)
    elif a.discount_percent:
        value = _("discount {discount}").format(discount=_percent(a.discount_percent))
    else:
        value = _("discount {discount}").format(
            discount=_("{amount} per unit").format(amount=money(a.discount_amount, currency)))
    note = AgreementNote(item_code=a.item_code, item_value=a.item_value, account_code=a.account_code,
                         account_value=a.account_value, from_quantity=a.from_quantity, valid_to=None)
    parts = [_parts(note, _("units"))]
    if a.valid_from:
        parts.append(_("valid from {date}").format(date=day(a.valid_from)))
    if a.valid_to:
        parts.append(_("valid until {date}").format(date=day(a.valid_to)))
    return f"{value}: {', '.join(parts)}"


@routes.message(Command("prices"))
async def list_prices(message: Message, user: User, deps: Deps) -> None:
    user.require(Permission.SEE_ALL)
    found = await pricing.list_agreements(deps.uow(), user)
    if not found:
        await message.answer(_("There are no trade agreements yet. An administrator imports them with "
                               "<code>salesbot import prices FILE</code>."))
        return
    rows = [_("<b>Trade agreements</b> ({count})").format(count=len(found))]
    rows += [f"• {agreement_text(a, deps.currency)}" for a in found[:LIST_LIMIT]]
    if len(found) > LIST_LIMIT:
        rows.append(_("… and {count} more.").format(count=len(found) - LIST_LIMIT))
    await message.answer("\n".join(rows))
