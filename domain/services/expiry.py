"""Quotation expiry, run by the scheduler: warn on the last valid day, expire the day after."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.ports import Clock, UnitOfWork
from domain.quotation import Quotation
from domain.user import User


@dataclass(frozen=True)
class ExpiryWarning:
    quotation: Quotation
    salesperson: User


async def expire_quotations(uow: UnitOfWork, clock: Clock) -> Sequence[Quotation]:
    today = clock.today()
    async with uow:
        expired = list(await uow.quotations.open_valid_until_before(today))
        for quotation in expired:
            quotation.expire(clock.now(), today)
        await uow.commit()
    return expired


async def quotations_to_warn(uow: UnitOfWork, clock: Clock) -> Sequence[ExpiryWarning]:
    """Open quotations whose last valid day is today and whose salesperson was not told yet."""
    today = clock.today()
    async with uow:
        due = [q for q in await uow.quotations.open_valid_until(today)
               if q.needs_expiry_warning(today)]
        warnings = []
        for quotation in due:
            salesperson = await uow.users.get(quotation.salesperson_id)
            if salesperson is not None:
                warnings.append(ExpiryWarning(quotation, salesperson))
        return warnings


async def mark_warned(uow: UnitOfWork, clock: Clock, quotation_id: int) -> bool:
    """Recorded after the message went out: a crash in between repeats a warning, never skips one.
    False: another run had recorded it already (only one of two overlapping runs records it)."""
    async with uow:
        recorded = await uow.quotations.mark_expiry_warned(quotation_id, clock.today())
        await uow.commit()
    return recorded
