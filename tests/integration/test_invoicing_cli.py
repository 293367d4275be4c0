"""`salesbot invoice month` and `salesbot import posting_profiles`, against a real SQLite file."""
from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

from bot.cli import main
from domain.services import orders, quotations
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.clock import AMSTERDAM, FrozenClock
from tests.integration.test_cli import CUSTOMERS, PRODUCTS, STOCK, USERS, db_url, lookup, write  # noqa: F401


def _october_slips(url: str) -> None:
    """Sam's two orders for Acme delivered in October, one for Café Hoogvliet too."""
    async def run() -> None:
        engine = create_engine(url)
        uow = UnitOfWorkFactory(session_factory(engine))
        clock = FrozenClock(datetime(2026, 10, 6, 10, 0, tzinfo=AMSTERDAM))
        try:
            async with uow() as u:
                sam = await u.users.by_telegram_id(1001)
                acme, cafe = await u.customers.by_account("C-001"), await u.customers.by_account("C-002")
                chair, book = await u.items.by_number("A-100"), await u.items.by_number("B-300")
            for customer, item in ((acme, chair), (acme, book), (cafe, book)):
                q = await quotations.start_quotation(uow(), clock, sam, customer.id)
                q = await quotations.add_line(uow(), sam, q.id, item.id, Decimal(2))
                q = await quotations.send_quotation(uow(), clock, sam, q.id)
                order = await quotations.confirm_quotation(uow(), clock, sam, q.id)
                await orders.deliver(uow(), clock, sam, order.id, {1: Decimal(2)})
        finally:
            await engine.dispose()
    asyncio.run(run())


def test_the_month_end_run_posts_one_invoice_per_customer(db_url, tmp_path, capsys):
    for kind, text in (("products", PRODUCTS), ("customers", CUSTOMERS), ("stock", STOCK), ("users", USERS)):
        assert main(["import", kind, write(tmp_path, f"{kind}.csv", text)]) == 0
    _october_slips(db_url)
    capsys.readouterr()
    assert main(["invoice", "month", "2026-10", "--customer", "C-001"]) == 0
    out = capsys.readouterr().out
    assert "INV-000001 C-001 Acme Office BV" in out and "1 invoice(s) posted, 0 not posted" in out
    assert main(["invoice", "month", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "INV-000002 C-002" in out and "C-001" not in out
    invoice = lookup(db_url, lambda uow: uow.invoices.get(1))
    assert len(invoice.lines) == 2 and invoice.sales_order_id is None
    assert main(["invoice", "month", "2026-10"]) == 1
    assert "Nothing to invoice for 2026-10" in capsys.readouterr().err
    assert main(["invoice", "month", "october"]) == 1
    assert "Type a month as year-month, e.g. 2026-10." in capsys.readouterr().err
    assert main(["invoice", "month", "2026-10", "--customer", "C-999"]) == 1
    assert "no customer with account number 'C-999'" in capsys.readouterr().err


def test_posting_profiles_are_imported_from_a_file(db_url, tmp_path, capsys):
    assert main(["import", "posting_profiles", write(tmp_path, "pp.csv", "code,summary_account\nEXPORT,1310\nGEN,1300\n")]) == 0
    assert capsys.readouterr().out.strip() == "posting_profiles: 1 created, 1 updated"
    assert lookup(db_url, lambda uow: uow.posting_profiles.get("EXPORT")).summary_account == "1310"
    assert main(["import", "posting_profiles", write(tmp_path, "bad.csv", "code,summary_account\nEU,debtors\n")]) == 1
    assert "line 2" in capsys.readouterr().err
