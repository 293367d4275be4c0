"""Locale-aware formatting: what customers read on documents, in chat and e-mail."""

from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import get_currency_symbol, parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import (
    babel_locale,
    format_date,
    format_money,
    format_percent,
    format_quantity,
)

NBSP = "\u00a0"


def test_english_money_puts_the_euro_sign_first_and_groups_with_commas():
    assert format_money(Decimal("1234.50"), "EUR", "en") == "€1,234.50"


def test_dutch_money_separates_the_euro_sign_with_a_no_break_space_and_groups_with_dots():
    assert format_money(Decimal("1234.50"), "EUR", "nl") == f"€{NBSP}1.234,50"


def test_money_always_shows_the_currency_minor_digits():
    assert format_money(Decimal("12"), "EUR", "en") == "€12.00"
    assert format_money(Decimal("12.5"), "EUR", "nl") == f"€{NBSP}12,50"


def test_money_is_never_rounded_when_the_domain_gives_more_decimals():
    assert format_money(Decimal("0.1234"), "EUR", "en") == "€0.1234"


def test_negative_money_keeps_its_sign():
    assert format_money(Decimal("-5.00"), "EUR", "en") == "-€5.00"
    assert format_money(Decimal("-5.00"), "EUR", "nl") == f"€{NBSP}-5,00"


@pytest.mark.parametrize(
    ("quantity", "en", "nl"),
    [
        (Decimal("5"), "5", "5"),
        (Decimal("5.000"), "5", "5"),
        (Decimal("2.50"), "2.5", "2,5"),
        (Decimal("1234.5"), "1,234.5", "1.234,5"),
        (Decimal("0.0001"), "0.0001", "0,0001"),
        (Decimal("-0.00"), "0", "0"),
    ],
)
def test_quantities_drop_trailing_zeros_and_use_the_locale_separators(quantity, en, nl):
    assert format_quantity(quantity, "en") == en
    assert format_quantity(quantity, "nl") == nl


def test_english_dates_put_the_day_before_the_month():
    assert format_date(date(2025, 3, 7), "en") == "7 Mar 2025"


def test_dutch_dates_use_dutch_month_abbreviations():
    assert format_date(date(2025, 3, 7), "nl") == "7 mrt 2025"


def test_a_tax_percent_is_given_in_percent_units_and_printed_with_a_percent_sign():
    assert format_percent(Decimal("21"), "en") == "21%"
    assert format_percent(Decimal("21.00"), "nl") == "21%"
    assert format_percent(Decimal("9.5"), "nl") == "9,5%"
    assert format_percent(Decimal("0"), "en") == "0%"


def test_locale_objects_are_parsed_once_and_cached():
    assert babel_locale("nl") is babel_locale("nl")
    assert str(babel_locale("en")) == "en_GB"
    assert str(babel_locale("nl")) == "nl_NL"


@given(
    amount=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2,
        allow_nan=False, allow_infinity=False,
    ),
    locale=st.sampled_from(["en", "nl"]),
)
def test_formatted_money_parses_back_to_the_same_amount(amount, locale):
    text = format_money(amount, "EUR", locale)
    symbol = get_currency_symbol("EUR", locale=babel_locale(locale))
    number = text.replace(symbol, "").strip()  # str.strip() also removes the NBSP
    assert parse_decimal(number, locale=babel_locale(locale)) == amount
