"""The process the outbox kill test starts (and kills with SIGKILL): sends the queued mail until none
is left.

    python -m tests.integration.outbox_kill_worker DATABASE_URL SMTP_PORT
"""
from __future__ import annotations

import asyncio
import sys

from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.documents.renderer import DocumentRenderer, company_header
from bot.mail import SmtpTransport
from bot.mail_composer import MailComposer
from bot.outbox_sender import OutboxSender
from bot.settings import Settings
from domain.outbox import MailStatus
from storage import tables as t
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

# A killed process's claims are taken over after this: short, so the test does not wait long.
LEASE_SECONDS = 0.5


async def main(url: str, port: int) -> None:
    engine = create_engine(url, "Europe/Amsterdam")
    uow = UnitOfWorkFactory(session_factory(engine))
    settings = Settings(_env_file=None, mail_from="Salesbot <sales@salesbot.test>")
    composer = MailComposer(settings, DocumentRenderer(company_header(settings), settings.currency))
    sender = OutboxSender(uow, SmtpTransport("127.0.0.1", port, timeout=5), composer, SystemClock("UTC"),
                          lease_seconds=LEASE_SECONDS)
    print("ready", flush=True)
    queued = select(func.count()).where(t.outbox_mails.c.status == MailStatus.QUEUED.value)
    while True:
        if not await sender.drain_once():
            async with uow() as u:
                if not await u.session.scalar(queued):
                    break
            await asyncio.sleep(0.05)  # rows still held by a killed process's lease
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
