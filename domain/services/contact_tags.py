"""Tags on contacts: set in chat (/tag) and by CSV import (`salesbot import tags FILE`).

A contact is named by a customer's account number (C-001) or a party's number (P12). Sales,
marketing and managers tag; a salesperson only their own parties and the customers whose
salesperson they are (or that have none).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.errors import N_, InvalidInput, NotFound, NotPermitted
from domain.ports import UnitOfWork
from domain.tags import TagChange, parse_tags
from domain.user import Permission, User

_PARTY = re.compile(r"^[Pp](\d{1,9})$")


@dataclass(frozen=True)
class Contact:
    kind: str  # "customer" or "party"
    id: int
    label: str
    owner_id: int | None


@dataclass(frozen=True)
class Tagged:
    contact: Contact
    tags: tuple[str, ...]


async def find_contact(uow: UnitOfWork, reference: str) -> Contact:
    reference = (reference or "").strip()
    customer = await uow.customers.by_account(reference) if reference else None
    if customer is not None:
        return Contact("customer", customer.id, f"{customer.account_number} {customer.name}",
                       customer.salesperson_id)
    match = _PARTY.match(reference)
    party = await uow.parties.get(int(match.group(1))) if match else None
    if party is not None:
        return Contact("party", party.id, f"P{party.id} {party.display_name}", party.owner_id)
    raise NotFound(N_("'{reference}' is neither a customer's account number nor a party (P and its "
                      "number, e.g. P12)."), reference=reference)


def _require_may_tag(user: User, contact: Contact) -> None:
    if not (user.can(Permission.LEADS) or user.can(Permission.CAMPAIGNS)):
        raise NotPermitted(N_("Your role does not allow this."))
    if user.can(Permission.SEE_ALL) or user.can(Permission.CAMPAIGNS):
        return
    if contact.kind == "party" and contact.owner_id != user.id:
        raise NotPermitted(N_("{contact} is not yours to tag."), contact=contact.label)
    if contact.kind == "customer" and contact.owner_id not in (None, user.id):
        raise NotPermitted(N_("{contact} is not yours to tag."), contact=contact.label)


async def change_tags(uow: UnitOfWork, user: User, reference: str, change_text: str) -> Tagged:
    if not (user.can(Permission.LEADS) or user.can(Permission.CAMPAIGNS)):
        raise NotPermitted(N_("Your role does not allow this."))
    change = TagChange.parse(change_text)
    async with uow:
        contact = await find_contact(uow, reference)
        _require_may_tag(user, contact)
        tags = change.apply(await uow.contact_tags.of(contact.kind, contact.id))
        await uow.contact_tags.replace(contact.kind, contact.id, tags)
        await uow.commit()
    return Tagged(contact, tags)


async def tags_of(uow: UnitOfWork, user: User, reference: str) -> Tagged:
    async with uow:
        contact = await find_contact(uow, reference)
        _require_may_tag(user, contact)
        return Tagged(contact, await uow.contact_tags.of(contact.kind, contact.id))


# --- CSV import ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TagRow:
    contact: str
    tags: tuple[str, ...]


def parse_row(row: Mapping[str, str]) -> TagRow:
    """`contact` (account number or P12) and `tags`: the contact's complete set, space-separated
    (empty: no tags). A re-run sets the same tags again: idempotent."""
    contact = (row.get("contact") or "").strip()
    if not contact:
        raise InvalidInput(N_("A row needs a contact: an account number or P and a party's number."))
    tags = parse_tags(row.get("tags") or "")
    TagChange(tags, ()).apply(())  # the per-contact limit
    return TagRow(contact, tags)


async def unknown_contacts(uow: UnitOfWork, parsed: Iterable[tuple[int, TagRow]]) -> list[tuple[int, str]]:
    """(line, reason) for each row whose contact does not exist; inside an open unit of work."""
    unknown = []
    for line, row in parsed:
        try:
            await find_contact(uow, row.contact)
        except NotFound:
            unknown.append((line, f"unknown contact '{row.contact}' (an account number, or P and a "
                                  "party's number)"))
    return unknown


async def store(uow: UnitOfWork, parsed: Iterable[tuple[int, TagRow]]) -> tuple[int, int]:
    """(contacts tagged for the first time, other rows), inside an open unit of work, for rows
    whose contacts exist (unknown_contacts)."""
    created = updated = 0
    for _, row in parsed:
        contact = await find_contact(uow, row.contact)
        before = await uow.contact_tags.of(contact.kind, contact.id)
        await uow.contact_tags.replace(contact.kind, contact.id, row.tags)
        if not before and row.tags:
            created += 1
        else:
            updated += 1
    return created, updated
