"""Registering people and their own preferences."""
from __future__ import annotations

from domain.customer import check_language
from domain.errors import N_, InvalidInput, NotFound
from domain.ports import UnitOfWork
from domain.user import Role, User


async def add_or_update_user(uow: UnitOfWork, telegram_id: int, name: str, role: Role,
                             email: str = "") -> tuple[User, bool]:
    """Returns the user and whether it was new; a re-run updates by Telegram id."""
    candidate = User(telegram_id=telegram_id, name=name, role=role, email=email)
    async with uow:
        existing = await uow.users.by_telegram_id(telegram_id)
        await refuse_a_customers_account(uow, existing)
        if existing is None:
            await uow.users.add(candidate)
            user, created = candidate, True
        else:
            existing.name, existing.role, existing.email = candidate.name, candidate.role, candidate.email
            user, created = existing, False
        await uow.commit()
    return user, created


async def refuse_a_customers_account(uow: UnitOfWork, existing: User | None) -> None:
    """A customer's linked Telegram account does not become staff by being added again: it would
    keep the customer's link (and a staff role would see every customer's documents)."""
    if existing is None or not existing.is_customer:
        return
    customer = await uow.customers.get(existing.customer_id)
    raise InvalidInput(N_("Telegram id {telegram_id} is linked to customer {customer}; it becomes staff "
                          "only after /unlink from that Telegram account."),
                       telegram_id=existing.telegram_id,
                       customer=f"{customer.account_number} {customer.name}" if customer else "?")


async def user_by_telegram_id(uow: UnitOfWork, telegram_id: int) -> User | None:
    async with uow:
        return await uow.users.by_telegram_id(telegram_id)


async def set_language(uow: UnitOfWork, user_id: int, language: str) -> User:
    language = check_language(language)
    async with uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise NotFound(N_("You are not registered."))
        user.language = language
        await uow.commit()
    return user
