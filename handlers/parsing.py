"""Reading what a salesperson types: '<item> <quantity>', dates, per-line quantities."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import N_, InvalidInput
from domain.money import parse_decimal, parse_quantity

_DAYS = re.compile(r"^\+?(\d{1,4})\s*(d|days?|dagen|dag)?$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_LINE_QTY = re.compile(r"^(\d+)\s*[:=]\s*(\S+)$")


def parse_item_and_quantity(text: str) -> tuple[str, Decimal]:
    """'A-100 5' or 'office chair 2,5': the last word is the quantity, the rest names the item."""
    parts = text.split()
    if len(parts) < 2:
        raise InvalidInput(N_("Type an item and a quantity, for example: A-100 5"))
    return " ".join(parts[:-1]), parse_quantity(parts[-1])


def parse_day(text: str, today: date) -> date:
    """An ISO date, a Dutch-style day-month-year, or a number of days from today."""
    text = text.strip()
    try:
        if m := _DAYS.match(text):
            return today + timedelta(days=int(m.group(1)))
        if m := _DMY.match(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(N_("'{text}' is not a date. Type for example 2026-12-31 or 14 (days)."),
                           text=text) from None


def parse_line_quantities(text: str, open_lines: list[int]) -> dict[int, Decimal]:
    """'3 2' gives the quantities of the open lines in order; '1:3 2:0' names the lines."""
    words = text.split()
    if not words:
        raise InvalidInput(N_("Type a quantity per line."))
    named = [_LINE_QTY.match(w) for w in words]
    if all(named):
        return _named_quantities(named)
    if len(words) != len(open_lines):
        raise InvalidInput(N_("Type one quantity for each of the {count} open lines, in order."),
                           count=len(open_lines))
    return {line: parse_decimal(w) for line, w in zip(open_lines, words)}


def _named_quantities(named: list[re.Match[str]]) -> dict[int, Decimal]:
    """'1:3 2:0' by line; a line named twice is refused (which quantity was meant is unknown)."""
    quantities: dict[int, Decimal] = {}
    for m in named:
        line = int(m.group(1))
        if line in quantities:
            raise InvalidInput(N_("Line {line} is named twice. Type one quantity per line."), line=line)
        quantities[line] = parse_decimal(m.group(2))
    return quantities


def text_or_removal(text: str) -> str:
    """A typed value, or '-' to remove it (the empty text)."""
    return "" if text.strip() == "-" else text
