"""Invoicing several packing slips and whole months, drafts and posting profiles, on a real database."""
from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.invoicing import Month
from domain.outbox import MailKind
from domain.services import free_text_drafts as drafts
from domain.services import free_text_invoices as fti
from domain.services import invoicing, orders, quotations
from domain.services.imports import ImportRejected, import_posting_profiles

D = Decimal
OCTOBER = Month(2026, 10)
AMS = ZoneInfo("Europe/Amsterdam")


async def _only_the_default_posting_profile(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM free_text_invoice_lines"))
        await conn.execute(text("DELETE FROM free_text_invoices"))
        await conn.execute(text("DELETE FROM posting_profiles WHERE code <> 'GEN'"))


@pytest.fixture(autouse=True)
async def default_posting_profile_only(engine):
    """posting_profiles survives between PostgreSQL tests (reference data): leave it as found."""
    await _only_the_default_posting_profile(engine)
    yield
    await _only_the_default_posting_profile(engine)


async def order_for(uow_factory, clock, salesperson, customer, lines):
    q = await quotations.start_quotation(uow_factory(), clock, salesperson, customer.id)
    for item, quantity in lines:
        q = await quotations.add_line(uow_factory(), salesperson, q.id, item.id, D(quantity))
    q = await quotations.send_quotation(uow_factory(), clock, salesperson, q.id)
    return await quotations.confirm_quotation(uow_factory(), clock, salesperson, q.id)


async def deliver_on(uow_factory, clock, salesperson, order, day: int, month: int, quantities):
    clock.at = datetime(2026, month, day, 10, 0, tzinfo=AMS)
    return await orders.deliver(uow_factory(), clock, salesperson, order.id, quantities)


async def two_orders_in_october(uow_factory, clock, seeded):
    """Acme: SO-1 (4 chairs, 2 desks) and SO-2 (10 books) by Sam; October slips PS-1, PS-2, PS-3,
    and a November slip PS-4 that the October invoice must leave alone."""
    sam = seeded["sales"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    first = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["chair"], 4), (seeded["desk"], 2)])
    second = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["book"], 10)])
    await deliver_on(uow_factory, clock, sam, first, 5, 10, {1: D(2)})
    await deliver_on(uow_factory, clock, sam, second, 12, 10, {1: D(10)})
    await deliver_on(uow_factory, clock, sam, first, 31, 10, {2: D(2)})
    await deliver_on(uow_factory, clock, sam, first, 2, 11, {1: D(2)})
    clock.at = datetime(2026, 11, 3, 9, 0, tzinfo=AMS)
    return first, second


async def test_one_invoice_per_customer_covers_the_months_slips_across_orders(uow_factory, clock, seeded):
    sam = seeded["sales"]
    first, second = await two_orders_in_october(uow_factory, clock, seeded)
    [preview] = await invoicing.month_preview(uow_factory(), sam, OCTOBER)
    assert preview.customer.account_number == "C-001" and preview.may_post
    assert [s.number for s in preview.slips] == ["PS-000001", "PS-000002", "PS-000003"]
    assert preview.order_numbers == (first.number, second.number)
    # 2 x 149.95 + 2 x 499.00 (21%) + 10 x 24.50 (9%)
    assert preview.totals.net == D("1542.90") and preview.totals.gross == D("1837.51")
    pro_forma = await invoicing.pro_forma_for_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
    assert pro_forma.totals == preview.totals
    invoice = await invoicing.invoice_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
    assert invoice.number == "INV-000001" and invoice.totals == preview.totals  # the pro forma drew no number
    assert invoice.salesperson_id == sam.id and invoice.invoiced_on == clock.today()
    assert {l.sales_order_id for l in invoice.lines} == {first.id, second.id}
    first, slips = await orders.get_order(uow_factory(), sam, first.id)
    assert [(l.delivered, l.invoiced) for l in first.lines] == [(D(4), D(2)), (D(2), D(2))]
    assert [s.invoice_number for s in slips] == ["INV-000001", "INV-000001", None]  # November waits
    second, _slips = await orders.get_order(uow_factory(), sam, second.id)
    assert second.status.value == "invoiced"
    async with uow_factory() as uow:
        mails = [m for m in await uow.outbox.due(clock.now(), 20) if m.kind == MailKind.INVOICE_POSTED]
        again = await uow.invoices.get(invoice.id)
    assert [(m.ref_id, m.recipient) for m in mails] == [(invoice.id, "buyer@acme.example")]
    assert len(again.lines) == 3 and again.sales_order_id is None
    with pytest.raises(InvalidInput, match="Nothing to invoice for 2026-10"):
        await invoicing.month_preview(uow_factory(), sam, OCTOBER)
    with pytest.raises(InvalidInput, match="Nothing left to invoice for Acme Office BV in 2026-10"):
        await invoicing.invoice_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
    [november] = await invoicing.month_preview(uow_factory(), sam, Month(2026, 11))
    assert [s.number for s in november.slips] == ["PS-000004"]


async def test_a_month_with_nothing_to_invoice_says_so(uow_factory, clock, seeded):
    with pytest.raises(InvalidInput, match="Nothing to invoice for 2026-09"):
        await invoicing.month_preview(uow_factory(), seeded["manager"], Month(2026, 9))
    with pytest.raises(NotPermitted):
        await invoicing.month_preview(uow_factory(), seeded["marketing"], Month(2026, 9))


async def test_two_taps_on_post_give_one_invoice(uow_factory, clock, seeded):
    sam = seeded["sales"]
    first, second = await two_orders_in_october(uow_factory, clock, seeded)
    results = await asyncio.gather(*(
        invoicing.invoice_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
        for _ in range(2)), return_exceptions=True)
    posted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(posted) == 1 and len(refused) == 1
    assert isinstance(refused[0], (InvalidInput, ConcurrentChange))
    first, slips = await orders.get_order(uow_factory(), sam, first.id)
    assert [l.invoiced for l in first.lines] == [D(2), D(2)]
    # The guard a concurrent second run meets once the first has committed: nothing left to claim.
    async with uow_factory() as uow:
        assert await uow.invoicing.claim_slips([s.id for s in slips], "INV-999999") == 1  # only November's
        assert await uow.invoicing.claim_slips([slips[0].id], "INV-999999") == 0
    async with uow_factory() as uow:
        assert len(await uow.invoices.of_order(second.id)) == 0  # a multi-order invoice has no single order
        assert len([m for m in await uow.outbox.due(clock.now(), 20) if m.kind == MailKind.INVOICE_POSTED]) == 1


async def test_a_customer_shared_with_another_salesperson_is_posted_by_a_manager(uow_factory, clock, seeded):
    sam, olga, mia = seeded["sales"], seeded["sales2"], seeded["manager"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    sams = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["chair"], 1)])
    olgas = await order_for(uow_factory, clock, olga, seeded["acme"], [(seeded["book"], 2)])
    await deliver_on(uow_factory, clock, olga, olgas, 3, 10, {1: D(2)})
    await deliver_on(uow_factory, clock, sam, sams, 4, 10, {1: D(1)})
    [preview] = await invoicing.month_preview(uow_factory(), sam, OCTOBER)
    assert [s.number for s in preview.slips] == ["PS-000002"] and not preview.may_post  # Olga's slip stays hidden
    assert preview.totals.net == D("149.95")
    with pytest.raises(NotPermitted, match="another salesperson"):
        await invoicing.invoice_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
    with pytest.raises(NotPermitted):
        await invoicing.pro_forma_for_customer_month(uow_factory(), clock, olga, seeded["acme"].id, OCTOBER)
    run = await invoicing.invoice_month(uow_factory, clock, sam, OCTOBER)
    assert run.posted == () and [c.account_number for c, _e in run.skipped] == ["C-001"]
    [manager_view] = await invoicing.month_preview(uow_factory(), mia, OCTOBER)
    assert manager_view.may_post and len(manager_view.slips) == 2
    run = await invoicing.invoice_month(uow_factory, clock, mia, OCTOBER)
    [(customer, invoice)] = run.posted
    # The oldest order's salesperson: Sam's order was created first.
    assert customer.account_number == "C-001" and invoice.salesperson_id == sam.id
    assert invoice.totals.net == D("198.95")
    await orders.get_invoice(uow_factory(), sam, invoice.id)
    with pytest.raises(NotFound):
        await orders.get_invoice(uow_factory(), olga, invoice.id)


async def test_post_all_posts_each_customer_and_chosen_slips_across_orders(uow_factory, clock, seeded):
    sam = seeded["sales"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    a1 = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["chair"], 3)])
    a2 = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["desk"], 1)])
    cafe = await order_for(uow_factory, clock, sam, seeded["cafe"], [(seeded["book"], 5)])
    s1 = await deliver_on(uow_factory, clock, sam, a1, 2, 10, {1: D(1)})
    s2 = await deliver_on(uow_factory, clock, sam, a2, 3, 10, {1: D(1)})
    s3 = await deliver_on(uow_factory, clock, sam, cafe, 4, 10, {1: D(5)})
    s4 = await deliver_on(uow_factory, clock, sam, a1, 5, 10, {1: D(2)})
    acme = seeded["acme"].id
    with pytest.raises(NotFound, match="not one of this customer's"):
        await invoicing.invoice_packing_slips(uow_factory(), clock, sam, acme, [s1.id, s3.id])
    for chosen_for_acme in (invoicing.invoice_packing_slips, invoicing.pro_forma_for_packing_slips):
        with pytest.raises(NotFound, match="not one of this customer's"):  # only the café's slip
            await chosen_for_acme(uow_factory(), clock, sam, acme, [s3.id])
    with pytest.raises(InvalidInput, match="exist"):
        await invoicing.invoice_packing_slips(uow_factory(), clock, sam, acme, [s1.id, 999])
    with pytest.raises(NotPermitted):
        await invoicing.invoice_packing_slips(uow_factory(), clock, seeded["sales2"], acme, [s1.id, s2.id])
    customer, choice = await invoicing.slips_to_choose(uow_factory(), sam, seeded["acme"].id)
    assert [(s.number, order) for s, order in choice] == [
        (s1.number, a1.number), (s2.number, a2.number), (s4.number, a1.number)]
    with pytest.raises(InvalidInput, match="no packing slips of yours"):
        await invoicing.slips_to_choose(uow_factory(), seeded["sales2"], seeded["acme"].id)
    pro_forma = await invoicing.pro_forma_for_packing_slips(uow_factory(), clock, sam, acme, [s1.id, s2.id])
    chosen = await invoicing.invoice_packing_slips(uow_factory(), clock, sam, acme, [s1.id, s2.id])
    assert chosen.number == "INV-000001" and chosen.totals == pro_forma.totals
    assert [(l.sales_order_id, l.quantity) for l in chosen.lines] == [(a1.id, D(1)), (a2.id, D(1))]
    with pytest.raises(InvalidInput, match="already invoiced"):
        await invoicing.invoice_packing_slips(uow_factory(), clock, sam, acme, [s2.id, s4.id])
    run = await invoicing.invoice_month(uow_factory, clock, sam, OCTOBER)
    assert [(c.account_number, [l.quantity for l in i.lines]) for c, i in run.posted] == [
        ("C-001", [D(2)]), ("C-002", [D(5)])]
    assert [i.number for _c, i in run.posted] == ["INV-000002", "INV-000003"] and run.skipped == ()


async def test_free_text_drafts_are_listed_deleted_and_post_to_the_chosen_profile(uow_factory, clock, seeded):
    sam = seeded["sales"]
    one = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["cafe"].id)
    two = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    await fti.start_free_text_invoice(uow_factory(), clock, seeded["sales2"], seeded["acme"].id)
    assert [d.id for d in await drafts.my_drafts(uow_factory(), sam)] == [two.id, one.id]
    await drafts.delete_draft(uow_factory(), sam, two.id)
    with pytest.raises(NotFound):
        await fti.get_free_text_invoice(uow_factory(), sam, two.id)
    result = await import_posting_profiles(uow_factory(), [(2, {"code": "export", "summary_account": "1310"}),
                                                           (3, {"code": "GEN", "summary_account": "1300"})])
    assert (result.created, result.updated) == (1, 1)
    assert [(p.code, p.summary_account) for p in await drafts.posting_profiles(uow_factory())] == [
        ("EXPORT", "1310"), ("GEN", "1300")]
    with pytest.raises(NotFound, match="NOPE"):
        await drafts.set_posting_profile(uow_factory(), sam, one.id, "NOPE")
    await drafts.set_posting_profile(uow_factory(), sam, one.id, "EXPORT")
    await fti.enter_line(uow_factory(), sam, one.id, "8000 100 21 Consulting")
    posted = await fti.post_free_text_invoice(uow_factory(), clock, sam, one.id)
    assert (posted.posting_profile, posted.summary_account) == ("EXPORT", "1310")
    assert await drafts.my_drafts(uow_factory(), sam) == []
    with pytest.raises(TransitionNotAllowed):
        await drafts.delete_draft(uow_factory(), sam, one.id)
    with pytest.raises(TransitionNotAllowed):
        await drafts.set_posting_profile(uow_factory(), sam, one.id, "GEN")
    with pytest.raises(NotFound):  # another salesperson's draft is not Sam's to delete
        await drafts.delete_draft(uow_factory(), seeded["sales2"], one.id)


async def test_a_bad_posting_profile_file_imports_nothing(uow_factory, seeded):
    with pytest.raises(ImportRejected) as rejected:
        await import_posting_profiles(uow_factory(), [(2, {"code": "EXPORT", "summary_account": "1310"}),
                                                      (3, {"code": "EU", "summary_account": "debtors"}),
                                                      (4, {"code": "export", "summary_account": "1320"})])
    assert [e.line for e in rejected.value.errors] == [3, 4]
    assert [p.code for p in await drafts.posting_profiles(uow_factory())] == ["GEN"]


async def test_a_run_that_read_the_slips_before_another_posted_them_posts_nothing(engine, uow_factory, clock, seeded):
    """The interleaving SQLite never allows (its transactions take the write lock up front)."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises whole transactions: the stale read cannot happen")
    sam = seeded["sales"]
    await two_orders_in_october(uow_factory, clock, seeded)
    async with uow_factory() as stale:
        customer, slips, orders_ = await invoicing._customer_month_slips(stale, seeded["acme"].id, OCTOBER)
        winner = await invoicing.invoice_customer_month(uow_factory(), clock, sam, seeded["acme"].id, OCTOBER)
        with pytest.raises(InvalidInput, match="invoiced by someone else just now"):
            await invoicing._post(stale, clock, sam, customer, slips, orders_)
    async with uow_factory() as uow:
        assert await uow.invoices.get(winner.id + 1) is None  # the loser added no invoice
        assert await uow.numbers.next("customer_invoice") == 2  # its number was rolled back: no gap
    order = (await orders.open_orders(uow_factory(), sam))[-1]
    assert [l.invoiced for l in order.lines] == [D(2), D(2)]  # invoiced once, not twice
