"""Issue 4 §4 on the real database: the customer accepts, declines or asks for changes."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.customer_link import LinkRefused, issue_token
from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.quotation import QuotationStatus
from domain.quotation_answer import AnswerKind, Channel, DeliveryStatus
from domain.quotation_link import expiry_of, issue_answer_token
from domain.services import customer_links, quotation_answers as answers, quotations

SECRET = b"accept-test-secret"


async def _link(uow_factory, clock, customer, telegram_id, nonce):
    token = issue_token(SECRET, customer.id, clock.now() + timedelta(days=30), nonce)
    return (await customer_links.link_account(uow_factory(), clock, SECRET, token, telegram_id, "Buyer")).user


async def _sent(uow_factory, clock, seeded, customer="acme"):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded[customer].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(2))
    return await quotations.send_quotation(uow_factory(), clock, sam, q.id)


@pytest.fixture
async def buyers(uow_factory, clock, seeded):
    return (await _link(uow_factory, clock, seeded["acme"], 7001, b"\x01" * 8),
            await _link(uow_factory, clock, seeded["cafe"], 7002, b"\x02" * 8))


async def _orders(uow_factory):
    async with uow_factory() as uow:
        return await uow.sales_orders.open_of(None, 10)


async def test_sending_to_a_linked_customer_queues_one_telegram_delivery_per_linked_account(
        uow_factory, clock, seeded, buyers):
    acme_buyer, _cafe = buyers
    q = await _sent(uow_factory, clock, seeded)
    async with uow_factory() as uow:
        due = await uow.quotation_answers.due_deliveries(clock.now(), 10)
    assert [(d.quotation_id, d.chat_id, d.status, d.step) for d in due] == [
        (q.id, 7001, DeliveryStatus.QUEUED, 0)]
    await _sent(uow_factory, clock, seeded, "cafe")
    async with uow_factory() as uow:
        assert len(await uow.quotation_answers.due_deliveries(clock.now(), 10)) == 2


async def test_accept_makes_the_order_exactly_as_confirm_and_records_the_answer(uow_factory, clock, seeded, buyers):
    q = await _sent(uow_factory, clock, seeded)
    done = await answers.accept_quotation(uow_factory(), clock, buyers[0], q.id)
    assert done.order.number.startswith("SO-") and done.order.customer_id == seeded["acme"].id
    assert done.salesperson.telegram_id == 1001
    got = await quotations.get_quotation(uow_factory(), seeded["sales"], q.id)
    assert got.status is QuotationStatus.CONFIRMED and got.sales_order_id == done.order.id
    async with uow_factory() as uow:
        recorded = await uow.quotation_answers.of_quotation(q.id)
    assert [(a.kind, a.channel, a.user_id) for a in recorded] == [
        (AnswerKind.ACCEPTED, Channel.TELEGRAM, buyers[0].id)]
    with pytest.raises(TransitionNotAllowed, match="already accepted"):
        await answers.accept_quotation(uow_factory(), clock, buyers[0], q.id)
    with pytest.raises(TransitionNotAllowed, match="already confirmed"):
        await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    assert len(await _orders(uow_factory)) == 1


async def test_two_accepts_at_once_make_one_order(uow_factory, clock, seeded, buyers):
    q = await _sent(uow_factory, clock, seeded)
    token = issue_answer_token(SECRET, q.id, expiry_of(q.valid_until))
    results = await asyncio.gather(
        answers.accept_quotation(uow_factory(), clock, buyers[0], q.id),
        answers.answer_by_token(uow_factory(), clock, SECRET, token, AnswerKind.ACCEPTED),
        quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id),
        return_exceptions=True)
    made = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(made) == 1 and len(refused) == 2, results
    assert all(isinstance(r, (TransitionNotAllowed, ConcurrentChange)) for r in refused), refused
    assert len(await _orders(uow_factory)) == 1


async def test_accept_after_expiry_is_refused_with_the_reason(uow_factory, clock, seeded, buyers):
    q = await _sent(uow_factory, clock, seeded)
    clock.advance(days=31)
    with pytest.raises(TransitionNotAllowed, match="expired on"):
        await answers.accept_quotation(uow_factory(), clock, buyers[0], q.id)
    assert await _orders(uow_factory) == []


async def test_only_the_quotations_own_customer_may_answer(uow_factory, clock, seeded, buyers):
    q = await _sent(uow_factory, clock, seeded)
    with pytest.raises(NotFound):
        await answers.accept_quotation(uow_factory(), clock, buyers[1], q.id)
    with pytest.raises(NotFound):
        await answers.decline_quotation(uow_factory(), clock, buyers[1], q.id, "too dear")
    with pytest.raises(NotPermitted):
        await answers.accept_quotation(uow_factory(), clock, seeded["sales"], q.id)
    draft = await quotations.start_quotation(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    with pytest.raises(NotFound):
        await answers.accept_quotation(uow_factory(), clock, buyers[0], draft.id)
    assert await _orders(uow_factory) == []
    got = await quotations.get_quotation(uow_factory(), seeded["sales"], q.id)
    assert got.status is QuotationStatus.SENT


async def test_decline_loses_the_quotation_with_the_reason_and_changes_keep_it_open(
        uow_factory, clock, seeded, buyers):
    q = await _sent(uow_factory, clock, seeded)
    with pytest.raises(InvalidInput):
        await answers.ask_for_changes(uow_factory(), clock, buyers[0], q.id, "   ")
    changed = await answers.ask_for_changes(uow_factory(), clock, buyers[0], q.id, "Five chairs, please")
    assert changed.quotation.status is QuotationStatus.SENT
    with pytest.raises(InvalidInput):
        await answers.decline_quotation(uow_factory(), clock, buyers[0], q.id, "")
    await answers.decline_quotation(uow_factory(), clock, buyers[0], q.id, "Too expensive")
    got = await quotations.get_quotation(uow_factory(), seeded["sales"], q.id)
    assert got.status is QuotationStatus.LOST
    async with uow_factory() as uow:
        recorded = await uow.quotation_answers.of_quotation(q.id)
    assert [(a.kind, a.text) for a in recorded] == [(AnswerKind.CHANGES, "Five chairs, please"),
                                                    (AnswerKind.DECLINED, "Too expensive")]
    with pytest.raises(TransitionNotAllowed, match="closed"):
        await answers.accept_quotation(uow_factory(), clock, buyers[0], q.id)


async def test_the_web_token_answers_only_its_own_quotation_and_a_link_token_is_refused(
        uow_factory, clock, seeded):
    q = await _sent(uow_factory, clock, seeded)
    token = issue_answer_token(SECRET, q.id, expiry_of(q.valid_until))
    page = await answers.page_for_token(uow_factory(), clock, SECRET, token)
    assert page.quotation.id == q.id and page.closed is None and page.customer.name == "Acme Office BV"
    link_token = issue_token(SECRET, seeded["acme"].id, clock.now() + timedelta(days=30), b"\x03" * 8)
    with pytest.raises(LinkRefused):
        await answers.answer_by_token(uow_factory(), clock, SECRET, link_token, AnswerKind.ACCEPTED)
    with pytest.raises(LinkRefused):
        await answers.answer_by_token(uow_factory(), clock, b"other secret", token, AnswerKind.ACCEPTED)
    done = await answers.answer_by_token(uow_factory(), clock, SECRET, token, AnswerKind.ACCEPTED)
    assert done.answer.channel is Channel.WEB and done.answer.user_id is None
    page = await answers.page_for_token(uow_factory(), clock, SECRET, token)
    assert "already accepted" in str(page.closed)
