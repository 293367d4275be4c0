"""§4 order types through the services, on a real database (SQLite, and PostgreSQL when set)."""
from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.outbox import MailKind
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from domain.services import order_types, orders, quotations

D = Decimal
T = SalesOrderType


async def _quotation(uow_factory, clock, seeded, lines=(("chair", "4"), ("book", "2"))):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    for key, qty in lines:
        q = await quotations.add_line(uow_factory(), sam, q.id, seeded[key].id, D(qty))
    return q


async def _stock(uow_factory, item) -> Decimal:
    async with uow_factory() as uow:
        return (await uow.items.get(item.id)).on_hand


async def test_a_quotation_is_confirmed_as_item_requirements_with_its_project(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _quotation(uow_factory, clock, seeded)
    with pytest.raises(InvalidInput, match="project reference"):
        await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, T.ITEM_REQUIREMENTS)
    assert (await quotations.get_quotation(uow_factory(), sam, q.id)).status is QuotationStatus.CREATED
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, T.ITEM_REQUIREMENTS,
                                               project_reference="PRJ-7")
    stored, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert stored.order_type is T.ITEM_REQUIREMENTS and stored.project_reference == "PRJ-7"


async def test_a_subscription_is_refused_with_warehouse_management_and_nothing_is_written(
        uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _quotation(uow_factory, clock, seeded)
    with pytest.raises(TransitionNotAllowed, match="warehouse management"):
        await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, T.SUBSCRIPTION,
                                           warehouse_management=True)
    assert await orders.open_orders(uow_factory(), sam) == []
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    assert order.number == "SO-000001"  # the refusal drew no number
    with pytest.raises(TransitionNotAllowed, match="warehouse management"):
        await order_types.change_order_type(uow_factory(), clock, sam, order.id, T.SUBSCRIPTION,
                                            warehouse_management=True)
    stored, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert stored.order_type is T.SALES_ORDER


async def test_a_subscription_is_open_again_after_invoicing_and_stored_with_its_period(
        uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _quotation(uow_factory, clock, seeded)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, T.SUBSCRIPTION)
    for period in (1, 2):
        await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(4), 2: D(2)})
        await orders.invoice_order(uow_factory(), clock, sam, order.id)
        stored, slips = await orders.get_order(uow_factory(), sam, order.id)
        assert stored.status is SalesOrderStatus.OPEN_ORDER and stored.period_number == period + 1
        assert [l.deliver_remainder for l in stored.lines] == [D(4), D(2)]
    assert stored.period_start == date(2026, 11, 24) and stored.current_period_start == date(2027, 1, 24)
    assert len(slips) == 2 and all(s.is_invoiced for s in slips)
    assert await _stock(uow_factory, seeded["chair"]) == D(42)  # 50 - 2 periods x 4


async def test_type_changes_are_stored_and_item_requirements_stay_once_delivered(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _quotation(uow_factory, clock, seeded)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, T.JOURNAL)
    with pytest.raises(TransitionNotAllowed, match="cannot be delivered"):
        await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(1)})
    order = await order_types.change_order_type(uow_factory(), clock, sam, order.id, T.RETURNED_ORDER,
                                                warehouse_management=False)
    assert order.rma_number == "RMA-000001"
    order = await order_types.change_order_type(uow_factory(), clock, sam, order.id, T.ITEM_REQUIREMENTS,
                                                warehouse_management=False, project_reference="P-1")
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(4), 2: D(2)})
    with pytest.raises(TransitionNotAllowed, match="can no longer be changed"):
        await order_types.change_order_type(uow_factory(), clock, sam, order.id, T.SALES_ORDER,
                                            warehouse_management=False)
    stored, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert stored.order_type is T.ITEM_REQUIREMENTS and stored.status is SalesOrderStatus.DELIVERED
    # Another salesperson cannot change it; marketing may not change types at all.
    with pytest.raises(NotFound):
        await order_types.change_order_type(uow_factory(), clock, seeded["sales2"], order.id, T.JOURNAL,
                                            warehouse_management=False)
    with pytest.raises(NotPermitted):
        await order_types.change_order_type(uow_factory(), clock, seeded["marketing"], order.id,
                                            T.JOURNAL, warehouse_management=False)


async def _invoiced(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _quotation(uow_factory, clock, seeded)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(4), 2: D(2)})
    return await orders.invoice_order(uow_factory(), clock, sam, order.id)


async def test_return_receive_and_credit_note(uow_factory, clock, seeded):
    sam = seeded["sales"]
    invoice = await _invoiced(uow_factory, clock, seeded)
    assert [i.number for i in await order_types.returnable_invoices(uow_factory(), sam)] == ["INV-000001"]
    assert await order_types.returnable_invoices(uow_factory(), seeded["sales2"]) == []
    found = await order_types.returnable_of(uow_factory(), sam, number=" inv-000001 ")
    assert found.left == {1: D(4), 2: D(2)}

    with pytest.raises(InvalidInput, match="not 5"):
        await order_types.start_return(uow_factory(), clock, sam, invoice.id, {1: D(5)}, "Damaged")
    ret = await order_types.start_return(uow_factory(), clock, sam, invoice.id, {1: D(3)}, "Damaged")
    assert (ret.number, ret.rma_number, ret.order_type) == ("SO-000002", "RMA-000001", T.RETURNED_ORDER)
    found = await order_types.returnable_of(uow_factory(), sam, invoice_id=invoice.id)
    assert found.left == {1: D(1), 2: D(2)}
    with pytest.raises(InvalidInput, match=r"only 1(\.000)? pcs of A-100"):
        await order_types.check_return(uow_factory(), sam, invoice.id, {1: D(2)})

    with pytest.raises(InvalidInput, match="Receive the goods first"):
        await order_types.credit_return(uow_factory(), clock, sam, ret.id)
    before = await _stock(uow_factory, seeded["chair"])
    receipt = await order_types.receive_return(uow_factory(), clock, sam, ret.id)
    assert [(l.line_number, l.quantity) for l in receipt.lines] == [(1, D(3))]
    assert await _stock(uow_factory, seeded["chair"]) == before + 3
    with pytest.raises(TransitionNotAllowed):
        await orders.invoice_order(uow_factory(), clock, sam, ret.id)  # credited, never invoiced

    note = await order_types.credit_return(uow_factory(), clock, sam, ret.id)
    assert note.number == "CN-000001" and note.credit_note_of == "INV-000001"
    assert note.totals.gross == D("-544.32")  # 3 x 149.95 = 449.85 + 94.47 tax
    stored_note, sources = await orders.get_invoice(uow_factory(), sam, note.id)
    assert stored_note.is_credit_note and [l.quantity for l in stored_note.lines] == [D(-3)]
    assert sources.order_numbers == ("SO-000002",)
    stored, _ = await orders.get_order(uow_factory(), sam, ret.id)
    assert stored.status is SalesOrderStatus.INVOICED and stored.return_reason == "Damaged"
    async with uow_factory() as uow:
        mails = await uow.outbox.due(clock.now(), 10)
    assert [(m.kind, m.ref_id) for m in mails][-1] == (MailKind.INVOICE_POSTED, note.id)
    # A credit note is not offered for a return.
    assert [i.number for i in await order_types.returnable_invoices(uow_factory(), sam)] == ["INV-000001"]
    with pytest.raises(NotFound):
        await order_types.returnable_of(uow_factory(), sam, number="CN-000001")


async def test_a_credit_note_mail_is_composed_with_a_credit_note_pdf(uow_factory, clock, seeded, tmp_path):
    from bot.documents.renderer import DocumentRenderer, company_header
    from bot.mail_composer import MailComposer
    from bot.settings import Settings
    from tests.e2e.conftest import pdf_text
    sam = seeded["sales"]
    invoice = await _invoiced(uow_factory, clock, seeded)
    ret = await order_types.start_return(uow_factory(), clock, sam, invoice.id, {2: D(1)}, "Wrong item")
    await order_types.receive_return(uow_factory(), clock, sam, ret.id)
    note = await order_types.credit_return(uow_factory(), clock, sam, ret.id)
    settings = Settings(_env_file=None, outbox_dir=tmp_path)
    composer = MailComposer(settings, DocumentRenderer(company_header(settings), "EUR"))
    async with uow_factory() as uow:
        mail = [m for m in await uow.outbox.due(clock.now(), 10) if m.ref_id == note.id][-1]
        out = await composer.compose(uow, mail)
    assert out.subject.startswith("Credit note CN-000001")
    [attached] = out.attachments
    text = pdf_text(attached.content)
    assert "CREDIT NOTE" in text and "INV-000001" in text and "-€26.71" in text  # 24.50 + 9%


async def test_returns_made_at_once_cannot_take_back_the_same_goods_twice(uow_factory, clock, seeded):
    sam = seeded["sales"]
    invoice = await _invoiced(uow_factory, clock, seeded)
    # One return first, so the RMA sequence exists and the race is on its row lock.
    await order_types.start_return(uow_factory(), clock, sam, invoice.id, {2: D(1)}, "Damaged")
    results = await asyncio.gather(*(
        order_types.start_return(uow_factory(), clock, sam, invoice.id, {1: D(3)}, "Damaged")
        for _ in range(4)), return_exceptions=True)
    made = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(made) == 1 and len(refused) == 3
    assert isinstance(refused[0], (InvalidInput, ConcurrentChange))
    found = await order_types.returnable_of(uow_factory(), sam, invoice_id=invoice.id)
    assert found.left == {1: D(1), 2: D(1)}


async def test_a_refused_return_draws_no_number(uow_factory, clock, seeded):
    sam = seeded["sales"]
    invoice = await _invoiced(uow_factory, clock, seeded)
    with pytest.raises(InvalidInput):
        await order_types.start_return(uow_factory(), clock, sam, invoice.id, {1: D(9)}, "Damaged")
    ret = await order_types.start_return(uow_factory(), clock, sam, invoice.id, {1: D(1)}, "Damaged")
    assert (ret.number, ret.rma_number) == ("SO-000002", "RMA-000001")
