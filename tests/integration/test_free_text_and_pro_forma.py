"""Pro forma and free text invoices through the service layer, on a real database."""
from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.outbox import MailKind
from domain.services import free_text_invoices as fti
from domain.services import orders, quotations

D = Decimal


async def _delivered_order(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D("4"))
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["desk"].id, D("2"))
    q = await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D("3"), 2: D("2")})
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D("1")})
    return order


def _snapshot(order, slips):
    return (order.status, order.version, [(l.delivered, l.invoiced) for l in order.lines],
            [(s.number, s.invoice_number) for s in slips])


async def test_a_pro_forma_for_an_order_posts_nothing_and_draws_no_number(uow_factory, clock, seeded):
    sam = seeded["sales"]
    order = await _delivered_order(uow_factory, clock, seeded)
    before = _snapshot(*await orders.get_order(uow_factory(), sam, order.id))
    pro_forma = await orders.pro_forma_for_order(uow_factory(), clock, sam, order.id)
    assert [(l.line_number, l.quantity) for l in pro_forma.lines] == [(1, D("4")), (2, D("2"))]
    assert pro_forma.totals.gross == D("1933.34") and pro_forma.order_number == order.number
    _order, slips = await orders.get_order(uow_factory(), sam, order.id)
    chosen = await orders.pro_forma_for_order(uow_factory(), clock, sam, order.id, [slips[1].id])
    assert [(l.line_number, l.quantity) for l in chosen.lines] == [(1, D("1"))]
    assert _snapshot(*await orders.get_order(uow_factory(), sam, order.id)) == before
    async with uow_factory() as uow:
        assert await uow.invoices.of_order(order.id) == []
        assert [m.kind for m in await uow.outbox.due(clock.now(), 10)] == [MailKind.QUOTATION_SENT]
    # The first real invoice still gets the first number.
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    assert invoice.number == "INV-000001" and invoice.totals == pro_forma.totals


async def test_a_pro_forma_refuses_slips_of_another_order_or_another_salesperson(uow_factory, clock, seeded):
    order = await _delivered_order(uow_factory, clock, seeded)
    with pytest.raises(InvalidInput):
        await orders.pro_forma_for_order(uow_factory(), clock, seeded["sales"], order.id, [999])
    with pytest.raises(NotFound):
        await orders.pro_forma_for_order(uow_factory(), clock, seeded["sales2"], order.id)
    with pytest.raises(NotPermitted):
        await orders.pro_forma_for_order(uow_factory(), clock, seeded["marketing"], order.id)


async def test_a_free_text_invoice_is_typed_posted_and_mailed(uow_factory, clock, seeded):
    sam = seeded["sales"]
    draft = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["cafe"].id)
    await fti.enter_line(uow_factory(), sam, draft.id, "8000 250 21 Consulting November")
    draft = await fti.enter_line(uow_factory(), sam, draft.id, "8100 10,50 9 Books")
    assert draft.totals.gross == D("313.95")  # 260.50 net + 52.50 + 0.95 tax
    pro_forma = await fti.pro_forma_for_free_text_invoice(uow_factory(), clock, sam, draft.id)
    assert pro_forma.totals == draft.totals
    posted = await fti.post_free_text_invoice(uow_factory(), clock, sam, draft.id)
    assert posted.number == "INV-000001" and posted.summary_account == "1300"
    again = await fti.get_free_text_invoice(uow_factory(), sam, draft.id)
    assert again.status is FreeTextInvoiceStatus.POSTED and again.invoiced_on == clock.today()
    assert [(l.main_account, l.amount, l.tax_percent) for l in again.lines] == [
        ("8000", D("250.00"), D("21")), ("8100", D("10.50"), D("9"))]
    async with uow_factory() as uow:
        [mail] = await uow.outbox.due(clock.now(), 10)
    assert (mail.kind, mail.ref_id, mail.recipient, mail.language) == (
        MailKind.FREE_TEXT_INVOICE_POSTED, posted.id, "inkoop@hoogvliet.example", "nl")
    with pytest.raises(TransitionNotAllowed):
        await fti.enter_line(uow_factory(), sam, draft.id, "8000 1 21 More")
    with pytest.raises(TransitionNotAllowed):
        await fti.post_free_text_invoice(uow_factory(), clock, sam, draft.id)


async def test_an_item_number_on_a_free_text_invoice_is_refused(uow_factory, clock, seeded):
    sam = seeded["sales"]
    draft = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    for text in ("A-100 5", "A-100 149.95 21 Office chair"):
        with pytest.raises(InvalidInput) as refused:
            await fti.enter_line(uow_factory(), sam, draft.id, text)
        assert refused.value.params == {"item": "A-100"}
    assert (await fti.get_free_text_invoice(uow_factory(), sam, draft.id)).lines == []


async def test_free_text_invoices_share_the_customer_invoice_numbers(uow_factory, clock, seeded):
    sam = seeded["sales"]
    order = await _delivered_order(uow_factory, clock, seeded)
    await orders.invoice_order(uow_factory(), clock, sam, order.id)
    draft = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    await fti.enter_line(uow_factory(), sam, draft.id, "8000 100 21 Setup")
    assert (await fti.post_free_text_invoice(uow_factory(), clock, sam, draft.id)).number == "INV-000002"


async def test_another_salesperson_cannot_see_or_post_a_free_text_invoice(uow_factory, clock, seeded):
    draft = await fti.start_free_text_invoice(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    await fti.enter_line(uow_factory(), seeded["sales"], draft.id, "8000 100 21 Setup")
    with pytest.raises(NotFound):
        await fti.post_free_text_invoice(uow_factory(), clock, seeded["sales2"], draft.id)
    with pytest.raises(NotPermitted):
        await fti.start_free_text_invoice(uow_factory(), clock, seeded["marketing"], seeded["acme"].id)
    posted = await fti.post_free_text_invoice(uow_factory(), clock, seeded["manager"], draft.id)
    assert posted.number == "INV-000001"
