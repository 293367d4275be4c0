"""Quantities typed per line ('3 0 2' or '1:3 2:0'), read the same for delivery, receipts,
returns and agreement releases (handlers/parsing.parse_line_quantities)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from handlers.parsing import parse_line_quantities

D = Decimal


def test_quantities_in_order_go_to_the_open_lines():
    assert parse_line_quantities("3 0 2,5", [1, 3, 4]) == {1: D(3), 3: D(0), 4: D("2.5")}


def test_named_lines_get_their_quantities():
    assert parse_line_quantities("1:3 4=2", [1, 3, 4]) == {1: D(3), 4: D(2)}


@pytest.mark.parametrize("text", ["1:1 1:2", "1:2 2:1 1:2", "1=1 1:1"])
def test_a_line_named_twice_is_refused_rather_than_one_quantity_dropped(text):
    with pytest.raises(InvalidInput, match="Line 1 is named twice"):
        parse_line_quantities(text, [1, 2])


def test_a_wrong_count_of_quantities_is_refused():
    with pytest.raises(InvalidInput, match="each of the 2 open lines"):
        parse_line_quantities("1 2 3", [1, 2])
