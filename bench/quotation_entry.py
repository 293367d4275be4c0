"""Whole-bot throughput: scripted quotation entry (start, customer, five lines, send) through the
real dispatcher, middlewares, services and a SQLite file, over loopback to the fake Bot API server;
in the same run, a bare aiogram echo bot on the same kind of server. Prints both and the ratio.

    python -m bench.quotation_entry [--users 40] [--echo-updates 2000]

Mail is queued in the outbox but not rendered: the outbox sender (PDF rendering, SMTP) runs
beside the chat in production and is not on the update path, so it is left out of this figure.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.echo_baseline import run_echo_baseline
from bench.meter import Meter, Throughput
from bot.app import build_app
from bot.settings import Settings
from bot.warmup import freeze_startup_heap
from domain.customer import Customer
from domain.item import Item
from domain.user import Role, User
from storage.migrate import upgrade
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.harness import make_bot, polling

FIRST_USER = 700_000
SCRIPT = ["/start", "/quote", "C-001", "A-100 2", "A-200 1", "B-300 5", "A-100 1", "C-400 3"]


async def seed(app, users: int) -> None:
    async with app.uow() as uow:
        for i in range(users):
            await uow.users.add(User(telegram_id=FIRST_USER + i, name=f"Rep {i}", role=Role.SALES))
        await uow.customers.add(Customer("C-001", "Acme Office BV", "buyer@acme.example"))
        for number, name, price in [("A-100", "Office chair", "149.95"), ("A-200", "Standing desk", "499"),
                                    ("B-300", "Sales handbook", "24.5"), ("C-400", "Desk lamp", "39.9")]:
            await uow.items.add(Item(number, name, "pcs", Decimal(price), Decimal("21"), Decimal("1000")))
        await uow.commit()


async def conversation(fake: FakeBotAPI, user_id: int) -> int:
    """One salesperson's quotation entry; returns how many updates it sent."""
    for text in SCRIPT:
        fake.push_message(user_id, text)
        await fake.wait_for("sendMessage", chat_id=user_id, timeout=60)
    chat = fake.state.chats[user_id]
    message_id = max(chat.from_bot)
    send = next(b["callback_data"] for row in chat.messages[message_id]["reply_markup"]["inline_keyboard"]
                for b in row if b["text"] == "Send")
    fake.push_callback(user_id, message_id, send)
    await fake.wait_for("sendMessage", chat_id=user_id,
                        predicate=lambda c: "is sent to" in c.params["text"], timeout=60)
    return len(SCRIPT) + 1


async def run_whole_bot(users: int) -> Throughput:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        async with FakeBotAPI() as fake:
            settings = Settings(_env_file=None, database_url=url, telegram_api_url=fake.url,
                                outbox_dir=Path(tmp) / "outbox")
            app = build_app(settings, make_bot(fake))
            try:
                await seed(app, users)
                freeze_startup_heap()  # as `salesbot run` does once the app is assembled
                async with polling(app.dispatcher, app.bot, fake):
                    with Meter() as meter:
                        counts = await asyncio.gather(*(conversation(fake, FIRST_USER + i)
                                                        for i in range(users)))
            finally:
                await app.close()
    return meter.result(sum(counts))


async def main(users: int, echo_updates: int) -> None:
    echo = await run_echo_baseline(echo_updates)
    whole = await run_whole_bot(users)
    print(f"echo bot:  {echo.per_second:7.0f} updates/s, {echo.cpu_us_per_update:6.0f} us CPU each"
          f" ({echo_updates} updates)")
    print(f"whole bot: {whole.per_second:7.0f} updates/s, {whole.cpu_us_per_update:6.0f} us CPU each"
          f" ({users} salespeople x {len(SCRIPT) + 1} updates)")
    print(f"ratio:     {whole.per_second / echo.per_second:7.2f}  (target: at least 0.50)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--echo-updates", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.echo_updates))
