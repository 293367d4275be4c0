"""Reading an agreement line typed in chat: '<item> <price or discount%> <committed>'."""
from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.sales_agreement import CommitmentType
from handlers.agreement_entry import parse_agreement_line

Q, V, T = CommitmentType.PRODUCT_QUANTITY, CommitmentType.PRODUCT_VALUE, CommitmentType.TOTAL_VALUE


@pytest.mark.parametrize("text, kind, expected", [
    ("A-100 129.00 100", Q, ("A-100", Decimal("129.00"), None, Decimal(100))),
    ("office chair 10% 5000", V, ("office chair", None, Decimal(10), Decimal(5000))),
    ("desk 7,5% 20", Q, ("desk", None, Decimal("7.5"), Decimal(20))),
    ("B-300 20,50", T, ("B-300", Decimal("20.50"), None, None)),
])
def test_a_line_is_read_from_the_end(text, kind, expected):
    assert parse_agreement_line(text, kind) == expected


@pytest.mark.parametrize("text, kind, message", [
    ("A-100 10%", Q, "committed quantity"),
    ("A-100", T, "agreed price or discount"),
    ("A-100 cheap 10", Q, "is not a number"),
    ("A-100 10% lots", V, "is not a number"),
])
def test_a_line_that_cannot_be_read_gets_a_clear_answer(text, kind, message):
    with pytest.raises(InvalidInput) as caught:
        parse_agreement_line(text, kind)
    assert message in str(caught.value)
