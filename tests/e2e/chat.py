"""A salesperson's side of the conversation, played through the fake Bot API server."""
from __future__ import annotations

from typing import Any

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.telegram_objects import Call


class Chat:
    def __init__(self, fake: FakeBotAPI, user_id: int, language_code: str = "en") -> None:
        self.fake, self.user_id, self.language_code = fake, user_id, language_code

    async def say(self, text: str) -> str:
        """Send a message; return the text of the bot's next message to this chat."""
        self.fake.push_message(self.user_id, text, language_code=self.language_code)
        return await self.reply()

    async def reply(self, timeout: float = 5) -> str:
        call = await self.fake.wait_for("sendMessage", chat_id=self.user_id, timeout=timeout)
        return call.params["text"]

    def _find_button(self, label: str) -> tuple[int, str]:
        chat = self.fake.state.chats[self.user_id]
        for message_id in sorted(chat.from_bot, reverse=True):
            message = chat.messages.get(message_id) or {}
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if label in button["text"]:
                        return message_id, button["callback_data"]
        raise AssertionError(f"no button {label!r} in chat {self.user_id}")

    def buttons(self) -> list[str]:
        """Labels of the buttons on the newest bot message that has any."""
        chat = self.fake.state.chats[self.user_id]
        for message_id in sorted(chat.from_bot, reverse=True):
            rows = (chat.messages.get(message_id) or {}).get("reply_markup", {}).get("inline_keyboard", [])
            if rows:
                return [b["text"] for row in rows for b in row]
        return []

    async def tap(self, label: str) -> Call:
        """Tap the newest button whose label contains `label`; return Telegram's answerCallbackQuery."""
        message_id, data = self._find_button(label)
        return await self.tap_data(message_id, data)

    async def tap_data(self, message_id: int, data: str, check_button: bool = True) -> Call:
        self.fake.push_callback(self.user_id, message_id, data, language_code=self.language_code,
                                check_button=check_button)
        return await self.fake.wait_for("answerCallbackQuery", timeout=5)

    def button_data(self, label: str) -> tuple[int, str]:
        return self._find_button(label)

    @staticmethod
    def alert(call: Call) -> Any:
        return call.params.get("text")
