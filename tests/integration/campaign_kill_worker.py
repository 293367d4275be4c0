"""The process the kill test starts (and kills with SIGKILL): sends due campaign rows until done.

    python -m tests.integration.campaign_kill_worker DATABASE_URL SMTP_PORT
"""
from __future__ import annotations

import asyncio
import sys

from sqlalchemy import func, select

from bot.clock import SystemClock
from storage import tables as t
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.integration.campaign_helpers import sender

LEASE_SECONDS = 0.5
# Slow enough that the test's kills (0.01-0.35 s after start) land while the campaign is sending: unlimited,
# the 60 recipients are sent in less time than that.
RATE = 50


async def main(url: str, port: int) -> None:
    engine = create_engine(url)
    uow = UnitOfWorkFactory(session_factory(engine))
    s = sender(uow, SystemClock("UTC"), port, lease_seconds=LEASE_SECONDS, connections=2, batch=4,
               rate=RATE)
    print("ready", flush=True)
    r = t.campaign_recipients.c
    while True:
        await s.drain_once()
        async with uow() as u:
            open_rows = await u.session.scalar(select(func.count()).where(r.state.in_(["queued", "sending"])))
        if not open_rows:
            break
        await asyncio.sleep(0.05)
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
