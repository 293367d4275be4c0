"""A customer's contact data as a salesperson keeps it in the chat, and who may change it."""
from __future__ import annotations

import pytest

from domain.customer import Customer
from domain.errors import InvalidInput, NotPermitted
from domain.user import Role, User


def _user(role: Role, user_id: int) -> User:
    u = User(telegram_id=9000 + user_id, name="Someone", role=role,
             customer_id=11 if role is Role.CUSTOMER else None)
    u.id = user_id
    return u


def _customer() -> Customer:
    return Customer("C-100", "Acme Office BV", "buyer@acme.example", "en",
                    postal_address="Kantoorplein 1, 1000 AA Amsterdam")


def test_a_new_e_mail_address_language_and_postal_address_are_checked_and_kept():
    customer = _customer()
    customer.set_email("  inkoop@acme.example ")
    customer.set_language("NL")
    customer.set_postal_address("Dorpsstraat 2, 1234 AB Ede, Nederland")
    assert (customer.email, customer.language) == ("inkoop@acme.example", "nl")
    assert customer.postal_address == "Dorpsstraat 2\n1234 AB Ede\nNederland"
    customer.set_postal_address("")
    assert customer.postal_address == ""


@pytest.mark.parametrize("change, value", [("set_email", "not an address"), ("set_email", ""),
                                           ("set_email", "a" * 243 + "@example.com"),
                                           ("set_language", "de"), ("set_postal_address", "x" * 81)])
def test_bad_contact_data_is_refused_and_the_old_data_stays(change, value):
    customer = _customer()
    before = (customer.email, customer.language, customer.postal_address)
    with pytest.raises(InvalidInput):
        getattr(customer, change)(value)
    assert (customer.email, customer.language, customer.postal_address) == before


def test_a_salesperson_keeps_their_own_accounts_and_accounts_without_a_salesperson():
    sam = _user(Role.SALES, 10)
    sam.require_may_maintain_customer(10)
    sam.require_may_maintain_customer(None)
    with pytest.raises(NotPermitted, match="another salesperson"):
        sam.require_may_maintain_customer(11)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_keep_every_account(role):
    _user(role, 20).require_may_maintain_customer(11)


@pytest.mark.parametrize("role", [Role.MARKETING, Role.CUSTOMER])
def test_who_does_not_quote_changes_no_customer_not_even_their_own(role):
    with pytest.raises(NotPermitted):
        _user(role, 30).require_may_maintain_customer(None)
    with pytest.raises(NotPermitted):
        _user(role, 30).require_may_maintain_customer(30)
