"""The server-side state of the fake Bot API and its synchronous methods.

``TelegramState`` knows chats, stored messages, uploaded files, callback
queries and bot commands, and implements each Bot API method as a function of
the decoded request.  HTTP, call recording, failure injection and long polling
live in :mod:`tests.fakes.bot_api`.
"""

from __future__ import annotations

import copy
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import telegram_objects as tg
from tests.fakes.telegram_html import HtmlParseError, parse_html, utf16_len
from tests.fakes.telegram_objects import ApiError, bad_request

Params = dict[str, Any]
Files = dict[str, tuple[str, bytes]]
Handler = Callable[[Params, Files, dict[str, Any]], Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
UPLOAD_LIMIT = 50 * 1024 * 1024
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class _Chat:
    info: dict[str, Any]
    next_message_id: int = 1  # private chats share one id sequence for both sides
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    from_bot: set[int] = field(default_factory=set)


def _formatted(params: Params, key: str, entities_key: str) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode like Telegram: HTML becomes plain text + entities."""
    raw = params.get(key) or ""
    if str(params.get("parse_mode") or "").lower() == "html":
        try:
            return parse_html(str(raw))
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    # Markdown modes are not modelled: the text is stored as sent.
    return str(raw), list(params.get(entities_key) or [])


def scope_key(scope: Any) -> int | str:
    """Chat id for BotCommandScopeChat, "default" for none/default, else the scope type."""
    if not isinstance(scope, dict) or scope.get("type", "default") == "default":
        return "default"
    if scope["type"] == "chat":
        return tg.as_chat_id(scope.get("chat_id")) or "default"
    extra = [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join([scope["type"], *extra])


class TelegramState:
    def __init__(self) -> None:
        self.chats: dict[int | str, _Chat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (filename, bytes)
        self.commands: dict[tuple[int | str, str], list[dict[str, Any]]] = {}
        self.callback_chats: dict[str, int | str] = {}  # query id -> chat id of its message
        self.answered: set[str] = set()
        self.webhook_url = ""
        self._seq = 0
        self.handlers: dict[str, Handler] = {
            "getMe": lambda p, f, bot: bot,
            "logOut": lambda p, f, bot: True,
            "close": lambda p, f, bot: True,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda p, f, bot: {
                "url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0,
            },
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": lambda p, f, bot: self.commands_for(
                scope_key(p.get("scope")), p.get("language_code") or ""
            ),
            "sendMessage": self._send_message,
            "sendDocument": lambda p, f, bot: self._send_file("document", p, f, bot),
            "sendPhoto": lambda p, f, bot: self._send_file("photo", p, f, bot),
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "answerInlineQuery": self._answer_inline_query,
        }
        self.inline_queries: dict[str, int] = {}  # inline query id -> the user who typed it

    # -- chats and messages ------------------------------------------------------------
    def register_user(self, person: dict[str, Any]) -> _Chat:
        self.users[person["id"]] = person
        chat = self.chats.setdefault(person["id"], _Chat(tg.private_chat(person)))
        chat.info = tg.private_chat(person)
        return chat

    def chat(self, chat_id: Any) -> _Chat:
        chat = self.chats.get(tg.as_chat_id(chat_id) or 0)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def store(self, chat: _Chat, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        msg = tg.message(chat.next_message_id, chat.info, sender, **content)
        chat.next_message_id += 1
        chat.messages[msg["message_id"]] = msg
        if sender.get("is_bot"):
            chat.from_bot.add(msg["message_id"])
        return msg

    def next_id(self, prefix: str) -> str:
        self._seq += 1
        return f"{prefix}{self._seq:08d}"

    def commands_for(self, key: int | str, language_code: str = "") -> list[dict[str, Any]]:
        return copy.deepcopy(self.commands.get((key, language_code), []))

    # -- methods ---------------------------------------------------------------------
    def _set_webhook(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        return True

    def _delete_webhook(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        self.webhook_url = ""  # drop_pending_updates is applied by the HTTP layer, which owns the queue
        return True

    def _set_my_commands(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not _COMMAND_NAME_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self.commands[key] = [dict(c) for c in commands]
        return True

    def _delete_my_commands(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        self.commands.pop((scope_key(params.get("scope")), params.get("language_code") or ""), None)
        return True

    def _reply_to(self, chat: _Chat, params: Params) -> dict[str, Any] | None:
        reply = params.get("reply_parameters") or {}
        target = chat.messages.get(reply.get("message_id") or params.get("reply_to_message_id") or 0)
        return {k: v for k, v in target.items() if k != "reply_to_message"} if target else None

    def _send_message(self, params: Params, files: Files, bot: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat(params.get("chat_id"))
        text, entities = _formatted(params, "text", "entities")
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:  # counted after entity parsing, like Telegram
            raise bad_request("message is too long")
        tg.check_reply_markup(params.get("reply_markup"))
        return self.store(
            chat, bot, text=text, entities=entities, reply_to_message=self._reply_to(chat, params),
            reply_markup=tg.inline_markup(params.get("reply_markup")),
        )

    def _send_file(self, kind: str, params: Params, files: Files, bot: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat(params.get("chat_id"))
        caption, entities = _formatted(params, "caption", "caption_entities")
        if utf16_len(caption) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        tg.check_reply_markup(params.get("reply_markup"))
        ref = params.get(kind)
        if kind in files:
            filename, data = files[kind]
        elif isinstance(ref, str) and ref in self.files:  # re-sending by file_id
            filename, data = self.files[ref]
        elif isinstance(ref, str) and ref.startswith(("http://", "https://")):
            filename, data = ref.rsplit("/", 1)[-1] or "file", b""
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if kind in files and not data:
            raise bad_request("file must be non-empty")
        if len(data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        file_id = self.next_id("BQACAgIAAxkDAAI" if kind == "document" else "AgACAgIAAxkDAAI")
        self.files[file_id] = (filename, data)
        ident = {"file_id": file_id, "file_unique_id": "AQAD" + file_id[-8:], "file_size": len(data)}
        media: Any
        if kind == "document":
            media = {**ident, "file_name": filename}
            if mime := mimetypes.guess_type(filename)[0]:
                media["mime_type"] = mime
        else:  # Telegram returns several sizes; one is enough for a bot
            media = [{**ident, "width": 320, "height": 320}]
        return self.store(
            chat, bot, caption=caption or None, caption_entities=entities,
            reply_markup=tg.inline_markup(params.get("reply_markup")), **{kind: media},
        )

    def _editable(self, params: Params) -> dict[str, Any]:
        chat = self.chat(params.get("chat_id"))
        msg = chat.messages.get(params.get("message_id") or 0)
        if msg is None:
            raise bad_request("message to edit not found")
        if msg["message_id"] not in chat.from_bot:
            raise bad_request("message can't be edited")
        return msg

    def _apply_edit(self, msg: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        if all(msg.get(k) == v for k, v in changes.items()):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        for key, value in changes.items():
            if value is None:
                msg.pop(key, None)
            else:
                msg[key] = value
        msg["edit_date"] = tg.now()
        return copy.deepcopy(msg)

    def _edit_message_text(self, params: Params, files: Files, bot: dict[str, Any]) -> Any:
        text, entities = _formatted(params, "text", "entities")
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        tg.check_reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        msg = self._editable(params)
        if "text" not in msg:
            raise bad_request("there is no text in the message to edit")
        # Omitting reply_markup removes the inline keyboard, as on Telegram.
        markup = tg.inline_markup(params.get("reply_markup"))
        return self._apply_edit(msg, {"text": text, "entities": entities or None, "reply_markup": markup})

    def _edit_reply_markup(self, params: Params, files: Files, bot: dict[str, Any]) -> Any:
        tg.check_reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        msg = self._editable(params)
        return self._apply_edit(msg, {"reply_markup": tg.inline_markup(params.get("reply_markup"))})

    def _answer_callback_query(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        # A query can be answered once; later answers fail like expired ones.
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.callback_chats or query_id in self.answered:
            raise bad_request(_QUERY_INVALID)
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.answered.add(query_id)
        return True

    def _send_chat_action(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        self.chat(params.get("chat_id"))
        return True

    def _delete_message(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        chat = self.chat(params.get("chat_id"))
        if chat.messages.pop(params.get("message_id") or 0, None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_inline_query(self, params: Params, files: Files, bot: dict[str, Any]) -> bool:
        # Like answerCallbackQuery: once per query; results are checked as Telegram checks them.
        query_id = str(params.get("inline_query_id"))
        if query_id not in self.inline_queries or query_id in self.answered:
            raise bad_request(_QUERY_INVALID)
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH" if isinstance(results, list) else "results are invalid")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or not all(1 <= len(i.encode()) <= 64 for i in ids):
            raise bad_request("RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            if result.get("type") == "article" and not (result.get("title") and content.get("message_text")):
                raise bad_request("RESULT_INVALID")
        self.answered.add(query_id)
        return True
