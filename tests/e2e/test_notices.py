"""Issue 5 §6 end to end: the daily delay notice reaches the customer by e-mail (real SMTP sink)
and in Telegram with buttons (fake Bot API); the answers update the order and are reported to the
salesperson; replayed and foreign buttons are refused; a blocked customer still gets the e-mail;
the morning digest."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest

from domain.delay_notice import MessageStatus
from domain.services import backorders
from domain.user import Role, User
from storage import tables as t
from tests.backorder_helpers import import_pos, make_order
from tests.e2e.conftest import wait_for_mail

SAM, ACME_TG, CAFE_TG = 1001, 7001, 7002


async def _link(uow_factory, customer, telegram_id, language=None) -> User:
    user = User(telegram_id=telegram_id, name="Buyer", role=Role.CUSTOMER, customer_id=customer.id,
                language=language)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


@pytest.fixture
async def late_order(uow_factory, clock, seeded):
    """Acme ordered 60 chairs promised for 20 Nov; 50 are on hand and PO-1 brings 20 on 3 Dec."""
    s = seeded
    order = await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["chair"], 60)])
    async with uow_factory() as uow:
        (await uow.sales_orders.get(order.id)).line(1).confirmed_delivery_date = date(2026, 11, 20)
        await uow.commit()
    await import_pos(uow_factory, "PO-1,V-01,Chairs Ltd,A-100,20,2026-12-03,")
    await _link(uow_factory, s["acme"], ACME_TG)
    return order


async def _rows(uow_factory, table):
    async with uow_factory() as uow:
        return (await uow.session.execute(table.select())).mappings().all()


async def test_the_customer_gets_mail_and_buttons_and_ships_what_is_on_hand(running, uow_factory, seeded, late_order):
    running.fake.add_user(ACME_TG)
    running.fake.add_user(SAM)
    notices, _digest = running.app.notice_jobs
    assert await notices.run() == 1
    [mail] = await wait_for_mail(running.smtp, 1)
    assert mail.message["To"] == "buyer@acme.example"
    assert late_order.number in mail.message["Subject"]
    text = mail.message.get_body(("plain",)).get_content()
    assert "A-100" in text and "4 Dec 2026" in text and "20 Nov 2026" in text and "Reply to this e-mail" in text
    call = await running.fake.wait_for("sendMessage", chat_id=ACME_TG)
    assert "Delivery delayed" in call.params["text"] and "4 Dec 2026" in call.params["text"]
    buyer = running.chat(ACME_TG)
    assert buyer.buttons() == ["Wait for the whole line", "Ship what is on hand now", "Cancel the rest of the line"]
    message_id, data = buyer.button_data("Ship what is on hand")

    answered = await buyer.tap("Ship what is on hand")
    assert not answered.params.get("show_alert")
    assert "We ship 50 pcs of A-100 now (packing slip PS-000001)" in await buyer.reply()
    report = await running.fake.wait_for("sendMessage", chat_id=SAM)
    assert "Acme Office BV" in report.params["text"] and "PS-000001" in report.params["text"]
    async with uow_factory() as uow:
        order = await uow.sales_orders.get(late_order.id)
        assert (order.lines[0].delivered, (await uow.items.get(seeded["chair"].id)).on_hand) == (50, 0)

    # The same button again (replayed): refused, nothing shipped twice.
    replay = await buyer.tap_data(message_id, data, check_button=False)
    assert replay.params.get("show_alert") and "already answered" in replay.params["text"]
    # Another customer forging the button: refused as not theirs.
    await _link(uow_factory, seeded["cafe"], CAFE_TG)
    cafe = running.chat(CAFE_TG)
    await cafe.say("/myorders")
    forged = await cafe.tap_data(running.fake.last_bot_message(CAFE_TG)["message_id"], data, check_button=False)
    assert forged.params.get("show_alert") and "not yours" in forged.params["text"]
    async with uow_factory() as uow:
        assert len(await uow.packing_slips.of_order(late_order.id)) == 1

    assert await notices.run() == 0  # the next run tells nobody anything new
    await asyncio.sleep(0.3)
    assert len(running.smtp.messages) == 1


async def test_cancel_the_line(running, uow_factory, seeded, late_order):
    running.fake.add_user(ACME_TG)
    running.fake.add_user(SAM)
    notices, _digest = running.app.notice_jobs
    await notices.run()
    await running.fake.wait_for("sendMessage", chat_id=ACME_TG)
    buyer = running.chat(ACME_TG)
    await buyer.tap("Cancel the rest")
    assert "The remaining 60 pcs of A-100 on order" in await buyer.reply()
    assert "cancel the line" in (await running.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    async with uow_factory() as uow:
        order = await uow.sales_orders.get(late_order.id)
    assert order.lines[0].quantity == 0 and order.status == "canceled"


async def test_a_customer_who_blocked_the_bot_still_gets_the_mail(running, uow_factory, seeded, late_order):
    running.fake.add_user(ACME_TG)
    running.fake.block(ACME_TG)
    notices, _digest = running.app.notice_jobs
    assert await notices.run() == 1
    await wait_for_mail(running.smtp, 1)
    [message] = await _rows(uow_factory, t.delay_notice_messages)
    assert message["status"] == MessageStatus.FAILED
    assert await notices.send_queued() == 0  # failed rows are not retried: nothing is sent twice


async def test_the_morning_digest_once_per_salesperson(running, uow_factory, seeded, late_order):
    running.fake.add_user(SAM)
    _notices, digest = running.app.notice_jobs
    assert await digest.run() == 1  # Sam has a late line; Olga, Mia and Mark have nothing to report
    text = (await running.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "1 order line waits for delivery" in text and late_order.number in text
    assert "past the confirmed date" in text
    assert await digest.run() == 0
    assert len(running.fake.calls_of("sendMessage", chat_id=SAM)) == 1


async def _line_date(uow_factory, order_id) -> date:
    async with uow_factory() as uow:
        return (await uow.sales_orders.get(order_id)).line(1).confirmed_delivery_date


async def test_a_date_moved_back_by_the_salesperson_and_slipping_again_is_news_again(
        running, uow_factory, seeded, late_order, clock):
    """4 Dec was told, then Sam promised 1 Dec; the vendor delivery of 3 Dec moves it to 4 Dec again:
    the line moves and the customer is told again (4 Dec was no longer their date)."""
    running.fake.add_user(ACME_TG)
    running.fake.add_user(SAM)
    notices, digest = running.app.notice_jobs
    buyer = running.chat(ACME_TG)
    assert await notices.run() == 1
    await wait_for_mail(running.smtp, 1)
    await running.fake.wait_for("sendMessage", chat_id=ACME_TG)
    old_notice = buyer.button_data("Wait for the whole line")
    await backorders.set_confirmed_date(running.app.uow(), clock, seeded["sales"], late_order.id, 1, date(2026, 12, 1))

    clock.advance(days=1)  # 25 Nov: 1 Dec is still ahead, but the chairs come on 3 Dec
    assert await notices.run() == 1
    assert await _line_date(uow_factory, late_order.id) == date(2026, 12, 4)
    [_first, mail] = await wait_for_mail(running.smtp, 2)
    text = mail.message.get_body(("plain",)).get_content()
    assert "4 Dec 2026" in text and "1 Dec 2026" in text
    call = await running.fake.wait_for("sendMessage", chat_id=ACME_TG)
    assert "4 Dec 2026" in call.params["text"] and "we had said 1 Dec 2026" in call.params["text"]
    clock.advance(days=7)
    assert await notices.run() == 0  # 4 Dec is still ahead and covered: nothing new to tell
    assert len(await _rows(uow_factory, t.delay_notices)) == 2

    stale = await buyer.tap_data(*old_notice, check_button=False)
    assert stale.params.get("show_alert") and "newer notice" in stale.params["text"]
    await buyer.tap("Wait for the whole line")
    assert "expected on 4 Dec 2026" in await buyer.reply()
    assert "accepts delivery on 4 Dec 2026" in (await running.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert await digest.run() == 1
    assert "past the confirmed date" not in (await running.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]



async def test_an_answer_after_the_salesperson_moved_the_date_reports_the_lines_date(
        running, uow_factory, seeded, late_order, clock):
    running.fake.add_user(ACME_TG)
    running.fake.add_user(SAM)
    notices, _digest = running.app.notice_jobs
    assert await notices.run() == 1
    await running.fake.wait_for("sendMessage", chat_id=ACME_TG)
    await backorders.set_confirmed_date(running.app.uow(), clock, seeded["sales"], late_order.id, 1, date(2026, 12, 1))
    buyer = running.chat(ACME_TG)
    await buyer.tap("Wait for the whole line")
    assert "expected on 1 Dec 2026" in await buyer.reply()
    report = (await running.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "accepts delivery on 1 Dec 2026" in report and "4 Dec 2026" in report  # the notice said 4 Dec


async def test_a_notice_message_hit_by_a_telegram_hiccup_goes_out_at_the_next_run(
        running, uow_factory, seeded, late_order):
    running.fake.add_user(ACME_TG)
    running.fake.fail_next("sendMessage", error_code=502, chat_id=ACME_TG)
    notices, _digest = running.app.notice_jobs
    assert await notices.run() == 1
    [message] = await _rows(uow_factory, t.delay_notice_messages)
    assert message["status"] == MessageStatus.QUEUED and message["attempts"] == 1
    assert "Bad Gateway" in message["error"]
    assert await notices.send_queued() == 1  # Telegram is back: the claim was given back
    [message] = await _rows(uow_factory, t.delay_notice_messages)
    assert message["status"] == MessageStatus.SENT
    assert len(running.fake.calls_of("sendMessage", chat_id=ACME_TG)) == 2


async def test_a_notice_message_that_keeps_failing_ends_failed_after_its_attempts(
        running, uow_factory, seeded, late_order):
    from bot.notices import MAX_ATTEMPTS
    running.fake.add_user(ACME_TG)
    running.fake.fail_next("sendMessage", error_code=500, chat_id=ACME_TG, times=MAX_ATTEMPTS + 5)
    notices, _digest = running.app.notice_jobs
    await notices.run()
    for _run in range(MAX_ATTEMPTS + 2):
        assert await notices.send_queued() == 0
    [message] = await _rows(uow_factory, t.delay_notice_messages)
    assert message["status"] == MessageStatus.FAILED and message["attempts"] == MAX_ATTEMPTS
    assert len(running.fake.calls_of("sendMessage", chat_id=ACME_TG)) == MAX_ATTEMPTS


async def test_a_notice_message_telegram_refuses_with_400_fails_at_once(running, uow_factory, seeded, late_order):
    running.fake.add_user(ACME_TG)
    running.fake.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found",
                           chat_id=ACME_TG)
    notices, _digest = running.app.notice_jobs
    await notices.run()
    [message] = await _rows(uow_factory, t.delay_notice_messages)
    assert message["status"] == MessageStatus.FAILED
    assert await notices.send_queued() == 0


async def test_one_failed_digest_neither_stops_the_others_nor_counts_as_sent(
        running, uow_factory, clock, seeded, late_order):
    s = seeded
    cafe_order = await make_order(uow_factory, clock, s["sales2"], s["cafe"], [(s["desk"], 60)])
    async with uow_factory() as uow:
        (await uow.sales_orders.get(cafe_order.id)).line(1).confirmed_delivery_date = date(2026, 11, 20)
        await uow.commit()
    olga = s["sales2"].telegram_id
    running.fake.add_user(SAM)
    running.fake.add_user(olga)
    running.fake.fail_next("sendMessage", error_code=502, chat_id=SAM)
    _notices, digest = running.app.notice_jobs
    assert await digest.run() == 1
    assert len(running.fake.calls_of("sendMessage", chat_id=olga)) == 1
    assert await digest.retry_missed() == 1  # Sam's, which Telegram refused for now
    assert len(running.fake.calls_of("sendMessage", chat_id=SAM)) == 2
    assert await digest.retry_missed() == 0 and await digest.run() == 0
    assert len(running.fake.calls_of("sendMessage", chat_id=olga)) == 1
