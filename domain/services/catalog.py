"""Finding customers and items from what a salesperson types: a number, or part of a name."""
from __future__ import annotations

from collections.abc import Sequence

from domain.customer import Customer
from domain.errors import N_, InvalidInput
from domain.item import Item
from domain.ports import UnitOfWork

MAX_MATCHES = 8


async def find_customers(uow: UnitOfWork, text: str) -> Sequence[Customer]:
    """An exact account number wins; otherwise every customer whose name contains the text."""
    text = _search_text(text)
    async with uow:
        exact = await uow.customers.by_account(text)
        return [exact] if exact is not None else await uow.customers.search(text, MAX_MATCHES + 1)


async def find_items(uow: UnitOfWork, text: str) -> Sequence[Item]:
    async with uow:
        return await find_items_in(uow, text)


async def find_items_in(uow: UnitOfWork, text: str) -> Sequence[Item]:
    """The same search inside a unit of work that is already open."""
    text = _search_text(text)
    exact = await uow.items.by_number(text)
    return [exact] if exact is not None else await uow.items.search(text, MAX_MATCHES + 1)


def _search_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(N_("Type an account or item number, or part of a name."))
    if len(text) > 100:
        raise InvalidInput(N_("That search text is too long."))
    return text
