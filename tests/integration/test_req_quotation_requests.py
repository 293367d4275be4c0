"""Issue 4 §2 services on the real database: who gets a request, drafts priced like /quote, the
e-mail entry point for §3, the customers import's salesperson column, and the permission checks."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.pricing import AccountCode, ItemCode, Relation, TradeAgreement
from domain.quotation_request import RequestedLine, RequestSource, RequestStatus
from domain.services import quotation_requests as requests, quotations
from domain.services.imports import IMPORTERS, ImportRejected
from domain.user import Role, User


async def _customer_user(uow_factory, customer, telegram_id=7001) -> User:
    user = User(telegram_id=telegram_id, name="Buyer", role=Role.CUSTOMER, customer_id=customer.id)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


def _lines(seeded, *pairs):
    return [RequestedLine(seeded[key].item_number, Decimal(q), seeded[key].id) for key, q in pairs]


async def test_a_request_goes_to_the_accounts_salesperson_first(uow_factory, clock, seeded):
    buyer = await _customer_user(uow_factory, seeded["acme"])
    # No salesperson and no documents: the shared queue, every manager is told.
    first = await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("chair", 2)))
    assert first.request.salesperson_id is None and first.request.number == "RQ-000001"
    assert [u.name for u in first.notify] == ["Mia Manager"]
    # The latest quotation's or order's salesperson.
    await quotations.start_quotation(uow_factory(), clock, seeded["sales2"], seeded["acme"].id)
    second = await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("chair", 1)))
    assert second.request.salesperson_id == seeded["sales2"].id
    assert [u.name for u in second.notify] == ["Olga Other"]
    # The account's own salesperson wins.
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = seeded["sales"].id
        await uow.commit()
    third = await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("desk", 1)), "asap")
    assert third.request.salesperson_id == seeded["sales"].id and third.request.note == "asap"
    assert third.request.requested_by == buyer.id and third.request.source is RequestSource.TELEGRAM


async def test_an_account_salesperson_who_is_no_longer_sales_staff_does_not_count(uow_factory, clock, seeded):
    buyer = await _customer_user(uow_factory, seeded["acme"])
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = seeded["marketing"].id
        await uow.commit()
    submitted = await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("chair", 2)))
    assert submitted.request.in_queue


async def test_the_newest_quotation_or_order_names_the_salesperson(uow_factory, clock, seeded):
    sam, olga = seeded["sales"], seeded["sales2"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(1))
    await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    clock.advance(hours=1)
    await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)  # the order is Sam's
    async with uow_factory() as uow:
        assert await uow.quotation_requests.latest_salesperson_of(seeded["acme"].id) == sam.id
        assert await uow.quotation_requests.latest_salesperson_of(seeded["cafe"].id) is None
    clock.advance(hours=1)
    await quotations.start_quotation(uow_factory(), clock, olga, seeded["acme"].id)
    async with uow_factory() as uow:
        assert await uow.quotation_requests.latest_salesperson_of(seeded["acme"].id) == olga.id


async def test_a_request_by_mail_keeps_unmatched_lines_and_the_original_mail(uow_factory, clock, seeded):
    raw = b"From: buyer@acme.example\r\nSubject: quote\r\n\r\nA-100 x 5\r\n5 x blue widget\r\n"
    submitted = await requests.create_request(
        uow_factory(), clock, seeded["acme"].id,
        [RequestedLine("A-100 x 5", Decimal(5), seeded["chair"].id),
         RequestedLine("5 x blue widget", Decimal(5), None),
         RequestedLine("9 x ghost", Decimal(9), 999_999)],  # an item id that does not exist
        note="Subject: quote", source=RequestSource.EMAIL, original_mail=raw)
    async with uow_factory() as uow:
        stored = await uow.quotation_requests.get(submitted.request.id)
        assert stored.original_mail == raw and stored.source is RequestSource.EMAIL
        assert stored.requested_by is None
        assert [(l.text, l.matched) for l in stored.lines] == [
            ("A-100 x 5", True), ("5 x blue widget", False), ("9 x ghost", False)]
    with pytest.raises(NotFound):
        await requests.create_request(uow_factory(), clock, 999_999, [RequestedLine("x", Decimal(1))])


async def test_turning_a_request_into_a_draft_prices_it_and_lists_the_unmatched(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        await uow.trade_agreements.add(TradeAgreement(
            relation=Relation.PRICE, item_code=ItemCode.ITEM, item_value="A-100",
            account_code=AccountCode.CUSTOMER, account_value="C-001", price=Decimal("129.00")))
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = seeded["sales"].id
        await uow.commit()
    submitted = await requests.create_request(
        uow_factory(), clock, seeded["acme"].id,
        [RequestedLine("A-100", Decimal(5), seeded["chair"].id), RequestedLine("blue widget", Decimal(2))])
    sam = seeded["sales"]
    drafted = await requests.turn_into_draft(uow_factory(), clock, sam, submitted.request.id)
    assert [(l.item_number, l.quantity, l.unit_price) for l in drafted.quotation.lines] == [
        ("A-100", Decimal(5), Decimal("129.00"))]
    assert [l.text for l in drafted.unmatched] == ["blue widget"]
    async with uow_factory() as uow:
        stored = await uow.quotation_requests.get(submitted.request.id)
        assert stored.status is RequestStatus.DRAFTED and stored.quotation_id == drafted.quotation.id
    # It continues like any draft.
    q = await quotations.add_line(uow_factory(), sam, drafted.quotation.id, seeded["book"].id, Decimal(1))
    assert len(q.lines) == 2
    with pytest.raises(TransitionNotAllowed):
        await requests.turn_into_draft(uow_factory(), clock, sam, submitted.request.id)


async def test_two_taps_at_once_make_one_draft(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = seeded["sales"].id
        await uow.commit()
    submitted = await requests.create_request(uow_factory(), clock, seeded["acme"].id,
                                              [RequestedLine("A-100", Decimal(1), seeded["chair"].id)])
    results = await asyncio.gather(
        *(requests.turn_into_draft(uow_factory(), clock, seeded["sales"], submitted.request.id)
          for _ in range(2)), return_exceptions=True)
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 1, results
    assert all(isinstance(r, (ConcurrentChange, TransitionNotAllowed)) for r in results if r not in made)
    async with uow_factory() as uow:
        assert len(await uow.quotations.open_of(None, 10)) == 1


async def test_who_sees_and_acts_on_which_request(uow_factory, clock, seeded):
    sam, olga, mia, mark = seeded["sales"], seeded["sales2"], seeded["manager"], seeded["marketing"]
    buyer = await _customer_user(uow_factory, seeded["acme"])
    other = await _customer_user(uow_factory, seeded["cafe"], telegram_id=7002)
    queued = (await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("chair", 1)))).request
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = sam.id
        await uow.commit()
    sams = (await requests.submit_request(uow_factory(), clock, buyer, _lines(seeded, ("desk", 1)))).request

    assert [r.number for r, _c in await requests.open_requests(uow_factory(), sam)] == [sams.number]
    assert await requests.open_requests(uow_factory(), olga) == []
    assert {r.number for r, _c in await requests.open_requests(uow_factory(), mia)} == {sams.number, queued.number}
    for person in (buyer, other, mark):
        with pytest.raises(NotPermitted):
            await requests.open_requests(uow_factory(), person)
        with pytest.raises(NotPermitted):
            await requests.turn_into_draft(uow_factory(), clock, person, sams.id)
    for request_id in (sams.id, queued.id):
        with pytest.raises(NotFound):
            await requests.request_card(uow_factory(), olga, request_id)
    with pytest.raises(NotFound):
        await requests.request_card(uow_factory(), sam, queued.id)
    with pytest.raises(NotPermitted):
        await requests.take_request(uow_factory(), clock, sam, queued.id)
    taken = await requests.take_request(uow_factory(), clock, mia, queued.id)
    assert taken.salesperson_id == mia.id
    with pytest.raises(TransitionNotAllowed):
        await requests.take_request(uow_factory(), clock, mia, queued.id)
    closed = await requests.close_request(uow_factory(), clock, sam, sams.id)
    assert closed.status is RequestStatus.CLOSED
    # Staff do not submit requests; a customer submits only catalog items.
    with pytest.raises(NotPermitted):
        await requests.submit_request(uow_factory(), clock, sam, _lines(seeded, ("chair", 1)))
    with pytest.raises(NotFound):
        await requests.submit_request(uow_factory(), clock, buyer, [RequestedLine("x", Decimal(1), 999_999)])
    with pytest.raises(InvalidInput):
        await requests.submit_request(uow_factory(), clock, buyer, [])


async def test_the_catalog_shows_a_customer_their_own_price_and_staff_the_sales_price(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        await uow.trade_agreements.add(TradeAgreement(
            relation=Relation.LINE_DISCOUNT, item_code=ItemCode.ALL, item_value="",
            account_code=AccountCode.CUSTOMER, account_value="C-001", discount_percent=Decimal(10)))
        await uow.commit()
    buyer = await _customer_user(uow_factory, seeded["acme"])
    other = await _customer_user(uow_factory, seeded["cafe"], telegram_id=7002)
    [mine] = await requests.search_catalog(uow_factory(), clock, buyer, "chair")
    [theirs] = await requests.search_catalog(uow_factory(), clock, other, "chair")
    [staff] = await requests.search_catalog(uow_factory(), clock, seeded["sales"], "chair")
    assert (mine.unit_price, theirs.unit_price, staff.unit_price) == (
        Decimal("134.96"), Decimal("149.95"), Decimal("149.95"))
    with pytest.raises(NotPermitted):
        await requests.search_catalog(uow_factory(), clock, seeded["marketing"], "chair")


async def test_the_customers_import_sets_the_accounts_salesperson(uow_factory, seeded):
    rows = [(2, {"account_number": "C-001", "name": "Acme Office BV", "email": "buyer@acme.example",
                 "language": "en", "salesperson": "1002"}),
            (3, {"account_number": "C-009", "name": "New BV", "email": "new@example.com", "language": "nl",
                 "salesperson": ""})]
    result = await IMPORTERS["customers"](uow_factory(), rows)
    assert (result.created, result.updated) == (1, 1)
    async with uow_factory() as uow:
        assert (await uow.customers.by_account("C-001")).salesperson_id == seeded["sales2"].id
        assert (await uow.customers.by_account("C-009")).salesperson_id is None
    bad = [(2, {"account_number": "C-010", "name": "X", "email": "x@example.com", "language": "en",
                "salesperson": "1004"}),  # marketing: not a salesperson
           (3, {"account_number": "C-011", "name": "Y", "email": "y@example.com", "language": "en",
                "salesperson": "abc"})]
    with pytest.raises(ImportRejected) as rejected:
        await IMPORTERS["customers"](uow_factory(), bad)
    assert [e.line for e in rejected.value.errors] == [2, 3]
    async with uow_factory() as uow:
        assert await uow.customers.by_account("C-010") is None
