"""Plain-dict builders for the Telegram objects the fake Bot API hands out.

Everything here is JSON-shaped (dicts, lists, str, int, bool) exactly as the
Bot API serialises it, so aiogram validates it with its real pydantic models.
"""

from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

# Fields whose value is a plain string on the wire.  aiogram sends str values
# raw and JSON-encodes every other value, so only these must *not* be
# JSON-decoded (a message text "123" or "true" must stay a string).
STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "url", "action",
        "language_code", "inline_message_id", "secret_token", "ip_address",
        "business_connection_id", "message_effect_id", "emoji", "title",
        "description", "short_description", "name", "data",
    }
)
_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
        "copy_text", "callback_game", "pay",
    }
)
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


class ApiError(Exception):
    """A Telegram error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class Call:
    """One request the bot made, with form/JSON fields decoded to Python values."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field name -> (filename, bytes)
    chat_id: int | str | None = None

    def __repr__(self) -> str:
        shown = {k: (v if len(repr(v)) < 80 else repr(v)[:77] + "...") for k, v in self.params.items()}
        files = f", files={ {k: (n, len(b)) for k, (n, b) in self.files.items()} }" if self.files else ""
        return f"Call({self.method!r}, chat_id={self.chat_id!r}, params={shown}{files})"


def decode_field(name: str, raw: str) -> Any:
    """Decode one form field the way the Bot API does (JSON for non-string fields)."""
    if name in STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw  # e.g. chat_id="@channel", document="attach://x" or a file_id


def as_chat_id(value: Any) -> int | str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return int(value) if value.lstrip("-").isdigit() else value
    return None


def now() -> int:
    return int(time.time())


def user(user_id: int, first_name: str, *, username: str | None = None,
         language_code: str | None = None, is_bot: bool = False) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        obj["username"] = username
    if language_code:
        obj["language_code"] = language_code
    return obj


def bot_user(bot_id: int) -> dict[str, Any]:
    """getMe result; the fields beyond ``User`` are what Telegram returns for bots."""
    return {
        **user(bot_id, "Sales Bot", username=f"salesbot_{bot_id}_bot", is_bot=True),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def private_chat(person: dict[str, Any]) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": person["id"], "type": "private", "first_name": person["first_name"]}
    if "username" in person:
        chat["username"] = person["username"]
    return chat


def command_entities(text: str) -> list[dict[str, Any]]:
    """Telegram marks a leading ``/command`` (optionally ``@botname``) as bot_command."""
    m = _COMMAND_RE.match(text)
    return [{"type": "bot_command", "offset": 0, "length": m.end()}] if m else []


def message(message_id: int, chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
    """A Message dict; ``content`` holds text/entities/document/photo/reply_markup... (None dropped)."""
    obj: dict[str, Any] = {"message_id": message_id, "from": sender, "chat": chat, "date": now()}
    obj.update({k: v for k, v in content.items() if v is not None and v != []})
    return obj


def callback_query(query_id: str, sender: dict[str, Any], msg: dict[str, Any], data: str) -> dict[str, Any]:
    return {
        "id": query_id,
        "from": sender,
        "message": copy.deepcopy(msg),
        # Telegram's chat_instance is an opaque per-chat string; stable per chat is enough.
        "chat_instance": str(abs(hash(("chat", msg["chat"]["id"])))),
        "data": data,
    }


def inline_markup(markup: Any) -> dict[str, Any] | None:
    """Only inline keyboards are echoed back in the returned Message, as on Telegram."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


INLINE_BUTTONS_LIMIT = 100  # Telegram's limits on an inline keyboard, as bots meet them
INLINE_ROW_LIMIT = 8
MARKUP_BYTES_LIMIT = 10_000  # "reply markup is too long" beyond about 10 kB of JSON


def check_reply_markup(markup: Any) -> None:
    """Reject what Telegram rejects in inline keyboards (callback_data must be 1-64 bytes, at most
    100 buttons, 8 in a row, ~10 kB in all)."""
    if not isinstance(markup, dict):
        return
    rows = markup.get("inline_keyboard", [])
    if sum(len(row) for row in rows) > INLINE_BUTTONS_LIMIT or any(len(row) > INLINE_ROW_LIMIT for row in rows) \
            or len(json.dumps(markup, ensure_ascii=False).encode()) > MARKUP_BYTES_LIMIT:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if not _BUTTON_ACTIONS.intersection(button):
                raise bad_request("text buttons are unallowed in the inline keyboard")
