"""Money, quantities and sales tax: Decimal only, one rounding rule, in one place."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import InvalidInput, N_

CENT = Decimal("0.01")
# Unit prices may carry four decimals (0.1250 per screw); line amounts are rounded to cents.
PRICE_PLACES = Decimal("0.0001")
# Quantities are exact to a thousandth of a unit (grams of a kilogram, millimetres of a metre).
QUANTITY_PLACES = Decimal("0.001")
MAX_QUANTITY = Decimal("1000000")
# Far above any unit price, and safely inside the scaled-integer columns that store prices.
MAX_PRICE = Decimal("1000000000")
TAX_PLACES = Decimal("0.0001")


def round_money(amount: Decimal) -> Decimal:
    """Round an amount to cents, halves away from zero (commercial rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_net_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return round_money(quantity * unit_price)


def line_tax_amount(net_amount: Decimal, tax_percent: Decimal) -> Decimal:
    """Sales tax is computed and rounded per line; totals are sums of the rounded lines."""
    return round_money(net_amount * tax_percent / 100)


# One separator followed by groups of exactly three digits: '1.000' is one thousand to a Dutch
# reader and one to an English one (and '1,000' the other way round). Never guessed.
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")
# '1.000,50' or '1,000.50': grouped thousands and a decimal part; clear, but typed without groups.
_GROUPED_WITH_DECIMALS = re.compile(r"[+-]?[1-9]\d{0,2}(?:([.,])\d{3})+(?!\1)[.,]\d+")


def parse_decimal(text: str) -> Decimal:
    """Read a number a person typed: '5', '2.5' or the Dutch '2,5'. A number that reads as a
    thousands separator as well as a decimal one ('1.000', '2,500') is refused, naming both."""
    stripped = text.strip()
    if _GROUPED.fullmatch(stripped):
        raise _ambiguous(stripped)
    if found := _GROUPED_WITH_DECIMALS.fullmatch(stripped):
        raise InvalidInput(N_("Type '{text}' without thousands separators: {grouped}."),
                           text=stripped, grouped=stripped.replace(found[1], ""))
    cleaned = stripped.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(N_("'{text}' is not a number."), text=text) from None
    if not value.is_finite():
        raise InvalidInput(N_("'{text}' is not a number."), text=text)
    return value


def _ambiguous(text: str) -> InvalidInput:
    separator = "," if "," in text else "."
    grouped = text.replace(separator, "")
    decimal = text if text.count(separator) == 1 else None
    if decimal is None:  # '1.000.000' can only be grouped
        return InvalidInput(N_("Type '{text}' without thousands separators: {grouped}."),
                            text=text, grouped=grouped)
    # The decimal reading written so it cannot be mistaken: '1.000' -> '1', '2.125' -> '2.1250'.
    plain = format(Decimal(text.replace(",", ".")).normalize(), "f")
    plain = plain + "0" if re.search(r"\.\d{3}$", plain) else plain
    return InvalidInput(N_("Is '{text}' {grouped} or {decimal}? Type {grouped} or {decimal} "
                           "(without a thousands separator)."),
                        text=text, grouped=grouped, decimal=plain.replace(".", separator))


def parse_quantity(text: str) -> Decimal:
    return check_quantity(parse_decimal(text))


def check_quantity(quantity: Decimal, *, allow_zero: bool = False) -> Decimal:
    """A quantity is positive (or zero, when allowed), below a sane maximum, and exact to a thousandth."""
    _require_finite(quantity)
    if quantity < 0 and allow_zero:
        raise InvalidInput(N_("The quantity cannot be negative."))
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise InvalidInput(N_("The quantity must be more than zero."))
    if quantity > MAX_QUANTITY:
        raise InvalidInput(N_("A quantity of {quantity} is more than this bot accepts."),
                           quantity=quantity)
    if quantity != quantity.quantize(QUANTITY_PLACES):
        raise InvalidInput(N_("Quantities can have at most three decimals."))
    return quantity.quantize(QUANTITY_PLACES).normalize() if quantity else Decimal(0)


def _require_finite(value: Decimal) -> None:
    if not value.is_finite():
        raise InvalidInput(N_("'{text}' is not a number."), text=str(value))


def check_price(price: Decimal) -> Decimal:
    _require_finite(price)
    if price > MAX_PRICE:
        raise InvalidInput(N_("A price of {price} is more than this bot accepts."), price=price)
    if price < 0:
        raise InvalidInput(N_("A price cannot be negative."))
    if price != price.quantize(PRICE_PLACES):
        raise InvalidInput(N_("Prices can have at most four decimals."))
    return price


def check_amount(amount: Decimal) -> Decimal:
    """A line amount typed as money (free text invoices): above zero, in cents, below the maximum."""
    _require_finite(amount)
    if amount < 0:
        raise InvalidInput(N_("An amount cannot be negative."))
    if amount == 0:
        raise InvalidInput(N_("The amount must be more than zero."))
    if amount > MAX_PRICE:
        raise InvalidInput(N_("An amount of {amount} is more than this bot accepts."), amount=amount)
    if amount != amount.quantize(CENT):
        raise InvalidInput(N_("Amounts can have at most two decimals."))
    return amount.quantize(CENT)


def check_tax_percent(percent: Decimal) -> Decimal:
    _require_finite(percent)
    if percent < 0 or percent > 100:
        raise InvalidInput(N_("A sales tax percentage must be between 0 and 100."))
    if percent != percent.quantize(TAX_PLACES):
        raise InvalidInput(N_("A sales tax percentage can have at most four decimals."))
    return percent
