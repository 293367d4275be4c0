"""The whole bot against a fake Bot API server, a real SMTP server on loopback and a real database."""
from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from tests.e2e.chat import Chat
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.harness import make_bot, polling
from tests.fakes.smtp import SmtpSink


@dataclass
class Running:
    app: App
    fake: FakeBotAPI
    smtp: SmtpSink

    def chat(self, user_id: int, language_code: str = "en") -> Chat:
        return Chat(self.fake, user_id, language_code)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def settings(database_url, smtp_sink, fake_bot_api, tmp_path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, smtp_host="127.0.0.1",
                    smtp_port=smtp_sink.port, telegram_api_url=fake_bot_api.url,
                    outbox_dir=tmp_path / "outbox", outbox_poll_seconds=0.2,
                    mail_from="Salesbot Demo <sales@salesbot.test>")


@pytest.fixture
async def running(settings, fake_bot_api, smtp_sink, clock, seeded) -> AsyncIterator[Running]:
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)
    # The scheduler is not started here: tests run the expiry job directly with a frozen clock.
    app.outbox.start()
    try:
        async with polling(app.dispatcher, app.bot, fake_bot_api):
            yield Running(app, fake_bot_api, smtp_sink)
    finally:
        await app.close()


async def wait_for_mail(sink: SmtpSink, count: int, timeout: float = 10):
    """The first `count` mails the SMTP server received, waiting for them to arrive."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(sink.messages) < count:
        if loop.time() > deadline:
            raise AssertionError(f"only {len(sink.messages)} of {count} mails arrived")
        await asyncio.sleep(0.05)
    return sink.messages[:count]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def attachment(mail, suffix: str = ".pdf") -> tuple[str, bytes]:
    for part in mail.message.iter_attachments():
        if part.get_filename().endswith(suffix):
            return part.get_filename(), part.get_content()
    raise AssertionError("no attachment")
