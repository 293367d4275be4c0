"""Money, quantities and sales tax: one rounding rule, exact quantities, refusals a user can read."""
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.money import (
    MAX_QUANTITY,
    check_price,
    check_quantity,
    check_tax_percent,
    line_net_amount,
    line_tax_amount,
    parse_decimal,
    parse_quantity,
    round_money,
)

D = Decimal


# --- rounding ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "rounded"), [
    ("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("2.665", "2.67"),
    ("1.995", "2.00"), ("10", "10.00"), ("-0.005", "-0.01"), ("-2.675", "-2.68"),
])
def test_money_rounds_half_up_to_cents_away_from_zero(amount, rounded):
    result = round_money(D(amount))
    assert result == D(rounded)
    assert result.as_tuple().exponent == -2


def test_a_line_amount_is_quantity_times_price_rounded_to_cents():
    assert line_net_amount(D("3"), D("0.1250")) == D("0.38")  # 0.375 rounds up
    assert line_net_amount(D("0.333"), D("3")) == D("1.00")   # 0.999
    assert line_net_amount(D("2.5"), D("19.99")) == D("49.98")  # 49.975 rounds up


def test_sales_tax_is_computed_and_rounded_per_line():
    assert line_tax_amount(D("0.38"), D("21")) == D("0.08")   # 0.0798
    assert line_tax_amount(D("10.50"), D("9")) == D("0.95")   # 0.945 rounds up
    assert line_tax_amount(D("100.00"), D("5.5")) == D("5.50")
    assert line_tax_amount(D("123.45"), D("0")) == D("0.00")


# --- parsing what a person typed --------------------------------------------------------------

@pytest.mark.parametrize("text", ["2,5", "2.5", " 2.5 ", "2,50"])
def test_a_decimal_comma_and_a_decimal_point_read_the_same(text):
    assert parse_decimal(text) == D("2.5")


def test_a_whole_number_is_read_as_it_was_typed():
    assert parse_decimal("5") == D(5)


@pytest.mark.parametrize("text", ["abc", "", "2.5.1", "1,5.5", "12 pcs"])
def test_text_that_is_not_a_number_is_refused_with_the_text_in_the_message(text):
    with pytest.raises(InvalidInput) as caught:
        parse_decimal(text)
    assert caught.value.params == {"text": text}
    assert f"'{text}' is not a number." == str(caught.value)


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_not_a_number_and_infinity_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_decimal(text)


def test_an_exponent_is_read_but_a_billion_is_too_big_a_quantity():
    assert parse_decimal("1e9") == D(1_000_000_000)
    with pytest.raises(InvalidInput, match="more than this bot accepts"):
        parse_quantity("1e9")
    with pytest.raises(InvalidInput, match="more than this bot accepts"):
        check_quantity(D("1e9"))


# --- quantities -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["-3", "0", "0,000", "-0.001"])
def test_a_quantity_of_zero_or_less_is_refused(text):
    with pytest.raises(InvalidInput, match="more than zero"):
        parse_quantity(text)


def test_zero_is_accepted_only_where_it_is_allowed():
    assert check_quantity(D("0.000"), allow_zero=True) == 0
    # Where zero is allowed, "more than zero" would be wrong advice: -3 is refused as negative.
    with pytest.raises(InvalidInput, match="^The quantity cannot be negative.$"):
        check_quantity(D("-1"), allow_zero=True)


@pytest.mark.parametrize("text", ["1.0001", "0.0005", "2,5555"])
def test_a_quantity_with_more_than_three_decimals_is_refused(text):
    with pytest.raises(InvalidInput, match="at most three decimals"):
        parse_quantity(text)


def test_trailing_zeros_beyond_three_decimals_do_not_count_as_decimals():
    assert check_quantity(D("2.50000")) == D("2.5")


@pytest.mark.parametrize("text, readings", [
    ("1.000", ("1000", "1")), ("1,000", ("1000", "1")), ("12,500", ("12500", "12,5")),
    ("2.125", ("2125", "2.1250")), ("-1.000", ("-1000", "-1")),
])
def test_a_number_that_reads_both_ways_is_refused_naming_both_readings(text, readings):
    """'1.000' is a thousand to a Dutch reader and one to an English one: never guessed."""
    with pytest.raises(InvalidInput) as caught:
        parse_decimal(text)
    assert (caught.value.params["grouped"], caught.value.params["decimal"]) == readings
    for reading in readings:  # and each way of writing it that the message suggests is read as meant
        assert parse_decimal(reading) == D(reading.replace(",", "."))


@pytest.mark.parametrize("text, plain", [("1.000,50", "1000,50"), ("1,000.50", "1000.50"),
                                         ("12.345.678,9", "12345678,9"), ("1.000.000", "1000000")])
def test_grouped_thousands_are_refused_with_the_number_without_them(text, plain):
    with pytest.raises(InvalidInput) as caught:
        parse_decimal(text)
    assert caught.value.params["grouped"] == plain


@pytest.mark.parametrize("text", ["0.125", "0,125", "1000.125", "1.5", "1,25", "1000", "12.3450", "1234,567"])
def test_numbers_that_read_one_way_only_are_accepted(text):
    assert parse_decimal(text) == D(text.replace(",", "."))


def test_three_decimals_and_the_maximum_itself_are_accepted():
    assert parse_quantity("0,001") == D("0.001")
    assert parse_quantity("12.3450") == D("12.345")
    assert check_quantity(MAX_QUANTITY) == MAX_QUANTITY
    with pytest.raises(InvalidInput):
        check_quantity(MAX_QUANTITY + D("0.001"))


def test_infinity_is_not_a_quantity():
    with pytest.raises(InvalidInput):
        check_quantity(D("Infinity"))


# --- prices and tax percentages ---------------------------------------------------------------

def test_a_price_may_be_zero_and_carry_four_decimals():
    assert check_price(D("0")) == 0
    assert check_price(D("0.1250")) == D("0.125")
    assert check_price(D("1999.9999")) == D("1999.9999")


def test_a_negative_price_is_refused():
    with pytest.raises(InvalidInput, match="cannot be negative"):
        check_price(D("-0.01"))


def test_a_price_with_five_decimals_is_refused():
    with pytest.raises(InvalidInput, match="at most four decimals"):
        check_price(D("0.12345"))


@pytest.mark.parametrize("percent", ["0", "5.5", "9", "21", "100"])
def test_a_tax_percentage_from_zero_to_a_hundred_is_accepted(percent):
    assert check_tax_percent(D(percent)) == D(percent)


@pytest.mark.parametrize("percent", ["-0.01", "-9", "100.01", "121"])
def test_a_tax_percentage_outside_zero_to_a_hundred_is_refused(percent):
    with pytest.raises(InvalidInput, match="between 0 and 100"):
        check_tax_percent(D(percent))
