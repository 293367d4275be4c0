"""/backorders in chat: the three views, allocation with a preview, priority and confirmed date."""
from __future__ import annotations

import pytest
from domain.services import backorders as svc
from handlers.backorders import BackorderAllocate
from tests.backorder_helpers import import_pos, make_order

SAM, OLGA, MIA, MARK = 1001, 1002, 1003, 1004


@pytest.fixture
async def backlog(uow_factory, clock, seeded):
    s = seeded
    first = await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["chair"], 30), (s["desk"], 12)])
    clock.advance(hours=1)
    second = await make_order(uow_factory, clock, s["sales2"], s["cafe"], [(s["chair"], 40)])
    await import_pos(uow_factory, "PO-7,V-01,Chairs <Ltd>,A-100,20,2026-12-10,5")
    return {"first": first, "second": second}


async def test_a_salesperson_views_backorders_by_item_and_confirms_a_date(running, backlog, uow_factory, seeded):
    chat = running.chat(SAM)
    assert "View them by" in await chat.say("/backorders")
    await chat.tap("By item")
    assert "Backorders by item" in await chat.reply()
    assert any("A-200" in b and "short 2" in b for b in chat.buttons())  # 12 desks, 10 on hand
    await chat.tap("A-100")
    detail = await chat.reply()
    assert "On hand: 50 pcs" in detail and "Open sales orders: 2" in detail
    assert "PO-7 from Chairs &lt;Ltd&gt;: 15 pcs expected 10 Dec 2026" in detail
    assert "Quantity short: 5 pcs" in detail and "More must be ordered" in detail
    assert backlog["first"].number in detail and backlog["second"].number not in detail  # Olga's line
    assert not any("Allocate" in b for b in chat.buttons())  # a manager allocates
    await chat.tap(f"Date {backlog['first'].number}/1")
    assert "Type the confirmed delivery date" in await chat.reply()
    assert "is in the past" in await chat.say("2020-01-01")
    assert "is not a date" in await chat.say("soon")
    assert "delivery confirmed for 8 Dec 2026" in await chat.say("14")
    lines = (await svc.item_detail(uow_factory(), seeded["sales"], seeded["chair"].id)).lines
    assert [str(l.confirmed_date) for l in lines] == ["2026-12-08"]


async def test_a_manager_previews_and_commits_an_allocation_after_raising_a_priority(running, backlog,
                                                                                      uow_factory, seeded):
    chat = running.chat(MIA)
    await chat.say("/backorders")
    await chat.tap("By item")
    await chat.reply()
    await chat.tap("A-100")
    await chat.reply()
    answer = await chat.tap(f"Priority {backlog['second'].number}/1")
    assert "now 1" in chat.alert(answer)
    await chat.tap("Allocate")
    preview = await chat.reply()
    assert "preview" in preview
    assert f"{backlog['second'].number}/1: 40 of 40" in preview
    assert f"{backlog['first'].number}/1: 10 of 30" in preview
    await chat.tap("Commit allocation")
    assert "50 pcs of A-100 is allocated to 2 lines" in await chat.reply()
    lines = (await svc.item_detail(uow_factory(), seeded["manager"], seeded["chair"].id)).lines
    assert [(l.order_number, l.allocated) for l in lines] == [
        (backlog["second"].number, 40), (backlog["first"].number, 10)]


async def test_the_customer_and_vendor_views(running, backlog):
    chat = running.chat(MIA)
    await chat.say("/backorders")
    await chat.tap("By customer")
    await chat.reply()
    assert [b.split(" · ")[0] for b in chat.buttons()] == ["Acme Office BV", "Café Hoogvliet"]
    await chat.tap("Acme Office BV")
    text = await chat.reply()
    assert f"{backlog['first'].number} (Open order)" in text and "12 pcs of A-200 to deliver" in text
    await chat.say("/backorders")
    await chat.tap("By vendor")
    await chat.reply()
    await chat.tap("Chairs <Ltd>")
    text = await chat.reply()
    assert "PO-7: 15 of A-100 expected 10 Dec 2026" in text
    assert "Sales orders waiting on them" in text and backlog["second"].number in text


async def test_bad_buttons_and_roles_get_clear_answers(running, backlog, uow_factory, seeded):
    sam = running.chat(SAM)
    await sam.say("/start")
    data = BackorderAllocate(action="commit", item_id=seeded["chair"].id).pack()
    answer = await sam.tap_data(running.fake.last_bot_message(SAM)["message_id"], data, check_button=False)
    assert "role does not allow" in sam.alert(answer)
    lines = (await svc.item_detail(uow_factory(), seeded["manager"], seeded["chair"].id)).lines
    assert all(l.allocated == 0 for l in lines)
    mark = running.chat(MARK)
    assert "role does not allow" in await mark.say("/backorders")


async def test_backorders_in_dutch(running, backlog):
    chat = running.chat(SAM, language_code="nl")
    assert "Bekijk ze per" in await chat.say("/backorders")
    await chat.tap("Per artikel")
    await chat.reply()
    await chat.tap("A-100")
    detail = await chat.reply()
    assert "Voorradig: 50" in detail and "Ontbrekende leveringen van leveranciers" in detail
    await chat.tap(f"Datum {backlog['first'].number}/1")
    await chat.reply()
    assert "ligt in het verleden" in await chat.say("2020-01-01")
