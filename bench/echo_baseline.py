"""Baseline throughput: a bare aiogram echo bot polling the fake Bot API over loopback.

    python -m bench.echo_baseline        # from the repository root

The figure is the ceiling the real bot can reach on this machine with this fake
(aiogram + aiohttp client + fake server in one event loop), so the whole-bot run
should be read relative to it, not as an absolute Telegram throughput.
"""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher
from aiogram.types import Message

from bench.meter import Meter, Throughput
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.harness import make_bot, polling

FIRST_USER_ID = 500_000
USERS = 100  # spread updates over several private chats, as real traffic would be


def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return dp


async def run_echo_baseline(n_updates: int) -> Throughput:
    """Push ``n_updates`` messages at once; rate and CPU until every echo was sent."""
    async with FakeBotAPI() as fake:
        bot = make_bot(fake, parse_mode=None)
        try:
            async with polling(echo_dispatcher(), bot, fake):
                with Meter() as meter:
                    for i in range(n_updates):
                        fake.push_message(FIRST_USER_ID + i % USERS, f"message {i}")
                    await fake.wait_for_count("sendMessage", n_updates, timeout=max(30.0, n_updates / 20))
        finally:
            await bot.session.close()
    return meter.result(n_updates)


if __name__ == "__main__":
    N = 2000
    echo = asyncio.run(run_echo_baseline(N))
    print(f"echo baseline: {N} updates, {echo.per_second:.0f} updates/s, {echo.cpu_us_per_update:.0f} us CPU each")
