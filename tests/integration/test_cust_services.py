"""Issue 4 services on the real database: linking (once per token, even in a race), unlinking,
inviting, the customer's own view, and staff services refusing a customer."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.customer_link import USED, LinkRefused, issue_token
from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.outbox import MailKind
from domain.services import customer_links, customer_view as view, free_text_invoices, orders, quotations
from domain.user import Role

SECRET = b"integration-secret"


def _token(clock, customer, nonce: bytes) -> str:
    return issue_token(SECRET, customer.id, clock.now() + timedelta(days=1), nonce)


async def _link(uow_factory, clock, customer, telegram_id, nonce=b"\x01" * 8):
    linked = await customer_links.link_account(uow_factory(), clock, SECRET, _token(clock, customer, nonce),
                                               telegram_id, "Buyer")
    return linked.user


async def _documents(uow_factory, clock, seeded):
    sam, acme = seeded["sales"], seeded["acme"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, acme.id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(4))
    await quotations.add_line(uow_factory(), sam, q.id, seeded["desk"].id, Decimal(2))
    await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal(3)})
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    draft = await quotations.start_quotation(uow_factory(), clock, sam, acme.id)
    return q, order, invoice, draft


async def test_linking_makes_a_customer_account_once_per_token(uow_factory, clock, seeded):
    token = _token(clock, seeded["acme"], b"\x01" * 8)
    linked = await customer_links.link_account(uow_factory(), clock, SECRET, token, 7001, "Bea Buyer")
    assert not linked.already and linked.customer.name == "Acme Office BV"
    async with uow_factory() as uow:
        user = await uow.users.by_telegram_id(7001)
        assert await uow.customer_channel.link_used((b"\x01" * 8).hex())
    assert (user.role, user.customer_id, user.name, user.language) == (Role.CUSTOMER, seeded["acme"].id,
                                                                       "Bea Buyer", "en")
    with pytest.raises(LinkRefused) as refused:
        await customer_links.link_account(uow_factory(), clock, SECRET, token, 7002, "Someone")
    assert refused.value.message == USED
    # A fresh link for the same customer, opened on the linked account: told it is already linked.
    again = await customer_links.link_account(uow_factory(), clock, SECRET, _token(clock, seeded["acme"], b"\x02" * 8),
                                              7001, "Bea Buyer")
    assert again.already


async def test_the_same_token_opened_twice_at_once_links_once(uow_factory, clock, seeded):
    token = _token(clock, seeded["acme"], b"\x03" * 8)
    results = await asyncio.gather(
        *(customer_links.link_account(uow_factory(), clock, SECRET, token, tid, "X") for tid in (7001, 7002)),
        return_exceptions=True)
    linked = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(linked) == 1 and len(refused) == 1
    assert isinstance(refused[0], LinkRefused) and refused[0].message == USED
    async with uow_factory() as uow:
        customers = [await uow.users.by_telegram_id(t) for t in (7001, 7002)]
    assert sum(u is not None for u in customers) == 1


async def test_a_linked_account_must_unlink_before_linking_to_another_customer(uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], 7001)
    cafe_token = _token(clock, seeded["cafe"], b"\x04" * 8)
    with pytest.raises(InvalidInput, match="/unlink"):
        await customer_links.link_account(uow_factory(), clock, SECRET, cafe_token, 7001, "X")
    async with uow_factory() as uow:
        assert not await uow.customer_channel.link_used((b"\x04" * 8).hex())  # not used up


async def test_a_staff_account_is_never_turned_into_a_customer(uow_factory, clock, seeded):
    with pytest.raises(NotPermitted):
        await customer_links.link_account(uow_factory(), clock, SECRET, _token(clock, seeded["acme"], b"\x05" * 8),
                                          seeded["sales"].telegram_id, "Sam")


async def test_unlinking_removes_the_account_and_keeps_the_records(uow_factory, clock, seeded):
    q, *_ = await _documents(uow_factory, clock, seeded)
    user = await _link(uow_factory, clock, seeded["acme"], 7001)
    customer = await customer_links.unlink_account(uow_factory(), user)
    assert customer.name == "Acme Office BV"
    async with uow_factory() as uow:
        assert await uow.users.by_telegram_id(7001) is None
        assert (await uow.quotations.get(q.id)).customer_id == seeded["acme"].id
    with pytest.raises(NotFound):
        await customer_links.unlink_account(uow_factory(), user)
    with pytest.raises(NotPermitted):
        await customer_links.unlink_account(uow_factory(), seeded["sales"])


async def test_a_salesperson_invites_their_own_customers_a_manager_everyone(uow_factory, clock, seeded):
    await _documents(uow_factory, clock, seeded)
    sam, olga, mia = seeded["sales"], seeded["sales2"], seeded["manager"]
    assert [c.account_number for c in await customer_links.customers_to_invite(uow_factory(), sam, "C-00")] == []
    assert [c.name for c in await customer_links.customers_to_invite(uow_factory(), sam, "acme")] == ["Acme Office BV"]
    assert await customer_links.customers_to_invite(uow_factory(), olga, "acme") == []
    assert len(await customer_links.customers_to_invite(uow_factory(), mia, "o")) == 2
    with pytest.raises(NotFound):
        await customer_links.invite_customer(uow_factory(), clock, olga, seeded["acme"].id)
    with pytest.raises(NotPermitted):
        await customer_links.invite_customer(uow_factory(), clock, seeded["marketing"], seeded["acme"].id)
    await customer_links.invite_customer(uow_factory(), clock, mia, seeded["cafe"].id)
    async with uow_factory() as uow:
        [mail] = [m for m in await uow.outbox.due(clock.now(), 50) if m.kind == MailKind.CUSTOMER_INVITE]
    assert (mail.ref_id, mail.recipient, mail.language) == (seeded["cafe"].id, "inkoop@hoogvliet.example", "nl")


async def test_the_customer_view_holds_only_the_customers_own_sent_records(uow_factory, clock, seeded):
    q, order, invoice, draft = await _documents(uow_factory, clock, seeded)
    sam = seeded["sales"]
    posted = await free_text_invoices.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    await free_text_invoices.enter_line(uow_factory(), sam, posted.id, "8000 250 21 Consulting")
    posted = await free_text_invoices.post_free_text_invoice(uow_factory(), clock, sam, posted.id)
    ft = await free_text_invoices.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    acme = await _link(uow_factory, clock, seeded["acme"], 7001)
    cafe = await _link(uow_factory, clock, seeded["cafe"], 7002, nonce=b"\x09" * 8)

    assert [x.id for x in await view.my_quotations(uow_factory(), acme)] == [q.id]  # no draft
    assert [x.id for x in await view.my_orders(uow_factory(), acme)] == [order.id]
    assert sorted((i.kind, i.id) for i in await view.my_invoices(uow_factory(), acme)) == [
        ("f", posted.id), ("o", invoice.id)]
    assert (await view.my_invoice(uow_factory(), acme, "f", posted.id))[0].number == posted.number
    rows = await view.my_backorders(uow_factory(), acme)
    assert [(r.order_number, r.line.item_number, r.line.deliver_remainder, r.expected_on) for r in rows] == [
        (order.number, "A-100", Decimal(1), None), (order.number, "A-200", Decimal(2), None)]
    assert (await view.my_order(uow_factory(), acme, order.id))[0].number == order.number
    assert (await view.my_invoice(uow_factory(), acme, "o", invoice.id))[2].order_numbers == (order.number,)

    for empty in (view.my_quotations, view.my_orders, view.my_invoices, view.my_backorders):
        assert list(await empty(uow_factory(), cafe)) == []
    for call in (lambda u: view.my_quotation(uow_factory(), u, q.id),
                 lambda u: view.my_order(uow_factory(), u, order.id),
                 lambda u: view.my_invoice(uow_factory(), u, "o", invoice.id)):
        with pytest.raises(NotFound):
            await call(cafe)
        with pytest.raises(NotPermitted):
            await call(seeded["manager"])  # staff have their own commands; this view is the customer's
    with pytest.raises(NotFound):
        await view.my_quotation(uow_factory(), acme, draft.id)
    assert ft.status is FreeTextInvoiceStatus.DRAFT  # a free text draft is not an invoice yet
    with pytest.raises(NotFound):
        await view.my_invoice(uow_factory(), acme, "f", ft.id)


async def test_staff_services_refuse_a_customer(uow_factory, clock, seeded):
    q, order, invoice, _draft = await _documents(uow_factory, clock, seeded)
    customer = await _link(uow_factory, clock, seeded["acme"], 7001)
    for call in (lambda: quotations.start_quotation(uow_factory(), clock, customer, seeded["acme"].id),
                 lambda: quotations.confirm_quotation(uow_factory(), clock, customer, q.id),
                 lambda: quotations.lose_quotation(uow_factory(), clock, customer, q.id),
                 lambda: quotations.cancel_quotation(uow_factory(), clock, customer, q.id),
                 lambda: orders.deliver(uow_factory(), clock, customer, order.id, {2: Decimal(1)}),
                 lambda: orders.invoice_order(uow_factory(), clock, customer, order.id),
                 lambda: orders.cancel_order(uow_factory(), clock, customer, order.id),
                 lambda: customer_links.invite_customer(uow_factory(), clock, customer, seeded["acme"].id)):
        with pytest.raises(NotPermitted):
            await call()
    # Reading staff views: another party's salesperson documents are "not yours", even the customer's own.
    for call in (lambda: quotations.get_quotation(uow_factory(), customer, q.id),
                 lambda: orders.get_order(uow_factory(), customer, order.id),
                 lambda: orders.get_invoice(uow_factory(), customer, invoice.id)):
        with pytest.raises(NotFound):
            await call()
    assert await quotations.open_quotations(uow_factory(), customer) == []
    assert await orders.open_orders(uow_factory(), customer) == []


async def test_a_mail_carries_a_stable_link_for_its_own_customer(uow_factory, clock, seeded):
    """Composed again (a resend after a crash), a mail carries the same link; it names the mail's customer."""
    import re

    from pydantic import SecretStr

    from bot.documents.renderer import DocumentRenderer, company_header
    from bot.mail_composer import MailComposer
    from bot.settings import Settings
    from domain.customer_link import read_token

    settings = Settings(_env_file=None, secret_key=SecretStr(SECRET.decode()), bot_username="shop_bot")
    composer = MailComposer(settings, DocumentRenderer(company_header(settings), settings.currency))
    await _documents(uow_factory, clock, seeded)
    async with uow_factory() as uow:
        mails = await uow.outbox.due(clock.now(), 10)
        assert {m.kind for m in mails} == {MailKind.QUOTATION_SENT, MailKind.INVOICE_POSTED}
        for mail in mails:
            first, again = await composer.compose(uow, mail), await composer.compose(uow, mail)
            token = re.search(r"https://t\.me/shop_bot\?start=([A-Za-z0-9_-]+)", first.text).group(1)
            assert token in first.html and first.text == again.text
            assert read_token(SECRET, token, clock.now()).customer_id == seeded["acme"].id
