"""Use case: one mail fetched from the request mailbox becomes a quotation request (issue 4 §3).

Exactly once: the mail is recorded by (folder, UIDVALIDITY, UID) and by Message-ID, both unique,
in the same transaction as the request it creates and the acknowledgement it queues. The poller
flags the mail \\Seen only after that commit; a restart in between fetches it again, finds it
recorded, and only flags it.

The quotation request itself is made by a `RequestSink` (issue 4 §2 owns that model): called
inside the open unit of work, it adds the request and does not commit. The mail, its lines and
the customer are recorded here whatever the sink does, so nothing is lost while no sink is wired.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from domain.consent import TokenRefused, read_unsubscribe_token
from domain.customer import Customer
from domain.errors import ConcurrentChange, DomainError
from domain.mail_intake import (MAX_NOTE, InboundMail, ReadMail, RequestLine, match_line, parse_body,
                                read_mail, request_text, sender_address, unsubscribe_request)
from domain.outbox import MailKind, OutboxMail
from domain.ports import Clock, UnitOfWork
from domain.relationship import LeadDetails, Party, Source, Stage
from domain.services.campaigns import opt_out_contact
from domain.services.catalog import find_items_in
from domain.services.relationships import (PROSPECT_ACCOUNTS, PROSPECT_PREFIX, _customer_account,
                                           _free_account)
from domain.user import Role, User

SOURCE = "e-mail"
# A prospect from an unknown sender belongs to someone: this role first, then the next.
OWNER_ROLES = (Role.MANAGER, Role.SALES, Role.ADMIN)


class RequestSink(Protocol):
    async def create_request(self, uow: UnitOfWork, clock: Clock, customer_id: int,
                             lines: Sequence[RequestLine], note: str, source: str,
                             original_mail: bytes) -> int | None:
        """Add a quotation request inside the open unit of work (do not commit); its id, if any."""


class NoRequestSink:
    """Until quotation requests exist: the inbound mail row holds the customer and the lines."""

    async def create_request(self, uow, clock, customer_id, lines, note, source, original_mail) -> None:
        return None


@dataclass(frozen=True)
class FetchedMail:
    folder: str
    uidvalidity: int
    uid: int
    raw: bytes


class Outcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"   # recorded before (same UID or same Message-ID): nothing done
    IGNORED = "ignored"
    FAILED = "failed"
    UNSUBSCRIBED = "unsubscribed"  # a campaign mail's mailto unsubscribe: opted out, nothing answered


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    mail: InboundMail | None = None
    customer: Customer | None = None
    party: Party | None = None

    @property
    def queued_mail(self) -> bool:
        return self.outcome is Outcome.PROCESSED


async def is_recorded(uow: UnitOfWork, folder: str, uidvalidity: int, uid: int) -> bool:
    async with uow:
        return await uow.inbound_mails.find(folder, uidvalidity, uid, None) is not None


async def last_recorded_uid(uow: UnitOfWork, folder: str, uidvalidity: int) -> int | None:
    async with uow:
        return await uow.inbound_mails.last_uid(folder, uidvalidity)


async def process_mail(uow: UnitOfWork, clock: Clock, sink: RequestSink, fetched: FetchedMail, *,
                       own_addresses: Sequence[str] = (), default_language: str = "en",
                       prospect_owner: int | None = None,
                       unsubscribe_secret: bytes | None = None) -> IntakeResult:
    """Record the mail and make its request, once. `prospect_owner` is the Telegram id of the
    user who owns prospects from unknown senders (default: the first manager, then salesperson).
    `unsubscribe_secret` (SALESBOT_SECRET_KEY) checks the token of a campaign mail's mailto
    unsubscribe ('unsubscribe TOKEN'): such a mail opts its contact out and is not a request."""
    read = read_mail(fetched.raw)
    try:
        async with uow:
            if await uow.inbound_mails.find(fetched.folder, fetched.uidvalidity, fetched.uid,
                                            read.message_id) is not None:
                return IntakeResult(Outcome.DUPLICATE)
            contact = _unsubscribing_contact(read, unsubscribe_secret)
            if contact is not None:
                result = await _record_unsubscribe(uow, clock, fetched, read, default_language, *contact)
            else:
                result = await _record(uow, clock, sink, fetched, read, own_addresses, default_language,
                                       prospect_owner)
            await uow.commit()
            return result
    except ConcurrentChange:
        # Another poller recorded the same mail at the same moment (a unique key): done already.
        async with uow:
            if await uow.inbound_mails.find(fetched.folder, fetched.uidvalidity, fetched.uid,
                                            read.message_id) is not None:
                return IntakeResult(Outcome.DUPLICATE)
        raise
    except DomainError as error:
        # A rule refused this mail's request: it would be refused again at every poll, so it is
        # recorded as failed (kept with its reason for a person to look at) and not fetched again.
        return await _record_failed(uow, clock, fetched, read, error, default_language)


async def _record_failed(uow: UnitOfWork, clock: Clock, fetched: FetchedMail, read: ReadMail,
                         error: DomainError, default_language: str) -> IntakeResult:
    mail = _inbound(fetched, read, clock, default_language)
    mail.failed(str(error))
    async with uow:
        await uow.inbound_mails.add(mail)
        await uow.commit()
    return IntakeResult(Outcome.FAILED, mail)


def _unsubscribing_contact(read: ReadMail, secret: bytes | None) -> tuple[str, int] | None:
    """(kind, id) of the contact a mailto unsubscribe names by a valid token, else None: a subject
    like 'unsubscribe me' without our signature stays an ordinary mail a person reads."""
    token = unsubscribe_request(read.subject)
    if token is None or not secret:
        return None
    try:
        return read_unsubscribe_token(secret, token)
    except TokenRefused:
        return None


async def _record_unsubscribe(uow: UnitOfWork, clock: Clock, fetched: FetchedMail, read: ReadMail,
                              default_language: str, contact_kind: str, contact_id: int) -> IntakeResult:
    """Checked before the automatic-mail rule: mail clients send these by themselves, and the
    signed token, not the sender, says who. Never answered (no request, no acknowledgement)."""
    mail = _inbound(fetched, read, clock, default_language)
    await uow.inbound_mails.add(mail)
    if await opt_out_contact(uow, clock.now(), contact_kind, contact_id) is None:
        mail.ignored("unsubscribe for a contact that no longer exists or has no address")
        return IntakeResult(Outcome.IGNORED, mail)
    mail.unsubscribed(contact_kind, contact_id)
    return IntakeResult(Outcome.UNSUBSCRIBED, mail)


def _inbound(fetched: FetchedMail, read: ReadMail, clock: Clock, default_language: str) -> InboundMail:
    return InboundMail(fetched.folder, fetched.uidvalidity, fetched.uid, read.message_id, read.sender[:320],
                       read.sender_name, read.subject, clock.now(), fetched.raw,
                       language=read.language or default_language)


async def _record(uow: UnitOfWork, clock: Clock, sink: RequestSink, fetched: FetchedMail, read: ReadMail,
                  own_addresses: Sequence[str], default_language: str,
                  prospect_owner: int | None) -> IntakeResult:
    now = clock.now()
    mail = _inbound(fetched, read, clock, default_language)
    await uow.inbound_mails.add(mail)
    try:
        address = sender_address(read)
    except DomainError as error:
        mail.failed(str(error))
        return IntakeResult(Outcome.FAILED, mail)
    if read.automatic or address in {a.strip().lower() for a in own_addresses}:
        mail.ignored("automatic reply, bounce, mailing list or our own address")
        return IntakeResult(Outcome.IGNORED, mail)

    customer, party = await _sender_account(uow, clock, read, address, mail.language, prospect_owner)
    if read.language is None:
        mail.language = customer.language
    lines = [match_line(parsed, await _candidates(uow, parsed.query)) for parsed in parse_body(read.body)]
    note = "\n".join(request_text(read.body))[:MAX_NOTE]
    request_id = await sink.create_request(uow, clock, customer.id, lines, note, SOURCE, fetched.raw)
    mail.processed(lines, note, customer.id, party.id if party else None, request_id)
    await uow.flush()  # the mail's id, for the acknowledgement
    await uow.outbox.add(OutboxMail.queue(MailKind.MAIL_REQUEST_RECEIVED, mail.id, address, mail.language,
                                          now))
    return IntakeResult(Outcome.PROCESSED, mail, customer, party)


async def _candidates(uow: UnitOfWork, query: str):
    try:
        return await find_items_in(uow, query)
    except DomainError:
        return []


async def _sender_account(uow: UnitOfWork, clock: Clock, read: ReadMail, address: str, language: str,
                          prospect_owner: int | None) -> tuple[Customer, Party | None]:
    """A known contact's account (e-mail address, any case); else the party with that address and
    its (provisional) account; else a new prospect, source e-mail, with a provisional account."""
    customers = await uow.parties.customers_with_email(address)
    if customers:
        return customers[0], await uow.parties.by_customer(customers[0].id)
    for party in await uow.parties.with_contact(address, ""):
        return await _customer_account(uow, party, language, provisional=True), party
    name = read.sender_name or address.partition("@")[0]
    owner = await _owner(uow, prospect_owner)
    if owner is None:  # nobody to own a party: the provisional account alone
        customer = Customer(await _free_account(uow, PROSPECT_ACCOUNTS, PROSPECT_PREFIX), name, address,
                            language)
        await uow.customers.add(customer)
        await uow.flush()
        return customer, None
    details = LeadDetails(name, email=address, source=Source.MAILING,
                          note=read.subject[:1000])
    party = Party.capture(details, Stage.PROSPECT, owner.id, clock.now())
    await uow.parties.add(party)
    return await _customer_account(uow, party, language, provisional=True), party


async def _owner(uow: UnitOfWork, telegram_id: int | None) -> User | None:
    if telegram_id is not None and (user := await uow.users.by_telegram_id(telegram_id)) is not None:
        return user
    users = sorted(await uow.users.all(), key=lambda u: u.id)
    for role in OWNER_ROLES:
        for user in users:
            if user.role is role:
                return user
    return None
