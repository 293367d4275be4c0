"""What handlers need from the application, handed in by the dispatcher as `deps`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.documents.renderer import DocumentRenderer
from domain.call_list import DEFAULT_COUNTRY_CODE
from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.ports import Clock, UnitOfWork


@dataclass(frozen=True)
class Deps:
    uow: Callable[[], UnitOfWork]      # a fresh unit of work per call
    clock: Clock
    currency: str
    mail_queued: Callable[[], None]    # wakes the outbox sender after a commit that queued mail
    documents: DocumentRenderer        # the PDFs customers get, shown to the salesperson too
    links: Any = None                  # issue 4: bot.customer_links.CustomerLinks (deep links for customers)
    warehouse_management: bool = False  # §4: Subscriptions are refused when it is on
    phone_country_code: str = DEFAULT_COUNTRY_CODE  # issue 5: call lists show numbers in international form

    async def customer(self, customer_id: int) -> Customer:
        async with self.uow() as uow:
            customer = await uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(N_("That customer does not exist."))
        return customer
