"""Issue 4 §4 end to end: a sent quotation reaches the linked customer's chat (summary, PDF, buttons)
and the quotation e-mail's signed link opens the answer page on the bot's real HTTP server.
Accept makes the order, Decline needs a reason, changes are forwarded; the salesperson is told."""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import build_app
from bot.webhook import HEADER
from domain.customer_link import issue_token
from domain.quotation import QuotationStatus
from domain.quotation_answer import DeliveryStatus
from domain.services import customer_links, quotations
from handlers.quotation_answers import Accept, AskChanges, Decline
from tests.e2e.conftest import Running, wait_for_mail
from tests.fakes.harness import make_bot, polling

SECRET = "accept-e2e-secret"
PUBLIC = "https://sales.example.test"
SAM, ACME_TG, CAFE_TG = 1001, 7001, 7002
ANSWER_LINK = re.compile(re.escape(PUBLIC) + r"(/q/[A-Za-z0-9_-]+)")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"secret_key": SecretStr(SECRET), "bot_username": "salesbot_test_bot",
                                       "public_url": PUBLIC, "http_port": 0, "telegram_poll_seconds": 0.1})


@pytest.fixture
async def live(settings, fake_bot_api, smtp_sink, clock, seeded) -> AsyncIterator[Running]:
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)
    app.outbox.start()
    await app.accept_web.start()
    for chat in (SAM, ACME_TG, CAFE_TG):
        fake_bot_api.add_user(chat)
    try:
        async with polling(app.dispatcher, app.bot, fake_bot_api):
            yield Running(app, fake_bot_api, smtp_sink)
    finally:
        await app.close()


async def _link(uow_factory, clock, customer, telegram_id, nonce):
    token = issue_token(SECRET.encode(), customer.id, clock.now() + timedelta(days=30), nonce)
    await customer_links.link_account(uow_factory(), clock, SECRET.encode(), token, telegram_id, "Buyer")


async def _send(uow_factory, clock, seeded, customer="acme"):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded[customer].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(3))
    return await quotations.send_quotation(uow_factory(), clock, sam, q.id)


async def _status(uow_factory, seeded, q):
    return (await quotations.get_quotation(uow_factory(), seeded["manager"], q.id)).status


async def _delivered(live, chat):
    doc = await live.fake.wait_for("sendDocument", chat_id=chat)
    summary = await live.fake.wait_for("sendMessage", chat_id=chat)
    return doc, summary


async def test_a_sent_quotation_reaches_the_customers_chat_and_accept_makes_the_order(
        live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
    q = await _send(uow_factory, clock, seeded)
    doc, summary = await _delivered(live, ACME_TG)
    (filename, pdf), = doc.files.values()
    assert filename == f"{q.number}.pdf" and pdf.startswith(b"%PDF")
    text = summary.params["text"]
    assert q.number in text and "Office chair" in text and "Salesbot Demo BV" in text
    buyer = live.chat(ACME_TG)
    assert buyer.buttons() == ["✅ Accept", "❌ Decline", "✏️ Ask for changes"]

    await buyer.tap("Accept")
    reply = await buyer.reply()
    assert f"You accepted quotation {q.number}" in reply and "SO-" in reply
    told = (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "Acme Office BV accepted quotation" in told and "in Telegram" in told and "SO-" in told
    assert await _status(uow_factory, seeded, q) is QuotationStatus.CONFIRMED

    call = await buyer.tap("Accept")  # the old button again: refused with the reason, no second order
    assert "already accepted" in buyer.alert(call)
    async with uow_factory() as uow:
        assert len(await uow.sales_orders.open_of(None, 10)) == 1


async def test_a_customer_who_links_after_the_quotation_was_sent_answers_it_from_my_quotations(
        live, uow_factory, clock, seeded):
    q = await _send(uow_factory, clock, seeded)  # sent by mail only: nobody was linked yet
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x02" * 8)
    buyer = live.chat(ACME_TG)
    await buyer.say("/myquotes")
    await buyer.tap(q.number)
    assert f"Quotation {q.number}" in await buyer.reply()
    assert buyer.buttons() == ["✅ Accept", "❌ Decline", "✏️ Ask for changes", "PDF"]
    await buyer.tap("Accept")
    assert f"You accepted quotation {q.number}" in await buyer.reply()
    assert await _status(uow_factory, seeded, q) is QuotationStatus.CONFIRMED

    await buyer.say("/myquotes")  # accepted now: only its PDF is offered
    await buyer.tap(q.number)
    await buyer.reply()
    assert buyer.buttons() == ["PDF"]


async def test_the_salesperson_is_told_of_an_acceptance_even_when_the_customers_reply_fails(
        live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x03" * 8)
    q = await _send(uow_factory, clock, seeded)
    await _delivered(live, ACME_TG)
    # Telegram refuses the thanks to the customer for longer than a user is kept waiting.
    live.fake.fail_next("sendMessage", error_code=429, retry_after=60, chat_id=ACME_TG)
    await live.chat(ACME_TG).tap("Accept")
    told = (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "Acme Office BV accepted quotation" in told and "SO-" in told
    assert await _status(uow_factory, seeded, q) is QuotationStatus.CONFIRMED


async def test_decline_asks_for_a_reason_and_tells_the_salesperson(live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
    q = await _send(uow_factory, clock, seeded)
    await _delivered(live, ACME_TG)
    buyer = live.chat(ACME_TG)
    await buyer.tap("Decline")
    assert "Why do you decline" in await buyer.reply()
    assert "type your answer as a text message" in await buyer.say("/nonsense")
    assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT
    reply = await buyer.say("Too expensive <b>really</b>")
    assert f"You declined quotation {q.number}" in reply
    told = (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "declined quotation" in told and "Too expensive &lt;b&gt;really&lt;/b&gt;" in told
    assert await _status(uow_factory, seeded, q) is QuotationStatus.LOST


async def test_asking_for_changes_is_forwarded_and_the_quotation_stays_open(live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
    q = await _send(uow_factory, clock, seeded)
    await _delivered(live, ACME_TG)
    buyer = live.chat(ACME_TG)
    await buyer.tap("Ask for changes")
    assert "What would you like changed" in await buyer.reply()
    assert "forwarded your request" in await buyer.say("Ten chairs and a 5% discount, please")
    told = (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
    assert "asks for changes" in told and "Ten chairs and a 5% discount, please" in told
    assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT


async def test_another_customer_replaying_the_button_is_refused(live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
    await _link(uow_factory, clock, seeded["cafe"], CAFE_TG, b"\x02" * 8)
    q = await _send(uow_factory, clock, seeded)
    await _delivered(live, ACME_TG)
    other = live.chat(CAFE_TG)
    await other.say("/myquotes")  # a bot message in the other chat to press under
    message_id = max(live.fake.state.chats[CAFE_TG].from_bot)
    call = await other.tap_data(message_id, Accept(quotation_id=q.id).pack(), check_button=False)
    assert "bestaat niet of hoort niet bij dit account" in other.alert(call)  # Café speaks Dutch
    staff = live.chat(SAM)
    await staff.say("/start")
    call = await staff.tap_data(max(live.fake.state.chats[SAM].from_bot), Accept(quotation_id=q.id).pack(),
                                check_button=False)
    assert "linked their Telegram account" in staff.alert(call)
    stranger = live.chat(555)
    await stranger.say("/start")
    for data in (Accept(quotation_id=q.id).pack(), Decline(quotation_id=q.id).pack(),
                 AskChanges(quotation_id=q.id).pack()):
        call = await stranger.tap_data(max(live.fake.state.chats[555].from_bot), data, check_button=False)
        assert "ask your administrator" in stranger.alert(call)
        call = await other.tap_data(message_id, data, check_button=False)
        assert "bestaat niet of hoort niet bij dit account" in other.alert(call)
    assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT


async def test_a_customer_who_blocked_the_bot_still_gets_the_mail(live, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
    live.fake.block(ACME_TG)
    q = await _send(uow_factory, clock, seeded)
    await live.fake.wait_for("sendDocument", chat_id=ACME_TG)
    mail, = await wait_for_mail(live.smtp, 1)
    assert q.number in mail.message["Subject"]
    for _ in range(50):
        async with uow_factory() as uow:
            d = await uow.quotation_answers.delivery(1)
        if d.status is DeliveryStatus.FAILED:
            break
        await asyncio.sleep(0.05)
    assert d.status is DeliveryStatus.FAILED and "blocked" in d.last_error
    assert live.fake.calls_of("sendMessage", chat_id=ACME_TG) == []


# --- the web page -------------------------------------------------------------------------------------
def _base(live) -> str:
    return live.app.accept_web.server.url


async def _mailed_path(live, uow_factory, clock, seeded, customer="acme") -> tuple[object, str]:
    q = await _send(uow_factory, clock, seeded, customer)
    mail, = await wait_for_mail(live.smtp, 1)
    text = mail.message.get_body(("plain",)).get_content()
    html = mail.message.get_body(("html",)).get_content()
    path = ANSWER_LINK.search(text).group(1)
    assert f'href="{PUBLIC}{path}"' in html
    return q, path


async def test_get_shows_the_quotation_and_never_acts_and_post_acts_once(live, uow_factory, clock, seeded):
    q, path = await _mailed_path(live, uow_factory, clock, seeded)
    async with aiohttp.ClientSession(_base(live)) as http:
        for _ in range(2):
            async with http.get(path) as r:
                page = await r.text()
                assert r.status == 200 and r.headers["Referrer-Policy"] == "no-referrer"
            assert q.number in page and "Office chair" in page and 'value="accept"' in page
            assert 'method="post"' in page
        assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT
        async with http.head(path) as r:
            assert r.status in (200, 405)
        assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT

        async with http.post(path, data={"action": "accept"}) as r:
            page = await r.text()
            assert r.status == 200 and "You accepted quotation" in page and "SO-" in page
        told = (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
        assert "accepted quotation" in told and "on the web page" in told
        async with http.post(path, data={"action": "accept"}) as r:
            assert r.status == 409 and "already accepted" in await r.text()
        async with http.get(path) as r:
            page = await r.text()
            assert "already accepted" in page and 'value="accept"' not in page
    async with uow_factory() as uow:
        assert len(await uow.sales_orders.open_of(None, 10)) == 1
    assert await _status(uow_factory, seeded, q) is QuotationStatus.CONFIRMED


async def test_two_posts_at_once_make_one_order(live, uow_factory, clock, seeded):
    q, path = await _mailed_path(live, uow_factory, clock, seeded)

    async def post(http):
        async with http.post(path, data={"action": "accept"}) as r:
            return r.status

    async with aiohttp.ClientSession(_base(live)) as http:
        statuses = await asyncio.gather(post(http), post(http))
    assert sorted(statuses) == [200, 409]
    async with uow_factory() as uow:
        assert len(await uow.sales_orders.open_of(None, 10)) == 1


async def test_decline_on_the_page_needs_a_reason(live, uow_factory, clock, seeded):
    q, path = await _mailed_path(live, uow_factory, clock, seeded)
    async with aiohttp.ClientSession(_base(live)) as http:
        async with http.post(path, data={"action": "decline", "text": "  "}) as r:
            assert r.status == 400 and "tell us why" in await r.text()
        async with http.post(path, data={"action": "delete-everything"}) as r:
            assert r.status == 400
        assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT
        async with http.post(path, data={"action": "changes", "text": "Blue chairs"}) as r:
            assert r.status == 200 and "forwarded your request" in await r.text()
        assert "Blue chairs" in (await live.fake.wait_for("sendMessage", chat_id=SAM)).params["text"]
        async with http.post(path, data={"action": "decline", "text": "Found it cheaper"}) as r:
            assert r.status == 200 and "You declined" in await r.text()
    assert await _status(uow_factory, seeded, q) is QuotationStatus.LOST


async def test_forged_and_expired_links_are_refused(live, uow_factory, clock, seeded):
    q, path = await _mailed_path(live, uow_factory, clock, seeded)
    forged = path[:-2] + ("AA" if not path.endswith("AA") else "BB")
    async with aiohttp.ClientSession(_base(live)) as http:
        for method in ("GET", "POST"):
            async with http.request(method, forged, data={"action": "accept"}) as r:
                assert r.status == 403 and "This link is not valid" in await r.text()
            async with http.request(method, "/q/<script>", data={"action": "accept"}) as r:
                assert r.status == 403 and "<script>" not in await r.text()
        clock.advance(days=31)  # the quotation's validity has passed: the page says so
        async with http.get(path) as r:
            assert r.status == 200 and "expired on" in await r.text()
        async with http.post(path, data={"action": "accept"}) as r:
            assert r.status == 409 and "expired on" in await r.text()
        clock.advance(days=5)  # the link itself has expired with the quotation
        async with http.get(path) as r:
            assert r.status == 410 and "expired" in await r.text()
    assert await _status(uow_factory, seeded, q) is QuotationStatus.SENT


async def test_an_expired_link_is_refused_in_the_customers_language(live, uow_factory, clock, seeded):
    q, path = await _mailed_path(live, uow_factory, clock, seeded, customer="cafe")  # a Dutch customer
    clock.advance(days=36)
    async with aiohttp.ClientSession(_base(live)) as http:
        async with http.get(path) as r:
            page = await r.text()
            assert r.status == 410 and "Deze link is verlopen" in page and 'lang="nl"' in page
        # a forged link names nobody: the browser's language is all there is
        async with http.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB"),
                            headers={"Accept-Language": "fr, nl;q=0.8, en;q=0.5"}) as r:
            assert r.status == 403 and "Deze link is niet geldig" in await r.text()
        async with http.get("/q/nonsense") as r:
            assert r.status == 403 and "This link is not valid" in await r.text()


async def test_the_page_escapes_what_the_database_holds(live, uow_factory, clock, seeded):
    async with uow_factory() as uow:
        customer = await uow.customers.get(seeded["acme"].id)
        customer.name = "<b>Acme</b> & <script>alert(1)</script>"
        await uow.commit()
    q, path = await _mailed_path(live, uow_factory, clock, seeded)
    async with aiohttp.ClientSession(_base(live)) as http:
        async with http.get(path) as r:
            page = await r.text()
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<b>Acme" not in page and "<script>" not in page


# --- the Telegram webhook -------------------------------------------------------------------------------
async def test_the_webhook_takes_updates_only_with_the_secret_token(settings, fake_bot_api, clock, seeded):
    settings = settings.model_copy(update={"webhook_url": "https://bot.example.test/telegram/hook"})
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)
    try:
        await app.accept_web.start()
        set_call = await fake_bot_api.wait_for("setWebhook")
        secret = set_call.params["secret_token"]
        assert set_call.params["url"] == "https://bot.example.test/telegram/hook" and len(secret) >= 32
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": SAM, "type": "private"},
            "from": {"id": SAM, "is_bot": False, "first_name": "Sam", "language_code": "en"},
            "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        fake_bot_api.add_user(SAM)
        async with aiohttp.ClientSession(app.accept_web.server.url) as http:
            for headers in ({}, {HEADER: "wrong"}, {HEADER: secret[:-1]}):
                async with http.post("/telegram/hook", json=update, headers=headers) as r:
                    assert r.status == 403
            assert fake_bot_api.calls_of("sendMessage", chat_id=SAM) == []
            for _ in range(2):  # Telegram re-sends an update: handled once
                async with http.post("/telegram/hook", json=update, headers={HEADER: secret}) as r:
                    assert r.status == 200
        reply = await fake_bot_api.wait_for("sendMessage", chat_id=SAM)
        assert reply.params["text"]  # the bot answered /start through the webhook
        await app.accept_web.webhook.drain()
        assert len(fake_bot_api.calls_of("sendMessage", chat_id=SAM)) == 1
    finally:
        await app.close()


def _start_update(update_id: int) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": SAM, "type": "private"},
        "from": {"id": SAM, "is_bot": False, "first_name": "Sam", "language_code": "en"},
        "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def test_an_update_re_sent_to_another_process_is_handled_once(settings, fake_bot_api, clock, seeded):
    """Scale-out: two bot processes behind a load balancer, one database; Telegram re-sends an
    update (no 2xx seen in time) and the balancer gives it to the other process."""
    settings = settings.model_copy(update={"webhook_url": "https://bot.example.test/telegram/hook"})
    apps = [build_app(settings, make_bot(fake_bot_api), clock=clock) for _ in range(2)]
    fake_bot_api.add_user(SAM)
    try:
        for app in apps:
            await app.accept_web.start()
        secret = (await fake_bot_api.wait_for("setWebhook")).params["secret_token"]
        for app in apps + apps:
            async with aiohttp.ClientSession(app.accept_web.server.url) as http:
                async with http.post("/telegram/hook", json=_start_update(7), headers={HEADER: secret}) as r:
                    assert r.status == 200
        for app in apps:
            await app.accept_web.webhook.drain()
        assert len(fake_bot_api.calls_of("sendMessage", chat_id=SAM)) == 1

        def unreachable():
            raise ConnectionRefusedError("database down")
        apps[1].accept_web.webhook.uow = unreachable
        async with aiohttp.ClientSession(apps[1].accept_web.server.url) as http:
            async with http.post("/telegram/hook", json=_start_update(8), headers={HEADER: secret}) as r:
                assert r.status == 503  # not taken: Telegram sends it again later
        async with aiohttp.ClientSession(apps[0].accept_web.server.url) as http:
            async with http.post("/telegram/hook", json=_start_update(8), headers={HEADER: secret}) as r:
                assert r.status == 200
        await apps[0].accept_web.webhook.drain()
        assert len(fake_bot_api.calls_of("sendMessage", chat_id=SAM)) == 2
    finally:
        for app in apps:
            await app.close()


async def test_a_delivery_resumes_after_a_crash_without_sending_a_step_twice(
        settings, fake_bot_api, uow_factory, clock, seeded):
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)  # the worker is driven by hand
    fake_bot_api.add_user(ACME_TG)
    try:
        await _link(uow_factory, clock, seeded["acme"], ACME_TG, b"\x01" * 8)
        q = await _send(uow_factory, clock, seeded)
        async with uow_factory() as uow:  # as if the PDF went out and the process died right after
            d, = await uow.quotation_answers.due_deliveries(clock.now(), 10)
            d.step = 1
            await uow.commit()
        assert await app.accept_web.deliveries.drain_once() == 1
        assert fake_bot_api.calls_of("sendDocument") == []
        summary, = fake_bot_api.calls_of("sendMessage", chat_id=ACME_TG)
        assert q.number in summary.params["text"]
        assert await app.accept_web.deliveries.drain_once() == 0  # done: never sent again
        fake_bot_api.fail_next("sendDocument", error_code=502)
        await _send(uow_factory, clock, seeded)  # a server error: tried again later, not lost
        assert await app.accept_web.deliveries.drain_once() == 1
        async with uow_factory() as uow:
            d = await uow.quotation_answers.delivery(2)
        assert d.status is DeliveryStatus.QUEUED and d.attempts == 1 and d.next_attempt_at > clock.now()
        clock.advance(minutes=5)
        assert await app.accept_web.deliveries.drain_once() == 1
        assert len(fake_bot_api.calls_of("sendDocument")) == 2  # the failed try and the good one
        assert len(fake_bot_api.calls_of("sendMessage", chat_id=ACME_TG)) == 2
    finally:
        await app.close()


async def test_the_bots_http_server_also_serves_the_campaign_unsubscribe_pages(live, uow_factory, seeded):
    from domain.consent import Channel, unsubscribe_token
    acme = seeded["acme"]
    token = unsubscribe_token(SECRET.encode(), "customer", acme.id)
    async with aiohttp.ClientSession(_base(live)) as http:
        async with http.get(f"/unsubscribe/{token}") as page:
            assert page.status == 200 and "<form" in await page.text()
        async with http.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}) as done:
            assert done.status == 200
    async with uow_factory() as uow:
        assert await uow.consents.opted_out(Channel.EMAIL, [acme.email])


async def test_the_unsubscribe_pages_speak_the_contacts_language(live, uow_factory, seeded):
    from domain.consent import unsubscribe_token
    token = unsubscribe_token(SECRET.encode(), "customer", seeded["cafe"].id)  # a Dutch customer
    async with aiohttp.ClientSession(_base(live)) as http:
        async with http.get(f"/unsubscribe/{token}", headers={"Accept-Language": "en"}) as page:
            assert "Geen campagne-e-mails meer ontvangen op dit adres?" in await page.text()
        async with http.post(f"/unsubscribe/{token}") as done:
            assert "U ontvangt van ons geen campagne-e-mails meer" in await done.text()
        async with http.get("/unsubscribe/forged", headers={"Accept-Language": "nl-NL,nl;q=0.9"}) as page:
            assert page.status == 400 and "Deze afmeldlink is niet geldig" in await page.text()
