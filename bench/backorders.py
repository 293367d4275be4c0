"""Backorder views and allocation over a million sales order lines, against hand-written SQL.

    python -m bench.backorders [--lines 1000000] [--repeat 3]

Builds the schema with the migrations, generates 10 000 customers, 5 000 items, 200 000 sales
orders of 5 lines (about 5% of the orders still open, 1% canceled, the rest delivered) and 10 000
purchase order lines (executemany on SQLite, COPY on PostgreSQL; not timed). Then, in the same run
on the same data, times the bot's repository (SQLAlchemy, the code the chat runs) and two
hand-written queries with the same result: a plain scan (`quantity - delivered > 0`, which no index
answers) and the best one (`delivered < quantity`, the partial index of the open lines). The
allocation of one item runs the chat's own services, preview_allocation and commit_allocation,
against a window-function query (for the commit an UPDATE ... FROM it that, like the bot, writes
only the lines whose allocation changed, and commits); 50 items run the same repository read and
domain rule. Each figure
is the best of at least --repeat runs, the bot's and the hand-written
queries interleaved. PostgreSQL too when SALESBOT_BENCH_POSTGRES_URL is set (its schema
is dropped and rebuilt).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from domain.backorder import allocate
from domain.services import backorders as service
from domain.user import Role, User
from storage.database import create_engine
from storage.mapping import start_mappers
from storage.migrate import upgrade
from storage.uow import UnitOfWorkFactory
from storage.database import session_factory

CUSTOMERS, ITEMS, SALESPEOPLE, VENDORS, PO_LINES = 10_000, 5_000, 20, 200, 10_000
LINES_PER_ORDER = 5
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)

OPEN = "l.delivered < l.quantity"        # the partial index's own condition
SCAN = "l.quantity - l.delivered > 0"    # the same lines, but no index says so
ORDERS = "o.status <> 'canceled' AND o.order_type = 'sales_order'"
BY_ITEM = """
SELECT i.id, i.item_number, b.orders, b.remainder, COALESCE(p.missing, 0) AS missing
FROM (SELECT l.item_id, COUNT(DISTINCT l.sales_order_id) AS orders, SUM(l.quantity - l.delivered) AS remainder
      FROM sales_order_lines l JOIN sales_orders o ON o.id = l.sales_order_id
      WHERE {open} AND {orders} GROUP BY l.item_id) b
JOIN items i ON i.id = b.item_id
LEFT JOIN (SELECT item_id, SUM(quantity - received) AS missing FROM purchase_orders
           WHERE received < quantity GROUP BY item_id) p ON p.item_id = b.item_id
ORDER BY b.remainder - i.on_hand - COALESCE(p.missing, 0) DESC, i.item_number LIMIT 20"""
BY_CUSTOMER = """
SELECT c.id, c.name, b.orders, b.lines, b.remainder
FROM (SELECT o.customer_id, COUNT(*) AS orders, SUM(po.lines) AS lines, SUM(po.remainder) AS remainder
      FROM (SELECT l.sales_order_id, COUNT(*) AS lines, SUM(l.quantity - l.delivered) AS remainder
            FROM sales_order_lines l WHERE {open} GROUP BY l.sales_order_id) po
      JOIN sales_orders o ON o.id = po.sales_order_id
      WHERE {orders} GROUP BY o.customer_id) b
JOIN customers c ON c.id = b.customer_id ORDER BY b.lines DESC, c.account_number LIMIT 20"""
ITEM_LINES = """
SELECT l.id, o.number, l.line_number, l.quantity - l.delivered AS remainder, l.priority,
       l.confirmed_delivery_date, l.allocated
FROM sales_order_lines l JOIN sales_orders o ON o.id = l.sales_order_id
WHERE l.item_id = {item} AND {open} AND {orders}
ORDER BY l.priority DESC, o.created_at, o.number, l.line_number"""
# What the preview shows of each line (order, line, quantity of remainder), allocated in SQL.
ALLOCATE = """
SELECT x.id, x.number, x.line_number, x.rem, CASE WHEN x.on_hand - (x.run - x.rem) <= 0 THEN 0
                  WHEN x.on_hand - (x.run - x.rem) >= x.rem THEN x.rem
                  ELSE x.on_hand - (x.run - x.rem) END AS allocated
FROM (SELECT l.id, o.number, l.line_number, l.item_id, i.on_hand, l.quantity - l.delivered AS rem,
             SUM(l.quantity - l.delivered) OVER (PARTITION BY l.item_id ORDER BY l.priority DESC,
                 o.created_at, o.number, l.line_number ROWS UNBOUNDED PRECEDING) AS run
      FROM sales_order_lines l JOIN sales_orders o ON o.id = l.sales_order_id
      JOIN items i ON i.id = l.item_id
      WHERE {where} AND {open} AND {orders}) x"""
COMMIT = """
UPDATE sales_order_lines SET allocated = x.allocated FROM ({allocate}) x WHERE sales_order_lines.id = x.id
  AND sales_order_lines.allocated <> x.allocated"""
BY_VENDOR = """
SELECT v.id, v.account, COUNT(*), SUM(p.quantity - p.received), MIN(p.expected_date)
FROM purchase_orders p JOIN vendors v ON v.id = p.vendor_id WHERE p.received < p.quantity
GROUP BY v.id, v.account, v.name ORDER BY MIN(p.expected_date), v.account LIMIT 20"""


def generate(lines: int, seed: int = 7):
    """Rows for every table, as tuples in column order (quantities scaled by 1000 as stored)."""
    rnd = random.Random(seed)
    users = [(n, 900_000 + n, f"Sales {n}", "sales", "", None) for n in range(1, SALESPEOPLE + 1)]
    customers = [(n, f"C-{n:05d}", f"Customer {n}", f"c{n}@example.com", "en", "") for n in range(1, CUSTOMERS + 1)]
    items = [(n, f"I-{n:05d}", f"Item {n}", "pcs", 10_0000, 21_0000, rnd.randrange(0, 200) * 1000, "", 1)
             for n in range(1, ITEMS + 1)]
    orders, order_lines = [], []
    line_id = 0
    for o in range(1, lines // LINES_PER_ORDER + 1):
        customer = rnd.randrange(1, CUSTOMERS + 1)
        r = rnd.random()
        status = "open_order" if r < 0.05 else "canceled" if r < 0.06 else "invoiced"
        created = T0 + timedelta(minutes=o)
        orders.append((o, f"SO-{o:07d}", "sales_order", customer, customer % SALESPEOPLE + 1, status, created,
                       None, None, 1))
        for n in range(1, LINES_PER_ORDER + 1):
            line_id += 1
            quantity = rnd.randrange(1, 50) * 1000
            delivered = (rnd.randrange(0, quantity // 1000) * 1000 if status == "open_order"
                         else 0 if status == "canceled" else quantity)
            order_lines.append((line_id, o, n, rnd.randrange(1, ITEMS + 1), "I", "Item", "pcs", quantity,
                                10_0000, 21_0000, delivered, delivered if status == "invoiced" else 0,
                                None, 0, rnd.choice((0, 0, 0, 1))))
    vendors = [(n, f"V-{n:03d}", f"Vendor {n}") for n in range(1, VENDORS + 1)]
    pos = []
    for n in range(1, PO_LINES + 1):
        quantity = rnd.randrange(10, 500) * 1000
        pos.append((n, f"PO-{n:06d}", rnd.randrange(1, VENDORS + 1), rnd.randrange(1, ITEMS + 1), "I",
                    quantity, date(2026, 12, 1) + timedelta(days=rnd.randrange(0, 90)),
                    rnd.choice((0, quantity // 2, quantity))))
    return {"users": users, "customers": customers, "items": items, "sales_orders": orders,
            "sales_order_lines": order_lines, "vendors": vendors, "purchase_orders": pos}


COLUMNS = {
    "users": "id, telegram_id, name, role, email, language",
    "customers": "id, account_number, name, email, language, customer_group",
    "items": "id, item_number, name, unit, sales_price, sales_tax_percent, on_hand, item_group, version",
    "sales_orders": "id, number, order_type, customer_id, salesperson_id, status, created_at, quotation_id, "
                    "canceled_at, version",
    "sales_order_lines": "id, sales_order_id, line_number, item_id, item_number, description, unit, quantity, "
                         "unit_price, tax_percent, delivered, invoiced, confirmed_delivery_date, allocated, priority",
    "vendors": "id, account, name",
    "purchase_orders": "id, number, vendor_id, item_id, item_number, quantity, expected_date, received",
}


def load_sqlite(path: Path, data) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    for table, rows in data.items():
        cols = COLUMNS[table]
        marks = ", ".join("?" * len(cols.split(",")))
        if table == "sales_orders":
            rows = [r[:6] + (r[6].strftime("%Y-%m-%d %H:%M:%S.%f"),) + r[7:] for r in rows]
        db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    db.commit()
    db.execute("ANALYZE")
    db.close()


async def load_postgres(url: str, data) -> None:
    import asyncpg
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for table, rows in data.items():
            await conn.copy_records_to_table(table, records=rows,
                                             columns=[c.strip() for c in COLUMNS[table].split(",")])
        await conn.execute("VACUUM ANALYZE")  # as autovacuum would: index-only scans need it
    finally:
        await conn.close()


async def timed(run: Callable[[], Awaitable]) -> tuple[float, object]:
    start = time.perf_counter()
    result = await run()
    return time.perf_counter() - start, result


async def measure(url: str, repeat: int, label: str) -> None:
    start_mappers()
    engine = create_engine(url)
    uow = UnitOfWorkFactory(session_factory(engine))
    async with engine.connect() as conn:
        busiest = (await conn.exec_driver_sql(
            "SELECT l.item_id FROM sales_order_lines l WHERE l.delivered < l.quantity "
            "GROUP BY l.item_id ORDER BY COUNT(*) DESC LIMIT 1")).scalar()
        some_items = [r[0] for r in (await conn.exec_driver_sql(
            "SELECT id FROM items ORDER BY id LIMIT 50")).all()]

    async def hand(sql: str):
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql(sql)
            if not result.returns_rows:  # the allocation's UPDATE: committed, like the bot's
                await conn.commit()
                return result.rowcount
            return result.all()

    async def repo(call):
        async with uow() as u:
            return await call(u)

    manager = User(telegram_id=1, name="Bench", role=Role.MANAGER, id=1)

    async def allocate_items(item_ids):
        """What the preview does for one item (the service's own read), for several at once."""
        async with uow() as u:
            stock, lines = await u.backorders.allocation(item_ids)
            return [allocate(stock[i].on_hand, lines[i]) for i in item_ids]

    where_one, where_50 = f"l.item_id = {busiest}", f"l.item_id IN ({', '.join(map(str, some_items))})"
    cases = [
        ("by item (all items)", lambda: repo(lambda u: u.backorders.by_item(None, 20)),
         BY_ITEM, {}),
        ("by item (one salesperson)", lambda: repo(lambda u: u.backorders.by_item(3, 20)),
         BY_ITEM, {"orders": ORDERS + " AND o.salesperson_id = 3"}),
        ("by customer (all)", lambda: repo(lambda u: u.backorders.by_customer(None, 20)),
         BY_CUSTOMER, {}),
        ("by vendor", lambda: repo(lambda u: u.backorders.by_vendor(20)), BY_VENDOR, None),
        ("item detail lines", lambda: repo(lambda u: u.backorders.lines(None, item_ids=[busiest])),
         ITEM_LINES, {"item": busiest}),
        ("allocation preview, 1 item", lambda: service.preview_allocation(uow(), manager, busiest),
         ALLOCATE, {"where": where_one}),
        ("allocation commit, 1 item", lambda: service.commit_allocation(uow(), manager, busiest),
         COMMIT, {"allocate": ALLOCATE, "where": where_one}),
        ("allocation, 50 items", lambda: allocate_items(some_items), ALLOCATE, {"where": where_50}),
    ]
    print(f"\n{label}")
    print(f"{'view':28} {'bot':>9} {'plain scan':>11} {'best SQL':>9} {'bot/best':>9}  (goal: within 2x)")
    for name, bot_call, sql, params in cases:
        if params is None:  # purchase orders only: no sales order lines, one hand-written query
            plain_sql = best_sql = sql
        else:
            fill = {"orders": ORDERS, **params}
            if "allocate" in fill:  # the commit: its UPDATE wraps the allocation query
                plain_sql = sql.format(allocate=fill["allocate"].format(open=SCAN, **fill))
                best_sql = sql.format(allocate=fill["allocate"].format(open=OPEN, **fill))
            else:
                plain_sql, best_sql = sql.format(open=SCAN, **fill), sql.format(open=OPEN, **fill)
        # Interleaved, so the bot and the hand-written queries meet the same load on a shared
        # machine; small reads get more rounds (up to 50 or 2 s) for a stable minimum.
        bot_t, plain_t, best_t = [], [], []
        started = time.perf_counter()
        for n in range(50):
            bot_t.append((await timed(bot_call))[0])
            best_t.append((await timed(lambda: hand(best_sql)))[0])
            if n < repeat:
                plain_t.append((await timed(lambda: hand(plain_sql)))[0])
            if n + 1 >= repeat and time.perf_counter() - started > 2:
                break
        bot_time, plain_time = min(bot_t), min(plain_t)
        best_time = min(plain_time, min(best_t))
        print(f"{name:28} {bot_time * 1000:7.1f}ms {plain_time * 1000:9.1f}ms {best_time * 1000:7.1f}ms "
              f"{bot_time / best_time:8.2f}x{'' if bot_time <= 2 * best_time else '  OVER 2x'}")
    await engine.dispose()


async def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.lines)
    print(f"generated {len(data['sales_order_lines']):,} sales order lines, {len(data['sales_orders']):,} orders "
          f"in {time.perf_counter() - started:.1f}s (not counted)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        started = time.perf_counter()
        load_sqlite(path, data)
        print(f"SQLite loaded in {time.perf_counter() - started:.1f}s (not counted)")
        asyncio.run(measure(url, args.repeat, "SQLite"))
    pg = os.environ.get("SALESBOT_BENCH_POSTGRES_URL")
    if pg:
        asyncio.run(reset_postgres(pg))
        upgrade(pg)
        started = time.perf_counter()
        asyncio.run(load_postgres(pg, data))
        print(f"\nPostgreSQL loaded in {time.perf_counter() - started:.1f}s (not counted)")
        asyncio.run(measure(pg, args.repeat, "PostgreSQL"))


if __name__ == "__main__":
    main()
