"""Registering people and their own preferences."""
from __future__ import annotations

from domain.customer import check_language
from domain.errors import N_, NotFound
from domain.ports import UnitOfWork
from domain.user import Role, User


async def add_or_update_user(uow: UnitOfWork, telegram_id: int, name: str, role: Role,
                             email: str = "") -> tuple[User, bool]:
    """Returns the user and whether it was new; a re-run updates by Telegram id."""
    candidate = User(telegram_id=telegram_id, name=name, role=role, email=email)
    async with uow:
        existing = await uow.users.by_telegram_id(telegram_id)
        if existing is None:
            await uow.users.add(candidate)
            user, created = candidate, True
        else:
            existing.name, existing.role, existing.email = candidate.name, candidate.role, candidate.email
            user, created = existing, False
        await uow.commit()
    return user, created


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
