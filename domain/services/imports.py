"""CSV imports for the admin: every bad row is named, and a file with any error imports nothing.

Rows arrive as (line number, dict of column -> text); a re-run updates records by their key.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.customer import Customer
from domain.errors import DomainError
from domain.item import Item
from domain.money import check_quantity, parse_decimal
from domain.ports import UnitOfWork
from domain.user import User, parse_role

Row = tuple[int, Mapping[str, str]]

COLUMNS = {
    "products": ("item_number", "name", "unit", "sales_price", "sales_tax_percent"),
    "customers": ("account_number", "name", "email", "language"),
    "stock": ("item_number", "on_hand"),
    "users": ("telegram_id", "name", "role", "email"),
    # Trade agreements; optional: from_quantity, valid_from, valid_to, price, discount_percent,
    # discount_amount (see README and domain/pricing.py).
    "prices": ("relation", "item_code", "item", "account_code", "account"),
    # optional: customer_group, min_quantity, valid_from, valid_to, note
    "product_rules": ("kind", "item_number", "suggested_item_number"),
    "posting_profiles": ("code", "summary_account"),
    "purchase_orders": ("purchase_order", "vendor", "item_number", "quantity", "expected_date",
                        "received"),  # optional: vendor_name
}
# Optional customers columns: customer_group; address (the postal address, its lines separated by
# commas; a file without the column leaves addresses as they are); salesperson (a staff member's
# Telegram id: the account's salesperson, who gets its quotation requests).


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def missing_columns(kind: str, header: Iterable[str]) -> list[str]:
    return [c for c in COLUMNS[kind] if c not in set(header)]


def _parse_rows(rows: Iterable[Row], parse: Callable[[Mapping[str, str]], Any],
                key: Callable[[Any], Any]) -> list[tuple[int, Any]]:
    parsed, errors, seen = [], [], {}
    for line, row in rows:
        try:
            value = parse(row)
        except DomainError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        except (ValueError, KeyError) as exc:
            errors.append(RowError(line, f"bad value: {exc}"))
            continue
        k = key(value)
        if k in seen:
            errors.append(RowError(line, f"duplicate of line {seen[k]}"))
            continue
        seen[k] = line
        parsed.append((line, value))
    if errors:
        raise ImportRejected(errors)
    return parsed


def _text(row: Mapping[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def _item(row: Mapping[str, str]) -> Item:
    return Item(item_number=_text(row, "item_number"), name=_text(row, "name"),
                unit=_text(row, "unit") or "pcs", sales_price=parse_decimal(_text(row, "sales_price")),
                sales_tax_percent=parse_decimal(_text(row, "sales_tax_percent")),
                item_group=_text(row, "item_group"))


def _customer(row: Mapping[str, str]) -> Customer:
    return Customer(account_number=_text(row, "account_number"), name=_text(row, "name"),
                    email=_text(row, "email"), language=_text(row, "language") or "en",
                    customer_group=_text(row, "customer_group"), postal_address=_text(row, "address"))


def _user(row: Mapping[str, str]) -> User:
    return User(telegram_id=int(_text(row, "telegram_id")), name=_text(row, "name"),
                role=parse_role(_text(row, "role")), email=_text(row, "email"))


def _stock(row: Mapping[str, str]) -> tuple[str, Decimal]:
    return _text(row, "item_number"), check_quantity(parse_decimal(_text(row, "on_hand")),
                                                     allow_zero=True)


async def _upsert(uow: UnitOfWork, parsed: list[tuple[int, Any]], find, add, copy_into) -> ImportResult:
    """Add what is new, update what exists (found by its key); one transaction for the file."""
    created = updated = 0
    async with uow:
        for _, record in parsed:
            existing = await find(uow, record)
            if existing is None:
                await add(uow, record)
                created += 1
            else:
                copy_into(existing, record)
                updated += 1
        await uow.commit()
    return ImportResult(created, updated)


def _copy_item(existing: Item, item: Item) -> None:
    existing.name, existing.unit = item.name, item.unit
    existing.sales_price, existing.sales_tax_percent = item.sales_price, item.sales_tax_percent
    existing.item_group = item.item_group


def _copy_customer(existing: Customer, customer: Customer, with_address: bool) -> None:
    existing.name, existing.email, existing.language = customer.name, customer.email, customer.language
    existing.customer_group = customer.customer_group
    if with_address:
        existing.postal_address = customer.postal_address


def _copy_user(existing: User, user: User) -> None:
    existing.name, existing.role, existing.email = user.name, user.role, user.email


async def import_products(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    return await _upsert(uow, _parse_rows(rows, _item, lambda i: i.item_number),
                         lambda u, i: u.items.by_number(i.item_number), lambda u, i: u.items.add(i),
                         _copy_item)


async def import_customers(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    rows = list(rows)
    with_address = bool(rows) and "address" in rows[0][1]
    return await _upsert(uow, _parse_rows(rows, _customer, lambda c: c.account_number),
                         lambda u, c: u.customers.by_account(c.account_number),
                         lambda u, c: u.customers.add(c), lambda old, new: _copy_customer(old, new, with_address))


async def import_stock(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    parsed = _parse_rows(rows, _stock, lambda s: s[0])
    async with uow:
        items = {line: await uow.items.by_number(number) for line, (number, _) in parsed}
        unknown = [RowError(line, f"unknown item number '{parsed_row[0]}'")
                   for (line, parsed_row) in parsed if items[line] is None]
        if unknown:
            raise ImportRejected(unknown)
        for line, (_, on_hand) in parsed:
            items[line].set_on_hand(on_hand)
        await uow.commit()
    return ImportResult(0, len(parsed))


async def import_users(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    return await _upsert(uow, _parse_rows(rows, _user, lambda u: u.telegram_id),
                         lambda u, user: u.users.by_telegram_id(user.telegram_id),
                         lambda u, user: u.users.add(user), _copy_user)


IMPORTERS = {"products": import_products, "customers": import_customers,
             "stock": import_stock, "users": import_users}


async def import_prices(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    """Trade agreements, keyed by relation, item, account, from-quantity and start date."""
    from domain.services import pricing as p
    parsed = _parse_rows(rows, p.agreement_from_row, lambda a: a.key)
    created = updated = 0
    async with uow:
        unknown = await p.unknown_references(uow, parsed)
        if unknown:
            raise ImportRejected([RowError(e.line, e.reason) for e in unknown])
        existing = {a.key: a for a in await uow.trade_agreements.all()}
        for _, agreement in parsed:
            if agreement.key in existing:
                p.copy_agreement(existing[agreement.key], agreement)
                updated += 1
            else:
                await uow.trade_agreements.add(agreement)
                created += 1
        await uow.commit()
    return ImportResult(created, updated)


IMPORTERS["prices"] = import_prices


def _product_rule(row: Mapping[str, str]):
    from domain.product_list import parse_kind, parse_rule_date
    from domain.services.product_lists import RuleSpec
    day = lambda column: parse_rule_date(_text(row, column)) if _text(row, column) else None
    return RuleSpec(kind=parse_kind(_text(row, "kind")), item_number=_text(row, "item_number"),
                    suggested_item_number=_text(row, "suggested_item_number"),
                    customer_group=_text(row, "customer_group"),
                    min_quantity=check_quantity(parse_decimal(_text(row, "min_quantity") or "0"),
                                                allow_zero=True),
                    valid_from=day("valid_from"), valid_to=day("valid_to"), note=_text(row, "note"))


async def import_product_rules(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    """Up-sell/cross-sell rules, keyed by kind, item, suggested item and customer group."""
    from domain.services.product_lists import rule_from_spec
    parsed = _parse_rows(rows, _product_rule, lambda s: (s.kind, s.item_number.lower(),
                                                         s.suggested_item_number.lower(),
                                                         s.customer_group.lower()))
    created = updated = 0
    async with uow:
        rules, errors = [], []
        for line, spec in parsed:
            try:
                rules.append(await rule_from_spec(uow, spec))
            except DomainError as exc:
                errors.append(RowError(line, str(exc)))
        if errors:
            raise ImportRejected(errors)
        for rule in rules:
            existing = await uow.product_list_rules.by_key(rule.key)
            if existing is None:
                await uow.product_list_rules.add(rule)
                created += 1
            else:
                existing.copy_from(rule)
                updated += 1
        await uow.commit()
    return ImportResult(created, updated)


IMPORTERS["product_rules"] = import_product_rules

def _posting_profile(row: Mapping[str, str]):
    from domain.invoicing import parse_posting_profile
    return parse_posting_profile(_text(row, "code"), _text(row, "summary_account"))


def _copy_posting_profile(existing, profile) -> None:
    existing.summary_account = profile.summary_account


async def import_posting_profiles(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    """code,summary_account: which summary account a free text invoice's customer balance goes to."""
    return await _upsert(uow, _parse_rows(rows, _posting_profile, lambda p: p.code),
                         lambda u, p: u.posting_profiles.get(p.code),
                         lambda u, p: u.posting_profiles.add(p), _copy_posting_profile)


IMPORTERS["posting_profiles"] = import_posting_profiles

async def import_purchase_orders(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    from domain.services import purchase_order_import as po
    parsed = _parse_rows(rows, po.parse_row, lambda r: (r.number, r.item_number))
    created, updated, unknown = await po.store(uow, parsed)
    if unknown:
        raise ImportRejected([RowError(line, reason) for line, reason in unknown])
    return ImportResult(created, updated)


IMPORTERS["purchase_orders"] = import_purchase_orders


async def _salespeople(uow: UnitOfWork, rows: list[Row]) -> dict[str, int]:
    """Account number -> user id of the salesperson named in the optional `salesperson` column."""
    from domain.user import Permission
    found, errors = {}, []
    async with uow:
        for line, row in rows:
            text = _text(row, "salesperson")
            if not text:
                continue
            person = await uow.users.by_telegram_id(int(text)) if text.isdigit() else None
            if person is None or person.is_customer or not person.can(Permission.QUOTE):
                errors.append(RowError(line, f"salesperson '{text}' is not the Telegram id of a salesperson"))
            else:
                found[_text(row, "account_number")] = person.id
    if errors:
        raise ImportRejected(errors)
    return found


async def import_customers_with_salesperson(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    """Customers as before; a `salesperson` cell sets the account's salesperson (empty: unchanged).
    Every row is checked before anything is written."""
    rows = list(rows)
    salespeople = await _salespeople(uow, rows)
    result = await import_customers(uow, rows)
    if salespeople:
        async with uow:
            for account, user_id in salespeople.items():
                (await uow.customers.by_account(account)).salesperson_id = user_id
            await uow.commit()
    return result


IMPORTERS["customers"] = import_customers_with_salesperson


async def import_tags(uow: UnitOfWork, rows: Iterable[Row]) -> ImportResult:
    """contact,tags: each contact's complete set of tags (space-separated; empty clears them)."""
    from domain.services import contact_tags as ct
    parsed = _parse_rows(rows, ct.parse_row, lambda r: r.contact.upper())
    created, updated, unknown = await ct.store(uow, parsed)
    if unknown:
        raise ImportRejected([RowError(line, reason) for line, reason in unknown])
    return ImportResult(created, updated)


COLUMNS["tags"] = ("contact", "tags")
IMPORTERS["tags"] = import_tags
