"""Use cases of relationships: capture a prospect or lead, qualify it, estimate it, quote it, win or
lose it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.customer import Customer
from domain.errors import N_, InvalidInput, NotFound
from domain.numbering import Sequence as Seq
from domain.ports import Clock, UnitOfWork
from domain.quotation import Quotation
from domain.relationship import LeadDetails, Party, PipelineRow, Stage, pipeline as pipeline_from
from domain.services.common import next_number
from domain.user import Permission, User

LIST_LIMIT = 20
# Account numbers: a real one from the customer sequence; a provisional one while a party is only
# being quoted (a quotation needs a customer account to be made out to).
CUSTOMER_ACCOUNTS, CUSTOMER_PREFIX = "customer_account", "C"
PROSPECT_ACCOUNTS, PROSPECT_PREFIX = "prospect_account", "P"
OPEN_STAGES = (Stage.PROSPECT, Stage.LEAD, Stage.OPPORTUNITY)


@dataclass(frozen=True)
class Duplicate:
    """A party or customer with the same e-mail address or phone number. Another salesperson's
    party is named only as such: a salesperson sees their own parties."""
    name: str | None  # None: someone else's
    kind: str         # "party" or "customer"
    stage: Stage | None = None


async def find_duplicates(uow: UnitOfWork, user: User, details: LeadDetails) -> list[Duplicate]:
    user.require(Permission.LEADS)
    async with uow:
        found = [Duplicate(p.display_name if user.may_see(p.owner_id) else None, "party", p.stage)
                 for p in await uow.parties.with_contact(details.email, details.phone)]
        found += [Duplicate(f"{c.name} ({c.account_number})", "customer")
                  for c in await uow.parties.customers_with_email(details.email)]
    return found


async def capture_party(uow: UnitOfWork, clock: Clock, user: User, details: LeadDetails,
                        stage: Stage) -> Party:
    user.require(Permission.LEADS)
    async with uow:
        party = Party.capture(details, stage, user.id, clock.now())
        await uow.parties.add(party)
        await uow.commit()
    return party


async def visible_party(uow: UnitOfWork, user: User, party_id: int) -> Party:
    """Another salesperson's party is reported as missing: ids leak nothing."""
    user.require(Permission.LEADS)
    party = await uow.parties.get(party_id)
    if party is None or not user.may_see(party.owner_id):
        raise NotFound(N_("That party does not exist or is not yours."))
    return party


async def get_party(uow: UnitOfWork, user: User, party_id: int) -> Party:
    async with uow:
        return await visible_party(uow, user, party_id)


@dataclass(frozen=True)
class PartyCard:
    """A party with the names of who moved it and its customer account number, if any."""
    party: Party
    names: dict[int, str]
    account: str | None


async def party_card(uow: UnitOfWork, user: User, party_id: int) -> PartyCard:
    async with uow:
        party = await visible_party(uow, user, party_id)
        names = {}
        for user_id in {change.changed_by for change in party.history}:
            person = await uow.users.get(user_id)
            names[user_id] = person.name if person else "?"
        customer = await uow.customers.get(party.customer_id) if party.customer_id else None
    return PartyCard(party, names, customer.account_number if customer else None)


async def open_parties(uow: UnitOfWork, user: User, text: str = "") -> Sequence[Party]:
    """Prospects, leads and opportunities, newest first, at most LIST_LIMIT + 1 (one more than a
    list shows: the caller can tell there are more, to be found by `text`, part of a name or
    company): one's own; a manager's view holds everyone's."""
    user.require(Permission.LEADS)
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        return await uow.parties.of_owner(owner, LIST_LIMIT + 1, OPEN_STAGES, text.strip())


async def _change(uow: UnitOfWork, user: User, party_id: int, change: Callable[[Party], object]) -> Party:
    """One of the user's visible parties, changed by `change` (a Party method that checks its rule)."""
    async with uow:
        party = await visible_party(uow, user, party_id)
        change(party)
        await uow.commit()
    return party


async def make_lead(uow: UnitOfWork, clock: Clock, user: User, party_id: int) -> Party:
    return await _change(uow, user, party_id, lambda party: party.make_lead(user.id, clock.now()))


async def qualify(uow: UnitOfWork, clock: Clock, user: User, party_id: int, value: Decimal,
                  probability: Decimal, expected_close: date) -> Party:
    return await _change(uow, user, party_id, lambda party: party.qualify(
        value, probability, expected_close, clock.today(), user.id, clock.now()))


async def estimate(uow: UnitOfWork, clock: Clock, user: User, party_id: int, value: Decimal,
                   probability: Decimal, expected_close: date) -> Party:
    """Set or revise the estimate of the party's open opportunity (one a campaign response opened
    with its estimate pending, or one already estimated): a salesperson their own parties', a
    manager (who sees all) anyone's; `visible_party` checks both."""
    return await _change(uow, user, party_id, lambda party: party.estimate(
        value, probability, expected_close, clock.today()))


async def set_email(uow: UnitOfWork, user: User, party_id: int, email: str) -> Party:
    return await _change_contact(uow, user, party_id, lambda party: party.set_email(email))


async def set_postal_address(uow: UnitOfWork, user: User, party_id: int, text: str) -> Party:
    return await _change_contact(uow, user, party_id, lambda party: party.set_postal_address(text))


async def _change_contact(uow: UnitOfWork, user: User, party_id: int, change: Callable[[Party], object]) -> Party:
    """As _change; a party with a customer account (provisional or real) has the account follow, as
    quotations and invoices go to the account's address, not the party's."""
    async with uow:
        party = await visible_party(uow, user, party_id)
        change(party)
        if party.customer_id is not None:
            account = await uow.customers.get(party.customer_id)
            account.set_email(party.email)
            account.set_postal_address(party.postal_address)
        await uow.commit()
    return party


async def lose_opportunity(uow: UnitOfWork, clock: Clock, user: User, party_id: int,
                           reason: str) -> Party:
    return await _change(uow, user, party_id, lambda party: party.lose(reason, clock.now()))


async def win_opportunity(uow: UnitOfWork, clock: Clock, user: User, party_id: int, reason: str,
                          language: str = "en") -> tuple[Party, Customer]:
    """Won by hand (with a reason): the party becomes a customer with a real account number."""
    async with uow:
        party = await visible_party(uow, user, party_id)
        party.require_open_opportunity()
        customer = await _customer_account(uow, party, language, provisional=False)
        party.win(reason, user.id, clock.now())
        await uow.commit()
    return party, customer


async def quote_opportunity(uow: UnitOfWork, clock: Clock, user: User, party_id: int,
                            language: str = "en") -> tuple[Quotation, Customer]:
    """A quotation draft for the party of an open opportunity, made out to its customer account
    (a provisional one, P-..., while the party is not a customer yet). One transaction."""
    user.require(Permission.QUOTE)
    async with uow:
        party = await visible_party(uow, user, party_id)
        party.require_open_opportunity()
        customer = await _customer_account(uow, party, language, provisional=True)
        quotation = Quotation.create(await next_number(uow, Seq.QUOTATION), customer.id, user.id,
                                     clock.now())
        await uow.quotations.add(quotation)
        await uow.commit()
    return quotation, customer


async def quotation_confirmed(uow: UnitOfWork, clock: Clock, user: User, quotation: Quotation) -> None:
    """Called inside the confirm use case's unit of work (see customer_bought)."""
    await customer_bought(uow, clock, user, quotation.customer_id, quotation.number)


async def customer_bought(uow: UnitOfWork, clock: Clock, user: User, customer_id: int, reference: str) -> None:
    """Inside the unit of work of a sale (a confirmed quotation, an order from a sales agreement):
    when the account is a party's that is not a customer yet, the party becomes one, with a real
    account number, and its open opportunity is won; `reference` names the sale."""
    party = await uow.parties.by_customer(customer_id)
    if party is None or party.stage is Stage.CUSTOMER:
        return
    party.become_customer(reference, user.id, clock.now())
    customer = await uow.customers.get(customer_id)
    customer.account_number = await _free_account(uow, CUSTOMER_ACCOUNTS, CUSTOMER_PREFIX)


async def pipeline(uow: UnitOfWork, user: User) -> list[PipelineRow]:
    """Count and value per stage: one's own parties; a manager's pipeline holds everyone's."""
    user.require(Permission.LEADS)
    async with uow:
        owner = None if user.can(Permission.SEE_ALL) else user.id
        stage_counts, opportunities = await uow.parties.pipeline_figures(owner)
    return pipeline_from(stage_counts, opportunities)


async def _customer_account(uow: UnitOfWork, party: Party, language: str, *,
                            provisional: bool) -> Customer:
    if party.customer_id is not None:
        customer = await uow.customers.get(party.customer_id)
        if not provisional and party.stage is not Stage.CUSTOMER:
            customer.account_number = await _free_account(uow, CUSTOMER_ACCOUNTS, CUSTOMER_PREFIX)
        return customer
    if not party.email:
        raise InvalidInput(N_("{name} has no e-mail address; a customer needs one. Add it first."),
                           name=party.name)
    sequence, prefix = ((PROSPECT_ACCOUNTS, PROSPECT_PREFIX) if provisional
                        else (CUSTOMER_ACCOUNTS, CUSTOMER_PREFIX))
    customer = Customer(await _free_account(uow, sequence, prefix), party.company or party.name,
                        party.email, language, postal_address=party.postal_address)
    await uow.customers.add(customer)
    await uow.flush()
    party.attach_customer(customer.id)
    return customer


async def _free_account(uow: UnitOfWork, sequence: str, prefix: str) -> str:
    """The next number of the sequence that no customer has yet (imported accounts may use it)."""
    while True:
        number = f"{prefix}-{await uow.numbers.next(sequence):06d}"
        if await uow.customers.by_account(number) is None:
            return number
