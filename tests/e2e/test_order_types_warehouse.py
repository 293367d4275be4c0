"""§4: with warehouse management on, the Subscription order type is refused (the seed)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from bot.settings import Settings
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderType
from domain.services import orders, quotations

SAM = 1001


@pytest.fixture
def settings(database_url, smtp_sink, fake_bot_api, tmp_path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, smtp_host="127.0.0.1",
                    smtp_port=smtp_sink.port, telegram_api_url=fake_bot_api.url,
                    outbox_dir=tmp_path / "outbox", outbox_poll_seconds=0.2,
                    mail_from="Salesbot Demo <sales@salesbot.test>", warehouse_management=True)


async def test_a_subscription_is_refused_at_confirm_and_at_change_and_nothing_changes(
        running, uow_factory, seeded, clock):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("2"))
    chat = running.chat(SAM)
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Other order type")
    await chat.reply()
    refused = await chat.tap("Subscription")
    assert "Subscriptions cannot be used while warehouse management is on" in chat.alert(refused)
    assert (await quotations.get_quotation(uow_factory(), sam, q.id)).status is not QuotationStatus.CONFIRMED
    assert await orders.open_orders(uow_factory(), sam) == []

    await chat.tap("Sales order")
    assert "SO-000001 is created" in await chat.reply()
    await chat.tap("Show sales order")
    await chat.reply()
    await chat.tap("Change type")
    await chat.reply()
    refused = await chat.tap("Subscription")
    assert "warehouse management is on" in chat.alert(refused)
    [order] = await orders.open_orders(uow_factory(), sam)
    assert order.order_type is SalesOrderType.SALES_ORDER and order.period_start is None
