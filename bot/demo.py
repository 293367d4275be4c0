"""`salesbot demo`: the real dispatcher in a console, with no Telegram, no token and no mail server.

Typed lines become Telegram updates from the demo salesperson and go through build_app's own
dispatcher (middlewares, routers, error handler); the bot's answers are printed by ConsoleSession.
Data lives in an SQLite file in the data dir; mails become .eml files in <data dir>/outbox/.
"""
from __future__ import annotations

import asyncio
import re
import shutil
import sys
import threading
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bot.app import App, build_app
from bot.console_session import DEMO_TOKEN, ConsoleSession
from bot.demo_data import DEMO_USER_ID, is_seeded, seed
from bot.mail import Delivery, DeliveryResult, EmlDirectoryTransport, MailTransport, OutgoingMail
from bot.settings import Settings
from storage.migrate import upgrade_async

DEFAULT_DATA_DIR = Path("demo-data")
MARKER = ".salesbot-demo"  # --reset only deletes a directory the demo made itself
QUIT = {"/quit", "/exit"}
CONTINUED = "\\"  # a line ending in a backslash: the message goes on on the next line
TAP = re.compile(r"#\s*(\d+)")  # "#2" taps button 2, wherever the conversation is
OUTBOX_SETTLE_SECONDS = 30
DEMO_TELEGRAM_USER = User(id=DEMO_USER_ID, is_bot=False, first_name="Demo", last_name="Sales",
                          language_code="en")


class DemoError(Exception):
    """The demo cannot start (e.g. --reset on a directory it did not create)."""


def demo_settings(data_dir: Path, env_file: str | None = ".env") -> Settings:
    """Settings as usual (env, .env) but with the demo's database and outbox, and never a real
    Telegram token, SMTP server or Redis."""
    return Settings(_env_file=env_file, database_url=f"sqlite+aiosqlite:///{data_dir / 'demo.db'}",
                    outbox_dir=data_dir / "outbox", bot_token=None, smtp_host=None, redis_url=None)


def prepare_data_dir(data_dir: Path, reset: bool) -> None:
    """Create the data dir; with reset, delete it first, but only if the demo made it: a typo
    such as `--data-dir .` must never wipe a directory full of someone's work."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DemoError(f"{data_dir} is a file, not a directory.")
    if reset and data_dir.exists():
        if any(data_dir.iterdir()) and not (data_dir / MARKER).exists():
            raise DemoError(f"{data_dir} was not made by `salesbot demo`; not deleting it.")
        shutil.rmtree(data_dir)
    if not data_dir.exists() or not any(data_dir.iterdir()):
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / MARKER).touch()


class AnnouncingTransport:
    """Writes .eml files like the normal offline transport, and tells the console about each."""

    def __init__(self, inner: MailTransport, console: ConsoleSession) -> None:
        self.inner, self.console = inner, console

    async def deliver(self, mail: OutgoingMail) -> Delivery:
        delivery = await self.inner.deliver(mail)
        if delivery.result is DeliveryResult.SENT:
            self.console.say(f"[mail] to {mail.to}: “{mail.subject}” saved as {delivery.detail}")
        else:
            self.console.say(f"[mail] to {mail.to} not delivered ({delivery.result}): {delivery.detail}")
        return delivery


def banner(settings: Settings, data_dir: Path) -> str:
    return "\n".join([
        "Salesbot offline demo: the real bot in your terminal, no Telegram needed.",
        "You are Demo Sales, a salesperson. Type what you would type in Telegram:",
        "  /start, /help, /quote, /quotes, /orders, /cancel.",
        "Buttons are shown as [1] [2] ...: type #1 to tap button 1 on the newest message",
        "that has buttons. A number alone taps too, unless the bot is waiting for something",
        "typed (a quantity, a number of days): then it is sent as text, as in Telegram.",
        "End a line with \\ to type the next line into the same message (/lead asks for several).",
        f"Mails are written as .eml files to {settings.outbox_dir}/ (nothing is sent).",
        f"Data: {data_dir / 'demo.db'} (start afresh with --reset). /quit or Ctrl-D ends the demo.",
    ])


class Console:
    """Turns console lines into updates and feeds them to the dispatcher, one at a time."""

    def __init__(self, app: App, session: ConsoleSession) -> None:
        self.app, self.session = app, session
        self.chat = Chat(id=DEMO_USER_ID, type="private")
        self._update_id = 0

    def _next_update_id(self) -> int:
        self._update_id += 1
        return self._update_id

    async def to_update(self, line: str) -> Update | None:
        tap = TAP.fullmatch(line)
        if tap is not None:
            return self._tap(int(tap.group(1)))
        if line.isdecimal():  # not isdigit: "²" is a digit that int() refuses
            if not await self._waiting_for_text():
                return self._tap(int(line))
            newest = self.session.newest_buttons()
            if newest is not None and 1 <= int(line) <= len(newest.buttons):
                self.session.say(f"(sent as text; type #{line} to tap button {line})")
        message = Message(message_id=self.session.next_message_id(), date=datetime.now(timezone.utc),
                          chat=self.chat, from_user=DEMO_TELEGRAM_USER, text=line)
        return Update(update_id=self._next_update_id(), message=message)

    async def _waiting_for_text(self) -> bool:
        """True while a conversation is in a step that reads typed text: there a number alone may be
        a quantity, and tapping a button instead (Deliver all, say) would do something else."""
        context = self.app.dispatcher.fsm.get_context(bot=self.app.bot, chat_id=self.chat.id,
                                                      user_id=DEMO_TELEGRAM_USER.id)
        return await context.get_state() is not None

    def _tap(self, n: int) -> Update | None:
        newest = self.session.newest_buttons()
        if newest is None:
            self.session.say("(no buttons to tap; type a command such as /help)")
            return None
        if not 1 <= n <= len(newest.buttons):
            self.session.say(f"(there is no button {n}; choose 1 to {len(newest.buttons)})")
            return None
        button = newest.buttons[n - 1]
        if button.callback_data is None:
            self.session.say(f"(button {n} is a link, which the demo cannot open)")
            return None
        self.session.say(f"(you tap “{button.text}”)")
        query = CallbackQuery(id=str(self._update_id + 1), from_user=DEMO_TELEGRAM_USER,
                              chat_instance="demo", message=newest.message, data=button.callback_data)
        return Update(update_id=self._next_update_id(), callback_query=query)

    async def feed(self, line: str) -> None:
        update = await self.to_update(line)
        if update is not None:
            await self.app.dispatcher.feed_update(self.app.bot, update)
            await self.settle_outbox()

    async def settle_outbox(self) -> None:
        """Wait while mail is due, so '[mail] ... saved' prints before the next prompt."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + OUTBOX_SETTLE_SECONDS
        while loop.time() < deadline:
            async with self.app.uow() as uow:
                if not await uow.outbox.due(self.app.clock.now(), 1):
                    return
            await asyncio.sleep(0.05)


async def stdin_lines() -> AsyncIterator[str]:
    """Lines from stdin, read by a daemon thread: the event loop keeps running (the outbox sender
    works meanwhile) and Ctrl-C does not wait for a blocked read to finish."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            for raw in sys.stdin:
                loop.call_soon_threadsafe(queue.put_nowait, raw.rstrip("\r\n"))
            loop.call_soon_threadsafe(queue.put_nowait, None)
        except RuntimeError:  # the loop closed while we were still reading: the demo is over
            pass

    threading.Thread(target=read, name="demo-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


async def _aiter(lines: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    if isinstance(lines, AsyncIterable):
        async for line in lines:
            yield line
    else:
        for line in lines:  # pulled lazily: a test's generator may look at the output so far
            yield line


async def run_console(lines: Iterable[str] | AsyncIterable[str], out: TextIO, data_dir: Path,
                      *, reset: bool = False, echo: bool = True, env_file: str | None = ".env") -> None:
    """The whole demo: `lines` are what the user types, `out` gets what a terminal would show."""
    prepare_data_dir(data_dir, reset)
    settings = demo_settings(data_dir, env_file)
    await upgrade_async(settings.database_url)
    session = ConsoleSession(out, files_dir=settings.outbox_dir)
    bot = Bot(token=DEMO_TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    app = build_app(settings, bot, transport=AnnouncingTransport(
        EmlDirectoryTransport(settings.outbox_dir), session))
    try:
        if not await is_seeded(app.uow()):
            await seed(app.uow, app.clock)
        session.say(banner(settings, data_dir))
        await app.expiry_job.run()  # once now; the scheduler is not started in the demo
        app.outbox.start()
        console = Console(app, session)
        async for line in _prompted(_aiter(lines), out, echo):
            if line.strip().lower() in QUIT:
                break
            if line.strip():
                await console.feed(line.strip())
        session.say("\nBye. Your data stays in " + str(data_dir) + ".")
    finally:
        await app.close()  # stops the outbox sender gracefully


async def _prompted(lines: AsyncIterator[str], out: TextIO, echo: bool) -> AsyncIterator[str]:
    """One message per line typed; a line ending in a backslash goes on on the next line (Telegram
    sends several lines as one message: /lead and /newcampaign ask for that)."""
    parts: list[str] = []
    while True:
        out.write("... " if parts else "\n> ")
        out.flush()
        try:
            line = await anext(lines)
        except StopAsyncIteration:
            out.write("\n")
            return
        if echo:  # a terminal already shows what was typed; a pipe or a script does not
            out.write(line + "\n")
        if line.endswith(CONTINUED):
            parts.append(line[:-len(CONTINUED)])
            continue
        yield "\n".join([*parts, line])
        parts = []


def run_demo(data_dir: Path = DEFAULT_DATA_DIR, reset: bool = False) -> None:
    """Entry point for the CLI: stdin and stdout."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a console without UTF-8 still shows the rest
    asyncio.run(run_console(stdin_lines(), sys.stdout, data_dir, reset=reset,
                            echo=not sys.stdin.isatty()))
