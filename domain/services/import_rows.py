"""What every CSV import shares: its columns, the bad rows it names, and the order of its work.

An import reads every row (stage 1: the row alone), then checks the rows that read well against the
database (stage 2: unknown items, accounts, salespeople...), and names every bad row of both stages
together, by line; only a file without a bad row is written, in one transaction.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError
from domain.ports import UnitOfWork

Row = tuple[int, Mapping[str, str]]

COLUMNS = {
    "products": ("item_number", "name", "unit", "sales_price", "sales_tax_percent"),
    "customers": ("account_number", "name", "email", "language"),
    "stock": ("item_number", "on_hand"),
    "users": ("telegram_id", "name", "role", "email"),
    # Trade agreements (see README and domain/pricing.py).
    "prices": ("relation", "item_code", "item", "account_code", "account"),
    "product_rules": ("kind", "item_number", "suggested_item_number"),
    "posting_profiles": ("code", "summary_account"),
    "purchase_orders": ("purchase_order", "vendor", "item_number", "quantity", "expected_date",
                        "received"),
    "tags": ("contact", "tags"),
}
# A file may leave these out; a column it leaves out leaves that field of existing records as it is.
# customers: address is the postal address, its lines separated by commas; salesperson is a staff
# member's Telegram id (the account's salesperson, who gets its quotation requests).
OPTIONAL_COLUMNS = {
    "products": ("item_group",),
    "customers": ("customer_group", "address", "salesperson"),
    "prices": ("from_quantity", "valid_from", "valid_to", "price", "discount_percent",
               "discount_amount"),
    "product_rules": ("customer_group", "min_quantity", "valid_from", "valid_to", "note"),
    "purchase_orders": ("vendor_name",),
}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = sorted(errors, key=lambda e: e.line)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def known_columns(kind: str) -> tuple[str, ...]:
    return COLUMNS[kind] + OPTIONAL_COLUMNS.get(kind, ())


def missing_columns(kind: str, header: Iterable[str]) -> list[str]:
    return [c for c in COLUMNS[kind] if c not in set(header)]


def unknown_columns(kind: str, header: Iterable[str]) -> list[str]:
    """A column the import does not read would be dropped without a word (a typo in a name)."""
    return [c for c in header if c and c not in known_columns(kind)]


def text(row: Mapping[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def columns_of(rows: Iterable[Row | RowError]) -> frozenset[str]:
    """The columns the file has (every row of a file has its header's columns)."""
    for entry in rows:
        if not isinstance(entry, RowError):
            return frozenset(entry[1])
    return frozenset()


def parse_rows(rows: Iterable[Row | RowError], parse: Callable[[Mapping[str, str]], Any],
               key: Callable[[Any], Any]) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """Stage 1. A RowError among the rows is one the reader found (e.g. a row of more fields than
    the header) and is named with the others."""
    parsed, errors, seen = [], [], {}
    for entry in rows:
        if isinstance(entry, RowError):
            errors.append(entry)
            continue
        line, row = entry
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
    return parsed, errors


Parsed = list[tuple[int, Any]]
Check = Callable[[UnitOfWork, Parsed], Awaitable[Iterable[tuple[int, str]]]]
Write = Callable[[UnitOfWork, Parsed], Awaitable[ImportResult]]


async def no_check(uow: UnitOfWork, parsed: Parsed) -> list[tuple[int, str]]:
    return []


async def run_import(uow: UnitOfWork, rows: Iterable[Row | RowError],
                     parse: Callable[[Mapping[str, str]], Any], key: Callable[[Any], Any],
                     check: Check, write: Write) -> ImportResult:
    """Stage 1 over all rows, stage 2 (`check`: (line, reason) for each row the database refuses)
    over the rows that read well, then `write` only when no row of either stage is bad."""
    parsed, errors = parse_rows(rows, parse, key)
    async with uow:
        errors += [RowError(line, reason) for line, reason in await check(uow, parsed)]
        if errors:
            raise ImportRejected(errors)
        result = await write(uow, parsed)
        await uow.commit()
    return result
