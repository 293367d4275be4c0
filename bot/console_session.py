"""A Bot API session that talks to a console instead of Telegram (used by `salesbot demo`).

It sits one layer above HTTP, where aiogram's own tests put their mocked session: the handlers,
middlewares and the dispatcher run unchanged; only the requests they make are answered here.
Every answer is a correctly typed Telegram object, so aiogram cannot tell the difference.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (AnswerCallbackQuery, DeleteMyCommands, EditMessageReplyMarkup,
                             EditMessageText, GetMe, SendDocument, SendMessage, SendPhoto, SetMyCommands,
                             TelegramMethod)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, User

from bot.formatting import plain_text

DEMO_BOT = User(id=42, is_bot=True, first_name="Salesbot (demo)", username="salesbot_demo_bot")
DEMO_TOKEN = "42:OFFLINE-DEMO-NOT-A-TELEGRAM-TOKEN"  # Bot() needs a well-formed token; never sent


@dataclass
class Buttons:
    """The inline keyboard of one bot message, flattened so button N is rows read in order."""
    message: Message
    buttons: list[InlineKeyboardButton]


class ConsoleSession(BaseSession):
    def __init__(self, out: TextIO, files_dir: Path) -> None:
        super().__init__()
        self.out, self.files_dir = out, Path(files_dir)
        self._last_message_id = 0
        self.messages: dict[int, Message] = {}  # bot messages that carry buttons, by message id

    # --- what the console loop needs ---------------------------------------------------------
    def next_message_id(self) -> int:
        """One counter for both sides, as in a Telegram private chat."""
        self._last_message_id += 1
        return self._last_message_id

    def newest_buttons(self) -> Buttons | None:
        for message_id in sorted(self.messages, reverse=True):
            markup = self.messages[message_id].reply_markup
            if isinstance(markup, InlineKeyboardMarkup) and markup.inline_keyboard:
                return Buttons(self.messages[message_id],
                               [b for row in markup.inline_keyboard for b in row])
        return None

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # --- BaseSession ------------------------------------------------------------------------
    async def close(self) -> None:
        return None

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536,
                             raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError("the offline demo cannot download files")
        yield b""  # pragma: no cover - makes this an async generator like the base class

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:
        result: Any
        if isinstance(method, SendMessage):
            result = self._show(bot, self._new_message(bot, method.chat_id, method.text,
                                                       method.reply_markup))
        elif isinstance(method, EditMessageText):
            result = self._edit(bot, method.chat_id, method.message_id, text=method.text,
                                markup=method.reply_markup)
        elif isinstance(method, EditMessageReplyMarkup):
            result = self._edit(bot, method.chat_id, method.message_id, markup=method.reply_markup,
                                only_markup=True)
        elif isinstance(method, AnswerCallbackQuery):
            if method.text:
                self.say(("[alert] " if method.show_alert else "[notice] ") + method.text)
            result = True
        elif isinstance(method, SendDocument):
            result = await self._file(bot, method, method.document, "document.bin")
        elif isinstance(method, SendPhoto):  # a chart (/pipeline, campaign results): saved as a file
            result = await self._file(bot, method, method.photo, "photo.png")
        elif isinstance(method, GetMe):
            result = DEMO_BOT
        elif isinstance(method, (SetMyCommands, DeleteMyCommands)) or method.__returning__ is bool:
            result = True  # the command menu and other yes/no calls have nothing to show here
        else:
            raise NotImplementedError(f"the offline demo does not support {type(method).__name__}")
        return result

    # --- helpers ------------------------------------------------------------------------------
    def _new_message(self, bot: Bot, chat_id: int | str, text: str | None,
                     markup: Any = None, **extra: Any) -> Message:
        keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
        return Message(message_id=self.next_message_id(), date=datetime.now(timezone.utc),
                       chat=Chat(id=int(chat_id), type="private"), from_user=DEMO_BOT,
                       text=plain_text(text) if text is not None else None, reply_markup=keyboard,
                       **extra).as_(bot)

    def _show(self, bot: Bot, message: Message, prefix: str = "") -> Message:
        if message.text is not None:
            self.say()
            self.say(prefix + message.text)
        if message.reply_markup and message.reply_markup.inline_keyboard:
            self.messages[message.message_id] = message
            self._print_buttons(message.reply_markup)
        else:
            self.messages.pop(message.message_id, None)
        return message

    def _print_buttons(self, markup: InlineKeyboardMarkup) -> None:
        n = 0
        for row in markup.inline_keyboard:
            labels = []
            for button in row:
                n += 1
                labels.append(f"[{n}] {button.text}")
            self.say("  " + "  ".join(labels))

    def _edit(self, bot: Bot, chat_id: int | str | None, message_id: int | None, *,
              text: str | None = None, markup: Any = None, only_markup: bool = False) -> Message | bool:
        if message_id is None:  # an inline-mode message: not used by this bot
            return True
        keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
        old = self.messages.get(message_id)
        chat = old.chat.id if old is not None else int(chat_id or 0)
        if only_markup:
            if old is None and keyboard is None:
                return True  # taking buttons off a message we no longer show: nothing to do
            base = old or self._new_message(bot, chat, None)
            updated = base.model_copy(update={"reply_markup": keyboard, "message_id": message_id})
            if keyboard is not None:
                self.say("  (buttons updated)")
                self._print_buttons(keyboard)
                self.messages[message_id] = updated
            else:
                self.messages.pop(message_id, None)
            return updated.as_(bot)
        message = self._new_message(bot, chat, text, keyboard).model_copy(
            update={"message_id": message_id})
        return self._show(bot, message.as_(bot), prefix="(edited) ")

    async def _file(self, bot: Bot, method: SendDocument | SendPhoto, document: InputFile | str,
                    default_name: str) -> Message:
        if isinstance(document, InputFile):
            name = Path(document.filename or default_name).name
            data = b"".join([chunk async for chunk in document.read(bot)])
            self.files_dir.mkdir(parents=True, exist_ok=True)
            target = self.files_dir / name
            target.write_bytes(data)
            where = str(target)
        else:  # a file id or URL: nothing to save
            where = str(document)
        caption = plain_text(method.caption) if method.caption else ""
        self.say()
        self.say(f"[file] {where}" + (f" — {caption}" if caption else ""))
        return self._new_message(bot, method.chat_id, None, method.reply_markup, caption=caption or None)
