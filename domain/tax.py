"""Totals of a priced document: net, sales tax per rate, gross. Derived from lines, never stored twice."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.money import line_net_amount, line_tax_amount


class PricedLine(Protocol):
    @property
    def net_amount(self) -> Decimal: ...
    @property
    def tax_percent(self) -> Decimal: ...


@dataclass(eq=False, kw_only=True)
class ItemLine:
    """What every priced document line carries: the item as it was priced, a quantity, sales tax.

    Keyword-only, so each document's line class puts its own keys (line number, order) first.
    """
    item_number: str
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal
    # Line discount from a trade agreement (domain/pricing.py): percent, and amount per unit.
    discount_percent: Decimal = Decimal(0)
    discount_amount: Decimal = Decimal(0)
    # Which trade agreements priced the line (domain.pricing.read_note explains it); "" = item price.
    price_note: str = ""

    @property
    def net_amount(self) -> Decimal:
        if not self.discount_percent and not self.discount_amount:
            return line_net_amount(self.quantity, self.unit_price)
        net_price = (self.unit_price - self.discount_amount) * (100 - self.discount_percent) / 100
        return line_net_amount(self.quantity, net_price)

    def take_pricing_from(self, other: ItemLine) -> None:
        """Carry the discount and its explanation along (quotation -> order -> invoice)."""
        self.discount_percent, self.discount_amount = other.discount_percent, other.discount_amount
        self.price_note = other.price_note


@dataclass(frozen=True)
class TaxRow:
    percent: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal
    tax_rows: tuple[TaxRow, ...]


def totals_of(lines: Iterable[PricedLine]) -> Totals:
    """Tax is rounded per line (domain.money); the rows per rate and the totals sum those lines."""
    bases: dict[Decimal, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    for line in lines:
        pct = line.tax_percent.normalize()
        bases[pct] = bases.get(pct, Decimal(0)) + line.net_amount
        taxes[pct] = taxes.get(pct, Decimal(0)) + line_tax_amount(line.net_amount, line.tax_percent)
    rows = tuple(TaxRow(p, bases[p], taxes[p]) for p in sorted(bases))
    net = sum((r.base for r in rows), Decimal("0.00"))
    tax = sum((r.tax for r in rows), Decimal("0.00"))
    return Totals(net=net, tax=tax, gross=net + tax, tax_rows=rows)
