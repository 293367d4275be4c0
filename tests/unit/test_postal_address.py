"""Postal addresses of customers and parties (printed on a mailing campaign's letters)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.customer import MAX_ADDRESS_LINE, MAX_ADDRESS_LINES, Customer, check_postal_address
from domain.errors import InvalidInput
from domain.relationship import LeadDetails, Party, Stage


def test_lines_may_be_typed_on_lines_or_separated_by_commas():
    assert check_postal_address("Keizersgracht 1, 1015 CJ Amsterdam") == "Keizersgracht 1\n1015 CJ Amsterdam"
    assert check_postal_address("  Keizersgracht 1 \n\n1015 CJ  Amsterdam\n Nederland ,") == (
        "Keizersgracht 1\n1015 CJ  Amsterdam\nNederland")
    assert check_postal_address("") == "" and check_postal_address(" , \n ") == ""


def test_an_address_longer_than_an_envelope_takes_is_refused():
    check_postal_address("\n".join(["x"] * MAX_ADDRESS_LINES))
    with pytest.raises(InvalidInput, match="at most 5 lines"):
        check_postal_address("\n".join(["x"] * (MAX_ADDRESS_LINES + 1)))
    with pytest.raises(InvalidInput, match="at most 80 characters"):
        check_postal_address("x" * (MAX_ADDRESS_LINE + 1))


def test_a_customer_and_a_party_keep_the_address_as_lines():
    customer = Customer("C-1", "Acme", "a@acme.example", postal_address="Dorpsstraat 2, 1234 AB Ede")
    assert customer.postal_address == "Dorpsstraat 2\n1234 AB Ede"
    party = Party.capture(LeadDetails("Jan", email="jan@x.example"), Stage.LEAD, 1, datetime(2026, 1, 1, tzinfo=UTC))
    assert party.postal_address == ""
    party.set_postal_address("Hoofdweg 3\n9999 ZZ Zuid")
    assert party.postal_address == "Hoofdweg 3\n9999 ZZ Zuid"
    with pytest.raises(InvalidInput):
        party.set_postal_address("x" * 200)
    assert party.postal_address == "Hoofdweg 3\n9999 ZZ Zuid"  # a refused address changes nothing
    party.set_postal_address("")
    assert party.postal_address == ""
