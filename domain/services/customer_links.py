"""Linking a customer's Telegram account (issue 4): invite, link with a token, unlink."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.customer import Customer
from domain.customer_link import USED, LinkRefused, LinkUse, read_token
from domain.errors import N_, ConcurrentChange, InvalidInput, NotFound, NotPermitted
from domain.outbox import MailKind, OutboxMail
from domain.ports import Clock, UnitOfWork
from domain.services.common import existing_customer
from domain.user import Permission, Role, User

SEARCH_LIMIT = 10


@dataclass(frozen=True)
class Linked:
    user: User
    customer: Customer
    already: bool  # the account was linked to this customer before


async def link_account(uow: UnitOfWork, clock: Clock, secret: bytes | None, token: str,
                       telegram_id: int, name: str) -> Linked:
    """Open a link: the Telegram account becomes that customer's (role customer), once per token.

    A staff account is never turned into a customer's; an account linked to another customer must
    unlink first. A refused link is not used up.
    """
    claim = read_token(secret, token, clock.now())
    async with uow:
        existing = await uow.users.by_telegram_id(telegram_id)
        if existing is not None and not existing.is_customer:
            raise NotPermitted(N_("This Telegram account belongs to a member of staff; it cannot be "
                                  "linked to a customer."))
        if await uow.customer_channel.link_used(claim.nonce):
            raise LinkRefused(USED)
        customer = await existing_customer(uow, claim.customer_id)
        if existing is not None and existing.customer_id != customer.id:
            raise InvalidInput(N_("This Telegram account is linked to another customer. Send /unlink "
                                  "first, then open the link again."))
        await uow.customer_channel.add_link_use(LinkUse(claim.nonce, customer.id, telegram_id,
                                                        clock.now()))
        user = existing or User(telegram_id=telegram_id, name=(name or "").strip() or customer.name,
                                role=Role.CUSTOMER, customer_id=customer.id, language=customer.language)
        if existing is None:
            await uow.users.add(user)
        try:
            await uow.flush()
            await uow.commit()
        except ConcurrentChange:  # the same token opened twice at once: the unique key decided
            raise LinkRefused(USED) from None
    return Linked(user, customer, already=existing is not None)


async def unlink_account(uow: UnitOfWork, user: User) -> Customer:
    """/stop or /unlink: this Telegram account is no longer the customer's; their records stay."""
    customer_id = user.require_customer()
    async with uow:
        row = await uow.users.get(user.id)
        if row is None or not row.is_customer:
            raise NotFound(N_("This Telegram account is not linked to a customer."))
        customer = await uow.customers.get(customer_id)
        await uow.customer_channel.remove_user(row)
        await uow.commit()
    return customer


async def _invitable(uow: UnitOfWork, user: User, customer: Customer | None) -> bool:
    if customer is None:
        return False
    return user.can(Permission.SEE_ALL) or await uow.customer_channel.serves(customer.id, user.id)


async def customers_to_invite(uow: UnitOfWork, user: User, text: str) -> Sequence[Customer]:
    """The customers matching `text` that this user may invite: a salesperson's own (quoted or
    ordered for), everyone's for a manager."""
    user.require(Permission.INVITE)
    if not text.strip():
        raise InvalidInput(N_("Type /invite followed by the customer's account number or part of the name."))
    async with uow:
        found = await uow.customers.search(text, SEARCH_LIMIT)
        return [c for c in found if await _invitable(uow, user, c)]


async def invite_customer(uow: UnitOfWork, clock: Clock, user: User, customer_id: int) -> Customer:
    """Queue the invitation e-mail (its link is made when the mail is composed)."""
    user.require(Permission.INVITE)
    async with uow:
        customer = await uow.customers.get(customer_id)
        if not await _invitable(uow, user, customer):
            raise NotFound(N_("That customer does not exist or is not yours."))
        await uow.outbox.add(OutboxMail.queue(MailKind.CUSTOMER_INVITE, customer.id, customer.email,
                                              customer.language, clock.now(), notify_user_id=user.id))
        await uow.commit()
    return customer
