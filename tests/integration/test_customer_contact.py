"""/customer's use cases on the real database: what is changed is stored, what is refused leaves the
customer as it was."""
from __future__ import annotations

import pytest

from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.services import customers


async def _stored(uow_factory, customer_id: int):
    async with uow_factory() as uow:
        c = await uow.customers.get(customer_id)
        return c.email, c.language, c.postal_address


async def _assign(uow_factory, customer_id: int, salesperson_id: int) -> None:
    async with uow_factory() as uow:
        (await uow.customers.get(customer_id)).salesperson_id = salesperson_id
        await uow.commit()


async def test_a_salesperson_changes_an_account_s_contact_data(uow_factory, seeded):
    sam, acme = seeded["sales"], seeded["acme"].id
    await customers.set_email(uow_factory(), sam, acme, "inkoop@acme.example")
    await customers.set_language(uow_factory(), sam, acme, "nl")
    await customers.set_postal_address(uow_factory(), sam, acme, "Kantoorplein 1, 1000 AA Amsterdam")
    assert await _stored(uow_factory, acme) == ("inkoop@acme.example", "nl", "Kantoorplein 1\n1000 AA Amsterdam")
    card = await customers.customer_card(uow_factory(), sam, acme)
    assert (card.customer.email, card.salesperson) == ("inkoop@acme.example", None)


async def test_bad_input_and_refusals_leave_the_customer_as_it_was(uow_factory, seeded):
    acme = seeded["acme"].id
    await _assign(uow_factory, acme, seeded["sales2"].id)
    before = await _stored(uow_factory, acme)
    with pytest.raises(NotPermitted, match="another salesperson"):
        await customers.set_email(uow_factory(), seeded["sales"], acme, "new@acme.example")
    with pytest.raises(NotPermitted):
        await customers.changeable_customer(uow_factory(), seeded["sales"], acme)
    with pytest.raises(NotPermitted):
        await customers.set_postal_address(uow_factory(), seeded["marketing"], acme, "Weg 1")
    with pytest.raises(InvalidInput):
        await customers.set_email(uow_factory(), seeded["sales2"], acme, "acme at example")
    with pytest.raises(NotFound):
        await customers.set_email(uow_factory(), seeded["sales2"], 999_999, "new@acme.example")
    assert await _stored(uow_factory, acme) == before
    # The account's own salesperson and a manager may; the card names the salesperson.
    await customers.set_language(uow_factory(), seeded["sales2"], acme, "nl")
    await customers.set_email(uow_factory(), seeded["manager"], acme, "new@acme.example")
    card = await customers.customer_card(uow_factory(), seeded["sales"], acme)
    assert (card.customer.email, card.customer.language, card.salesperson) == ("new@acme.example", "nl", "Olga Other")
