"""/customer: a customer's card, and the contact data a salesperson keeps up to date in the chat."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.customer import Customer
from domain.ports import UnitOfWork
from domain.services.common import existing_customer
from domain.user import Permission, User


@dataclass(frozen=True)
class CustomerCard:
    customer: Customer
    salesperson: str | None  # the name of the account's salesperson, if it has one


async def customer_card(uow: UnitOfWork, user: User, customer_id: int) -> CustomerCard:
    """Whoever quotes may look a customer up, as /quote lets them quote any customer."""
    user.require(Permission.QUOTE)
    async with uow:
        customer = await existing_customer(uow, customer_id)
        salesperson = await uow.users.get(customer.salesperson_id) if customer.salesperson_id else None
    return CustomerCard(customer, salesperson.name if salesperson else None)


async def changeable_customer(uow: UnitOfWork, user: User, customer_id: int) -> Customer:
    """The customer, if the user may change its contact data: checked before they type anything."""
    async with uow:
        return await _maintained_by(uow, user, customer_id)


async def set_email(uow: UnitOfWork, user: User, customer_id: int, email: str) -> Customer:
    return await _change(uow, user, customer_id, lambda customer: customer.set_email(email))


async def set_postal_address(uow: UnitOfWork, user: User, customer_id: int, text: str) -> Customer:
    return await _change(uow, user, customer_id, lambda customer: customer.set_postal_address(text))


async def set_language(uow: UnitOfWork, user: User, customer_id: int, language: str) -> Customer:
    return await _change(uow, user, customer_id, lambda customer: customer.set_language(language))


async def _change(uow: UnitOfWork, user: User, customer_id: int,
                  change: Callable[[Customer], object]) -> Customer:
    """The customer, changed by `change` (a Customer method that checks its input) if the user
    may keep this account's contact data; nothing is written otherwise."""
    async with uow:
        customer = await _maintained_by(uow, user, customer_id)
        change(customer)
        await uow.commit()
    return customer


async def _maintained_by(uow: UnitOfWork, user: User, customer_id: int) -> Customer:
    customer = await existing_customer(uow, customer_id)
    user.require_may_maintain_customer(customer.salesperson_id)
    return customer
