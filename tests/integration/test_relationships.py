"""Relationship use cases on the real database (SQLite, and PostgreSQL when its URL is set)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.customer import Customer
from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.relationship import LeadDetails, OpportunityStatus, Source, Stage
from domain.services import quotations, relationships as rel

JAN = LeadDetails("Jan Jansen", "Jansen Bouw BV", "Jan@JansenBouw.example", "+31 6 1234 5678",
                  Source.TRADE_SHOW, "Wants 20 chairs")


async def _opportunity(uow_factory, clock, user, details=JAN) -> int:
    party = await rel.capture_party(uow_factory(), clock, user, details, Stage.LEAD)
    await rel.qualify(uow_factory(), clock, user, party.id, Decimal("25000"), Decimal("60"), date(2026, 12, 31))
    return party.id


async def test_a_captured_party_is_stored_with_its_history(uow_factory, clock, seeded):
    party = await rel.capture_party(uow_factory(), clock, seeded["sales"], JAN, Stage.PROSPECT)
    await rel.make_lead(uow_factory(), clock, seeded["sales"], party.id)
    card = await rel.party_card(uow_factory(), seeded["sales"], party.id)
    p = card.party
    assert (p.name, p.company, p.email, p.phone, p.source, p.note) == (
        "Jan Jansen", "Jansen Bouw BV", "Jan@JansenBouw.example", "+31612345678", Source.TRADE_SHOW,
        "Wants 20 chairs")
    assert [(h.from_stage, h.to_stage, h.changed_by) for h in p.history] == [
        (None, Stage.PROSPECT, seeded["sales"].id), (Stage.PROSPECT, Stage.LEAD, seeded["sales"].id)]
    assert p.history[0].changed_at == clock.now()
    assert card.names == {seeded["sales"].id: "Sam Sales"} and card.account is None


async def test_duplicates_are_found_by_e_mail_in_any_case_or_by_phone(uow_factory, clock, seeded):
    await rel.capture_party(uow_factory(), clock, seeded["sales"], JAN, Stage.LEAD)
    by_mail = LeadDetails("J.", "", "jan@jansenbouw.EXAMPLE", "", Source.OTHER)
    by_phone = LeadDetails("J.", "", "", "0031 6 12345678", Source.OTHER)
    for details in (by_mail, by_phone):
        [d] = await rel.find_duplicates(uow_factory(), seeded["sales"], details)
        assert (d.name, d.kind, d.stage) == ("Jan Jansen (Jansen Bouw BV)", "party", Stage.LEAD)
    [other] = await rel.find_duplicates(uow_factory(), seeded["sales2"], by_phone)
    assert other.name is None  # someone else's party is not named
    customer = LeadDetails("Buyer", "", "BUYER@acme.example", "", Source.OTHER)
    [d] = await rel.find_duplicates(uow_factory(), seeded["sales"], customer)
    assert (d.kind, d.name) == ("customer", "Acme Office BV (C-001)")
    assert await rel.find_duplicates(uow_factory(), seeded["sales"],
                                     LeadDetails("New", "", "new@x.example", "", Source.OTHER)) == []


async def test_quoting_and_confirming_turns_the_party_into_a_customer_with_a_new_account(
        uow_factory, clock, seeded):
    sam = seeded["sales"]
    party_id = await _opportunity(uow_factory, clock, sam)
    q, customer = await rel.quote_opportunity(uow_factory(), clock, sam, party_id, "nl")
    assert (customer.account_number, customer.name, customer.email, customer.language) == (
        "P-000001", "Jansen Bouw BV", "Jan@JansenBouw.example", "nl")
    assert q.customer_id == customer.id and q.salesperson_id == sam.id
    # a second quotation for the same party uses the same account
    q2, again = await rel.quote_opportunity(uow_factory(), clock, sam, party_id)
    assert again.id == customer.id
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("20"))
    await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)

    card = await rel.party_card(uow_factory(), sam, party_id)
    assert card.party.stage is Stage.CUSTOMER and card.account == "C-000001"
    [won] = card.party.opportunities
    assert (won.status, won.reason, won.closed_at) == (OpportunityStatus.WON, q.number, clock.now())
    assert card.party.history[-1].to_stage is Stage.CUSTOMER
    # the other quotation confirmed later changes nothing more
    await quotations.add_line(uow_factory(), sam, q2.id, seeded["desk"].id, Decimal("1"))
    await quotations.confirm_quotation(uow_factory(), clock, sam, q2.id)
    card = await rel.party_card(uow_factory(), sam, party_id)
    assert card.account == "C-000001" and len(card.party.history) == 3


async def test_a_new_account_number_skips_one_a_customer_already_has(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        await uow.customers.add(Customer("C-000001", "Imported", "imp@x.example"))
        await uow.commit()
    party_id = await _opportunity(uow_factory, clock, seeded["sales"])
    _, customer = await rel.win_opportunity(uow_factory(), clock, seeded["sales"], party_id, "Signed")
    assert customer.account_number == "C-000002"
    party = await rel.get_party(uow_factory(), seeded["sales"], party_id)
    assert party.stage is Stage.CUSTOMER and party.customer_id == customer.id


async def test_an_ordinary_customers_confirmation_touches_no_party(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("1"))
    await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    async with uow_factory() as uow:
        assert (await uow.customers.get(seeded["acme"].id)).account_number == "C-001"


async def test_a_party_without_e_mail_gets_no_customer_and_nothing_changes(uow_factory, clock, seeded):
    phone_only = LeadDetails("Piet", "Piet BV", "", "+31201234567", Source.REFERRAL)
    party_id = await _opportunity(uow_factory, clock, seeded["sales"], phone_only)
    with pytest.raises(InvalidInput, match="no e-mail address"):
        await rel.quote_opportunity(uow_factory(), clock, seeded["sales"], party_id)
    with pytest.raises(InvalidInput, match="no e-mail address"):
        await rel.win_opportunity(uow_factory(), clock, seeded["sales"], party_id, "Signed")
    async with uow_factory() as uow:
        assert [c.account_number for c in await uow.customers.all()] == ["C-001", "C-002"]
        assert await uow.quotations.open_of(None, 10) == []
    party = await rel.get_party(uow_factory(), seeded["sales"], party_id)
    assert party.stage is Stage.OPPORTUNITY and party.open_opportunity is not None
    await rel.set_email(uow_factory(), seeded["sales"], party_id, "piet@pietbv.example")
    _, customer = await rel.quote_opportunity(uow_factory(), clock, seeded["sales"], party_id)
    assert customer.account_number == "P-000001"


async def test_a_salesperson_sees_only_their_own_parties_and_a_manager_all(uow_factory, clock, seeded):
    sam, olga, mia = seeded["sales"], seeded["sales2"], seeded["manager"]
    party_id = await _opportunity(uow_factory, clock, sam)
    await rel.capture_party(uow_factory(), clock, olga, LeadDetails("O", "", "o@x.example", "", Source.MAILING),
                            Stage.PROSPECT)
    for action in (rel.get_party(uow_factory(), olga, party_id),
                   rel.lose_opportunity(uow_factory(), clock, olga, party_id, "mine now"),
                   rel.quote_opportunity(uow_factory(), clock, olga, party_id)):
        with pytest.raises(NotFound, match="not yours"):
            await action
    assert [p.name for p in await rel.open_parties(uow_factory(), olga)] == ["O"]
    assert {p.name for p in await rel.open_parties(uow_factory(), mia)} == {"O", "Jan Jansen"}
    counts = lambda rows: {str(r.key): r.count for r in rows}
    assert counts(await rel.pipeline(uow_factory(), sam)) == {
        "prospect": 0, "lead": 0, "opportunity": 1, "customer": 0, "lost": 0}
    assert counts(await rel.pipeline(uow_factory(), mia)) == {
        "prospect": 1, "lead": 0, "opportunity": 1, "customer": 0, "lost": 0}
    [opportunity] = [r for r in await rel.pipeline(uow_factory(), mia) if r.key is Stage.OPPORTUNITY]
    assert (opportunity.value, opportunity.weighted) == (Decimal("25000.00"), Decimal("15000.00"))
    # a manager may act on anyone's party
    await rel.lose_opportunity(uow_factory(), clock, mia, party_id, "No budget")
    party = await rel.get_party(uow_factory(), sam, party_id)
    assert party.opportunities[0].status is OpportunityStatus.LOST


async def test_marketing_may_not_work_with_leads(uow_factory, clock, seeded):
    with pytest.raises(NotPermitted):
        await rel.capture_party(uow_factory(), clock, seeded["marketing"], JAN, Stage.LEAD)
    with pytest.raises(NotPermitted):
        await rel.pipeline(uow_factory(), seeded["marketing"])


async def test_the_relationships_migration_goes_down_and_up_again(tmp_path):
    import asyncio

    from alembic import command
    from sqlalchemy import inspect

    from storage.database import create_engine
    from storage.migrate import alembic_config, upgrade_async

    url = f"sqlite+aiosqlite:///{tmp_path / 'down.db'}"
    await upgrade_async(url, "0004")
    await asyncio.to_thread(command.downgrade, alembic_config(url), "0003")

    async def tables() -> set[str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()
    assert not {"parties", "party_stage_changes", "opportunities"} & await tables()
    await upgrade_async(url, "0004")
    assert {"parties", "party_stage_changes", "opportunities"} <= await tables()


async def test_an_order_from_a_sales_agreement_turns_the_party_into_a_customer_too(uow_factory, clock, seeded):
    """A prospect's provisional account may get a sales agreement; its first order is a sale: the
    party becomes a customer with a real account number, as a confirmed quotation makes it."""
    from domain.sales_agreement import CommitmentType
    from domain.services import sales_agreements as sa
    sam = seeded["sales"]
    party_id = await _opportunity(uow_factory, clock, sam)
    _q, provisional = await rel.quote_opportunity(uow_factory(), clock, sam, party_id)
    agreement = await sa.create_agreement(uow_factory(), clock, sam, provisional.id, CommitmentType.PRODUCT_QUANTITY,
                                          date(2026, 12, 1), date(2026, 12, 31), None)
    await sa.add_line(uow_factory(), sam, agreement.id, seeded["chair"].id, Decimal("129.00"), None, Decimal(10))
    await sa.set_effective(uow_factory(), clock, sam, agreement.id)
    card = await rel.party_card(uow_factory(), sam, party_id)
    assert card.party.stage is Stage.OPPORTUNITY and card.account == "P-000001"  # a commitment, no sale yet

    order = await sa.order_from_agreement(uow_factory(), clock, sam, agreement.id, date(2026, 12, 10),
                                          {1: Decimal(4)})
    card = await rel.party_card(uow_factory(), sam, party_id)
    assert card.party.stage is Stage.CUSTOMER and card.account == "C-000001"
    [won] = card.party.opportunities
    assert (won.status, won.reason) == (OpportunityStatus.WON, order.number)


async def test_a_partys_new_e_mail_and_address_reach_its_customer_account(uow_factory, clock, seeded):
    """Quotations and invoices go to the account's address: an old card's E-mail address button on a
    party that has an account changed the party alone."""
    sam = seeded["sales"]
    party_id = await _opportunity(uow_factory, clock, sam)
    _q, account = await rel.quote_opportunity(uow_factory(), clock, sam, party_id)
    await rel.set_email(uow_factory(), sam, party_id, "inkoop@jansenbouw.example")
    await rel.set_postal_address(uow_factory(), sam, party_id, "Dorpsstraat 1, 1234 AB Ergens")
    async with uow_factory() as uow:
        account = await uow.customers.get(account.id)
    assert account.email == "inkoop@jansenbouw.example"
    assert account.address_lines == ("Dorpsstraat 1", "1234 AB Ergens")
