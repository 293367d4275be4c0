"""Use cases of trade agreements: price a quotation line, explain a draft's prices, list, import."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.customer import Customer
from domain.errors import N_, InvalidInput
from domain.item import Item
from domain.money import parse_decimal
from domain.ports import UnitOfWork
from domain.pricing import (AccountCode, ItemCode, LinePrice, Relation, TradeAgreement,
                            parse_enum, price_line)
from domain.quotation import Quotation, QuotationLine
from domain.services.common import visible_quotation
from domain.user import Permission, User


def pricing_day(quotation: Quotation) -> date:
    """Trade agreements are looked up on the quotation's date (the day it was created)."""
    return quotation.created_at.date()


async def reprice_line(uow: UnitOfWork, quotation: Quotation, line: QuotationLine,
                       item: Item | None = None, customer: Customer | None = None) -> LinePrice:
    """Price a quotation line by the trade agreements: when it is entered and when its quantity
    changes (quantity breaks). Runs inside the caller's unit of work."""
    item = item or await uow.items.get(line.item_id)
    agreements = list(await uow.trade_agreements.for_item(item.item_number, item.item_group))
    if agreements:  # no agreement for the item: no need to read the customer
        customer = customer or await uow.customers.get(quotation.customer_id)
    result = price_line(agreements, item, customer, line.quantity, pricing_day(quotation))
    line.unit_price = result.unit_price
    line.discount_percent = result.discount_percent
    line.discount_amount = result.discount_amount
    line.price_note = result.note
    return result


async def quotation_for_explaining(uow: UnitOfWork, user: User, quotation_id: int) -> Quotation:
    """Any quotation the user may see can explain its lines."""
    async with uow:
        return await visible_quotation(uow, user, quotation_id)


async def list_agreements(uow: UnitOfWork, user: User) -> Sequence[TradeAgreement]:
    user.require(Permission.SEE_ALL)
    async with uow:
        return await uow.trade_agreements.all()


# --- import -----------------------------------------------------------------------------------

PRICE_COLUMNS = ("relation", "item_code", "item", "account_code", "account")
# Optional columns; empty cells mean 0 / no limit.
PRICE_OPTIONAL_COLUMNS = ("from_quantity", "valid_from", "valid_to", "price", "discount_percent",
                          "discount_amount")


def parse_iso_or_dutch_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(N_("'{text}' is not a date; use 2026-12-31 or 31-12-2026."), text=text)


def _number(row: Mapping[str, str], column: str):
    text = (row.get(column) or "").strip()
    return parse_decimal(text) if text else parse_decimal("0")


def agreement_from_row(row: Mapping[str, str]) -> TradeAgreement:
    text = lambda c: (row.get(c) or "").strip()  # noqa: E731
    relation = parse_enum(Relation, text("relation"), "relation")
    # An empty cell would read as a price of 0 and give the item away; 0 typed on purpose stands.
    if relation is Relation.PRICE and not text("price"):
        raise InvalidInput(N_("A price agreement needs a price."))
    return TradeAgreement(
        relation=relation,
        item_code=parse_enum(ItemCode, text("item_code"), "item_code"),
        item_value=text("item"),
        account_code=parse_enum(AccountCode, text("account_code"), "account_code"),
        account_value=text("account"),
        from_quantity=_number(row, "from_quantity"),
        valid_from=parse_iso_or_dutch_date(text("valid_from")),
        valid_to=parse_iso_or_dutch_date(text("valid_to")),
        price=_number(row, "price"),
        discount_percent=_number(row, "discount_percent"),
        discount_amount=_number(row, "discount_amount"))


@dataclass(frozen=True)
class UnknownReference:
    line: int
    reason: str


async def unknown_references(uow: UnitOfWork,
                             parsed: Iterable[tuple[int, TradeAgreement]]) -> list[UnknownReference]:
    """An agreement for one item or one customer must name one that exists (groups are free)."""
    errors = []
    for line, a in parsed:
        if a.item_code is ItemCode.ITEM and await uow.items.by_number(a.item_value) is None:
            errors.append(UnknownReference(line, f"unknown item number '{a.item_value}'"))
        if (a.account_code is AccountCode.CUSTOMER
                and await uow.customers.by_account(a.account_value) is None):
            errors.append(UnknownReference(line, f"unknown account number '{a.account_value}'"))
    return errors


def copy_agreement(existing: TradeAgreement, new: TradeAgreement) -> None:
    existing.valid_to = new.valid_to
    existing.price = new.price
    existing.discount_percent, existing.discount_amount = new.discount_percent, new.discount_amount
