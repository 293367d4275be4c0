"""CSV imports for the admin: every bad row is named, and a file with any error imports nothing.

Rows arrive as (line number, dict of column -> text); a re-run updates records by their key. A column
a file leaves out leaves that field of existing records as it is. The shared frame (columns, bad rows,
the two stages) is domain/services/import_rows.py.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.customer import Customer
from domain.errors import DomainError
from domain.item import Item
from domain.money import check_quantity, parse_decimal
from domain.ports import UnitOfWork
# The frame's names are imported from here by the CLI and the tests too.
from domain.services.import_rows import (COLUMNS, OPTIONAL_COLUMNS, ImportRejected,  # noqa: F401
                                         ImportResult, Row, RowError, columns_of, known_columns,
                                         missing_columns, no_check, run_import, unknown_columns)
from domain.services.import_rows import text as _text
from domain.user import Permission, User, parse_role, parse_telegram_id

Rows = Iterable[Row | RowError]


async def _upsert(uow: UnitOfWork, records: Iterable[Any], find, add, copy_into) -> ImportResult:
    """Add what is new, update what exists (found by its key); inside the import's unit of work."""
    created = updated = 0
    for record in records:
        existing = await find(uow, record)
        if existing is None:
            await add(uow, record)
            created += 1
        else:
            copy_into(existing, record)
            updated += 1
    return ImportResult(created, updated)


def _upserting(find, add, copy_into):
    """run_import's write step for records that are added or updated one by one by their key."""
    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        return await _upsert(uow, (record for _line, record in parsed), find, add, copy_into)
    return write


# --- products -------------------------------------------------------------------------------------

def _item(row: Mapping[str, str]) -> Item:
    return Item(item_number=_text(row, "item_number"), name=_text(row, "name"),
                unit=_text(row, "unit") or "pcs", sales_price=parse_decimal(_text(row, "sales_price")),
                sales_tax_percent=parse_decimal(_text(row, "sales_tax_percent")),
                item_group=_text(row, "item_group"))


def _copy_item(existing: Item, item: Item, columns: frozenset[str]) -> None:
    existing.name, existing.unit = item.name, item.unit
    existing.sales_price, existing.sales_tax_percent = item.sales_price, item.sales_tax_percent
    if "item_group" in columns:
        existing.item_group = item.item_group


async def import_products(uow: UnitOfWork, rows: Rows) -> ImportResult:
    rows = list(rows)
    columns = columns_of(rows)

    write = _upserting(lambda u, i: u.items.by_number(i.item_number), lambda u, i: u.items.add(i),
                       lambda old, new: _copy_item(old, new, columns))
    return await run_import(uow, rows, _item, lambda i: i.item_number, no_check, write)


# --- customers ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CustomerRow:
    customer: Customer
    salesperson: str  # a staff member's Telegram id, or "" (unchanged)


def _customer(row: Mapping[str, str]) -> _CustomerRow:
    customer = Customer(account_number=_text(row, "account_number"), name=_text(row, "name"),
                        email=_text(row, "email"), language=_text(row, "language") or "en",
                        customer_group=_text(row, "customer_group"),
                        postal_address=_text(row, "address"))
    return _CustomerRow(customer, _text(row, "salesperson"))


async def _salesperson_id(uow: UnitOfWork, text: str) -> int | None:
    """The user id of the salesperson with that Telegram id; None if it names no salesperson."""
    try:
        person = await uow.users.by_telegram_id(parse_telegram_id(text))
    except DomainError:
        return None
    return None if person is None or person.is_customer or not person.can(Permission.QUOTE) else person.id


async def _unknown_salespeople(uow: UnitOfWork, parsed) -> list[tuple[int, str]]:
    return [(line, f"salesperson '{r.salesperson}' is not the Telegram id of a salesperson")
            for line, r in parsed if r.salesperson and await _salesperson_id(uow, r.salesperson) is None]


def _copy_customer(existing: Customer, customer: Customer, columns: frozenset[str]) -> None:
    existing.name, existing.email, existing.language = customer.name, customer.email, customer.language
    if "customer_group" in columns:
        existing.customer_group = customer.customer_group
    if "address" in columns:
        existing.postal_address = customer.postal_address
    if customer.salesperson_id is not None:  # an empty salesperson cell leaves it as it is
        existing.salesperson_id = customer.salesperson_id


async def import_customers(uow: UnitOfWork, rows: Rows) -> ImportResult:
    """A `salesperson` cell sets the account's salesperson (empty: unchanged)."""
    rows = list(rows)
    columns = columns_of(rows)

    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        for _, r in parsed:
            if r.salesperson:
                r.customer.salesperson_id = await _salesperson_id(uow, r.salesperson)
        return await _upsert(uow, (r.customer for _, r in parsed),
                             lambda u, c: u.customers.by_account(c.account_number),
                             lambda u, c: u.customers.add(c),
                             lambda old, new: _copy_customer(old, new, columns))
    return await run_import(uow, rows, _customer, lambda r: r.customer.account_number,
                            _unknown_salespeople, write)


# --- stock ----------------------------------------------------------------------------------------

def _stock(row: Mapping[str, str]) -> tuple[str, Decimal]:
    return _text(row, "item_number"), check_quantity(parse_decimal(_text(row, "on_hand")),
                                                     allow_zero=True)


async def _unknown_items(uow: UnitOfWork, parsed) -> list[tuple[int, str]]:
    return [(line, f"unknown item number '{number}'") for line, (number, _) in parsed
            if await uow.items.by_number(number) is None]


async def _set_stock(uow: UnitOfWork, parsed) -> ImportResult:
    for _, (number, on_hand) in parsed:
        (await uow.items.by_number(number)).set_on_hand(on_hand)
    return ImportResult(0, len(parsed))


async def import_stock(uow: UnitOfWork, rows: Rows) -> ImportResult:
    return await run_import(uow, rows, _stock, lambda s: s[0], _unknown_items, _set_stock)


# --- users ----------------------------------------------------------------------------------------

def _user(row: Mapping[str, str]) -> User:
    return User(telegram_id=parse_telegram_id(_text(row, "telegram_id")), name=_text(row, "name"),
                role=parse_role(_text(row, "role")), email=_text(row, "email"))


async def _customers_accounts(uow: UnitOfWork, parsed) -> list[tuple[int, str]]:
    from domain.services.users import refuse_a_customers_account
    errors = []
    for line, user in parsed:
        try:
            await refuse_a_customers_account(uow, await uow.users.by_telegram_id(user.telegram_id))
        except DomainError as exc:
            errors.append((line, str(exc)))
    return errors


def _copy_user(existing: User, user: User) -> None:
    existing.name, existing.role, existing.email = user.name, user.role, user.email


async def import_users(uow: UnitOfWork, rows: Rows) -> ImportResult:
    write = _upserting(lambda u, user: u.users.by_telegram_id(user.telegram_id),
                       lambda u, user: u.users.add(user), _copy_user)
    return await run_import(uow, rows, _user, lambda u: u.telegram_id, _customers_accounts, write)


# --- trade agreements -----------------------------------------------------------------------------

async def import_prices(uow: UnitOfWork, rows: Rows) -> ImportResult:
    """Trade agreements, keyed by relation, item, account, from-quantity and start date."""
    from domain.services import pricing as p

    async def unknown(uow: UnitOfWork, parsed) -> list[tuple[int, str]]:
        return [(e.line, e.reason) for e in await p.unknown_references(uow, parsed)]

    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        existing = {a.key: a for a in await uow.trade_agreements.all()}
        return await _upsert(uow, (a for _, a in parsed), lambda u, a: _found(existing.get(a.key)),
                             lambda u, a: u.trade_agreements.add(a), p.copy_agreement)
    return await run_import(uow, rows, p.agreement_from_row, lambda a: a.key, unknown, write)


async def _found(record: Any) -> Any:
    return record


# --- up-sell and cross-sell rules -----------------------------------------------------------------

def _product_rule(row: Mapping[str, str]):
    from domain.product_list import parse_kind, parse_rule_date
    from domain.services.product_lists import RuleSpec
    day = lambda column: parse_rule_date(_text(row, column)) if _text(row, column) else None  # noqa: E731
    return RuleSpec(kind=parse_kind(_text(row, "kind")), item_number=_text(row, "item_number"),
                    suggested_item_number=_text(row, "suggested_item_number"),
                    customer_group=_text(row, "customer_group"),
                    min_quantity=check_quantity(parse_decimal(_text(row, "min_quantity") or "0"),
                                                allow_zero=True),
                    valid_from=day("valid_from"), valid_to=day("valid_to"), note=_text(row, "note"))


async def import_product_rules(uow: UnitOfWork, rows: Rows) -> ImportResult:
    """Up-sell/cross-sell rules, keyed by kind, item, suggested item and customer group."""
    from domain.services.product_lists import rule_from_spec

    async def unknown(uow: UnitOfWork, parsed) -> list[tuple[int, str]]:
        errors = []
        for line, spec in parsed:
            try:
                await rule_from_spec(uow, spec)
            except DomainError as exc:
                errors.append((line, str(exc)))
        return errors

    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        rules = [await rule_from_spec(uow, spec) for _, spec in parsed]
        return await _upsert(uow, rules, lambda u, r: u.product_list_rules.by_key(r.key),
                             lambda u, r: u.product_list_rules.add(r), lambda old, new: old.copy_from(new))
    return await run_import(uow, rows, _product_rule,
                            lambda s: (s.kind, s.item_number.lower(), s.suggested_item_number.lower(),
                                       s.customer_group.lower()), unknown, write)


# --- posting profiles, purchase orders, tags ------------------------------------------------------

def _posting_profile(row: Mapping[str, str]):
    from domain.invoicing import parse_posting_profile
    return parse_posting_profile(_text(row, "code"), _text(row, "summary_account"))


def _copy_posting_profile(existing, profile) -> None:
    existing.summary_account = profile.summary_account


async def import_posting_profiles(uow: UnitOfWork, rows: Rows) -> ImportResult:
    """code,summary_account: which summary account a free text invoice's customer balance goes to."""
    write = _upserting(lambda u, p: u.posting_profiles.get(p.code), lambda u, p: u.posting_profiles.add(p),
                       _copy_posting_profile)
    return await run_import(uow, rows, _posting_profile, lambda p: p.code, no_check, write)


async def import_purchase_orders(uow: UnitOfWork, rows: Rows) -> ImportResult:
    from domain.services import purchase_order_import as po

    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        return ImportResult(*await po.store(uow, parsed))
    return await run_import(uow, rows, po.parse_row, lambda r: (r.number, r.item_number),
                            po.unknown_items, write)


async def import_tags(uow: UnitOfWork, rows: Rows) -> ImportResult:
    """contact,tags: each contact's complete set of tags (space-separated; empty clears them)."""
    from domain.services import contact_tags as ct

    async def write(uow: UnitOfWork, parsed) -> ImportResult:
        return ImportResult(*await ct.store(uow, parsed))
    return await run_import(uow, rows, ct.parse_row, lambda r: r.contact.upper(), ct.unknown_contacts,
                            write)


IMPORTERS = {"products": import_products, "customers": import_customers, "stock": import_stock,
             "users": import_users, "prices": import_prices, "product_rules": import_product_rules,
             "posting_profiles": import_posting_profiles, "purchase_orders": import_purchase_orders,
             "tags": import_tags}
