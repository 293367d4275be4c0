"""A fake Telegram Bot API server for end-to-end tests.

aiogram's real ``AiohttpSession`` talks to it over loopback::

    fake = FakeBotAPI()
    await fake.start()
    bot = Bot("42:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))

Tests play the user with :meth:`FakeBotAPI.push_message` / :meth:`push_callback`
(delivered through ``getUpdates`` long polling) and check what the bot did with
:meth:`wait_for` / :meth:`calls_of`.  Method semantics and validation live in
:mod:`tests.fakes.telegram_state`.
"""

from __future__ import annotations

import asyncio
import copy
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes import telegram_objects as tg
from tests.fakes.telegram_objects import ApiError, Call
from tests.fakes.telegram_state import TelegramState

_TOKEN_RE = re.compile(r"(\d+):[A-Za-z0-9_-]+")
_BLOCKABLE = ("send", "edit", "copy", "forward")
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)


class _Signal:
    """Wakes every current waiter; waiters re-check their condition afterwards."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        event = self._event
        try:
            async with asyncio.timeout(max(timeout, 0)):
                await event.wait()
        except TimeoutError:
            pass


@dataclass
class _Failure:
    method: str
    chat_id: int | str | None
    error: ApiError
    times: int


class FakeBotAPI:
    def __init__(self) -> None:
        self.url = ""
        self.calls: list[Call] = []
        self.state = TelegramState()
        self._by_method: dict[str, list[int]] = defaultdict(list)  # method -> indexes into calls
        # (method, chat id) -> indexes, so a waiter for one chat does not rescan every call
        self._by_chat: dict[tuple[str, Any], list[int]] = defaultdict(list)
        # A waiter for one chat wakes only when that chat gets a call, not on every call.
        self._chat_signals: dict[str, _Signal] = defaultdict(_Signal)
        self._consumed: set[int] = set()  # calls already returned by wait_for
        self._calls_signal = _Signal()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 10_000
        self._updates_signal = _Signal()
        self._poll_generation = 0
        self._failures: list[_Failure] = []
        self._blocked: set[int | str] = set()
        self._lowercase = {name.lower(): name for name in [*self.state.handlers, "getUpdates"]}
        self._runner: web.AppRunner | None = None
        self._closing = False

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        # handler_cancellation: a long poll whose client went away (stop_polling) ends at once.
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        self._closing = True
        self._updates_signal.notify()  # release pending long polls before shutting down
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- simulating users ------------------------------------------------------------
    def add_user(self, user_id: int, *, first_name: str = "Ann", language_code: str = "en",
                 username: str | None = None) -> None:
        """Make a private chat known (as if the user had started the bot) without a message."""
        self.state.register_user(tg.user(user_id, first_name, username=username, language_code=language_code))

    def push_message(self, user_id: int, text: str, *, first_name: str = "Ann", language_code: str = "en",
                     username: str | None = None) -> int:
        """Queue a private-chat text message from the user; returns its update_id."""
        person = tg.user(user_id, first_name, username=username, language_code=language_code)
        chat = self.state.register_user(person)
        msg = self.state.store(chat, person, text=text, entities=tg.command_entities(text))
        return self._enqueue({"message": copy.deepcopy(msg)})

    def push_callback(self, user_id: int, message_id: int, data: str, *, language_code: str = "en",
                      check_button: bool = True) -> int:
        """Queue a press on an inline button of the bot's message ``message_id``; returns update_id.

        A user can only press buttons that are shown, so by default ``data`` must be the
        callback_data of a button the message currently has (``check_button=False`` forges one).
        """
        chat = self.state.chats.get(user_id)
        msg = chat.messages.get(message_id) if chat else None
        if chat is None or msg is None or message_id not in chat.from_bot:
            known = sorted(chat.from_bot.intersection(chat.messages)) if chat else []
            raise AssertionError(f"no bot message {message_id} in chat {user_id}; bot message ids: {known}")
        rows = msg.get("reply_markup", {}).get("inline_keyboard", [])
        shown = [button.get("callback_data") for row in rows for button in row]
        if check_button and data not in shown:
            raise AssertionError(f"message {message_id} has no button with callback_data {data!r}; has {shown}")
        person = {**self.state.users.get(user_id, tg.user(user_id, "Ann")), "language_code": language_code}
        query_id = self.state.next_id(str(user_id))
        self.state.callback_chats[query_id] = user_id
        return self._enqueue({"callback_query": tg.callback_query(query_id, person, msg, data)})

    def push_inline_query(self, user_id: int, query: str, *, language_code: str = "en") -> str:
        """Queue an inline query (`@bot <query>` typed in any chat); returns the query id."""
        person = {**self.state.users.get(user_id, tg.user(user_id, "Ann")), "language_code": language_code}
        query_id = self.state.next_id("iq" + str(user_id))
        self.state.inline_queries[query_id] = user_id
        self._enqueue({"inline_query": {"id": query_id, "from": person, "query": query, "offset": "",
                                        "chat_type": "private"}})
        return query_id

    def choose_inline_result(self, user_id: int, result: dict[str, Any], *, bot_id: int = 42,
                             language_code: str = "en") -> int:
        """The user picks an inline result in the bot's chat: its message is sent as theirs, via the bot."""
        text = result["input_message_content"]["message_text"]
        update_id = self.push_message(user_id, text, language_code=language_code)
        self._updates[-1]["message"]["via_bot"] = tg.bot_user(bot_id)
        return update_id

    def last_bot_message(self, chat_id: int | str) -> dict[str, Any]:
        """The newest undeleted message the bot sent to ``chat_id``, as stored: plain text + entities."""
        chat = self.state.chats.get(chat_id)
        ids = [i for i in chat.from_bot if i in chat.messages] if chat else []
        if chat is None or not ids:
            raise AssertionError(f"the bot has no message in chat {chat_id}")
        return copy.deepcopy(chat.messages[max(ids)])

    def stored_message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        chat = self.state.chats.get(chat_id)
        msg = chat.messages.get(message_id) if chat else None
        return copy.deepcopy(msg) if msg else None

    def commands_for(self, scope_key: int | str = "default", language_code: str = "") -> list[dict[str, Any]]:
        """Commands set by setMyCommands for a chat id (BotCommandScopeChat) or "default"."""
        return self.state.commands_for(scope_key, language_code)

    def sent_file(self, file_id: str) -> tuple[str, bytes]:
        """(filename, bytes) of a document/photo the bot uploaded, by the file_id it was given."""
        return self.state.files[file_id]

    def _enqueue(self, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **payload})
        self._updates_signal.notify()
        return update_id

    # -- failure injection -----------------------------------------------------------
    def fail_next(self, method: str, *, error_code: int, description: str | None = None,
                  retry_after: int | None = None, chat_id: int | str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` matching calls with a Telegram error (429: retry_after, default 1)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (f"Too Many Requests: retry after {retry_after}" if error_code == 429
                           else _DEFAULT_DESCRIPTIONS.get(error_code, "Error"))
        error = ApiError(error_code, description, retry_after=retry_after)
        self._failures.append(_Failure(method.lower(), chat_id, error, times))

    def block(self, chat_id: int | str) -> None:
        """The user blocked the bot: every send/edit to the chat answers 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int | str) -> None:
        self._blocked.discard(chat_id)

    def _injected_error(self, call: Call) -> ApiError | None:
        for failure in self._failures:
            if failure.method == call.method.lower() and failure.chat_id in (None, call.chat_id):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure.error
        if call.chat_id in self._blocked and call.method.startswith(_BLOCKABLE):
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return None

    # -- inspecting calls ------------------------------------------------------------
    def calls_of(self, method: str, *, chat_id: int | str | None = None) -> list[Call]:
        calls = (self.calls[i] for i in self._by_method.get(method, []))
        return [c for c in calls if chat_id is None or c.chat_id == chat_id]

    async def wait_for(self, method: str, *, chat_id: int | str | None = None,
                       predicate: Callable[[Call], bool] | None = None, timeout: float = 5.0) -> Call:
        """First matching call not yet returned by an earlier wait_for; waits up to ``timeout``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            candidates = (self._by_method.get(method, []) if chat_id is None
                          else self._by_chat.get((method, str(chat_id)), []))
            for index in candidates:
                call = self.calls[index]
                if (index not in self._consumed and (chat_id is None or call.chat_id == chat_id)
                        and (predicate is None or predicate(call))):
                    self._consumed.add(index)
                    return call
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                recent = [c for c in self.calls if c.method != "getUpdates"][-15:]
                listing = "\n  ".join(repr(c) for c in recent) or "(none)"
                where = f" for chat {chat_id}" if chat_id is not None else ""
                raise AssertionError(
                    f"no new {method} call{where} within {timeout}s; recent calls:\n  {listing}"
                )
            signal = self._calls_signal if chat_id is None else self._chat_signals[str(chat_id)]
            await signal.wait(remaining)

    async def wait_for_count(self, method: str, count: int, *, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls of ``method`` were recorded (ignores the wait_for cursor)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self._by_method.get(method, [])) < count:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                got = len(self._by_method.get(method, []))
                raise AssertionError(f"only {got} of {count} {method} calls within {timeout}s")
            await self._calls_signal.wait(remaining)
        return self.calls_of(method)

    def _record(self, call: Call) -> None:
        self._by_method[call.method].append(len(self.calls))
        if call.chat_id is not None:
            self._by_chat[(call.method, str(call.chat_id))].append(len(self.calls))
            self._chat_signals[str(call.chat_id)].notify()
        self.calls.append(call)
        self._calls_signal.notify()

    # -- HTTP ------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        token_match = _TOKEN_RE.fullmatch(request.match_info["token"])
        if token_match is None:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        params, files = await _read_params(request)
        method = self._lowercase.get(request.match_info["method"].lower(), request.match_info["method"])
        chat_id = tg.as_chat_id(params.get("chat_id"))
        if method == "answerCallbackQuery":
            chat_id = self.state.callback_chats.get(str(params.get("callback_query_id")))
        call = Call(method, params, files, chat_id)
        self._record(call)
        try:
            if method not in self._lowercase.values():
                raise ApiError(404, "Not Found: method not found")
            if error := self._injected_error(call):
                raise error
            if method == "getUpdates":
                result: Any = await self._get_updates(params)
            else:
                bot = tg.bot_user(int(token_match.group(1)))
                result = self.state.handlers[method](params, files, bot)
                if method == "deleteWebhook" and params.get("drop_pending_updates"):
                    self._updates.clear()
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.error_code)
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.state.webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset = int(params.get("offset") or 0)
        if offset > 0:  # confirm everything before offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:  # negative offset: only the last -offset updates survive
            self._updates = self._updates[offset:]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        allowed = set(params.get("allowed_updates") or [])
        # Like Telegram, a newer getUpdates terminates an older pending one with 409.
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()
        deadline = asyncio.get_running_loop().time() + float(params.get("timeout") or 0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _POLL_CONFLICT)
            batch = [u for u in self._updates if not allowed or allowed.intersection(u)][:limit]
            remaining = deadline - asyncio.get_running_loop().time()
            if batch or remaining <= 0 or self._closing:
                return batch
            await self._updates_signal.wait(remaining)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Decode query string, JSON or form/multipart fields; resolve ``attach://`` uploads."""
    params: dict[str, Any] = {k: tg.decode_field(k, v) for k, v in request.query.items()}
    uploads: dict[str, tuple[str, bytes]] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[key] = (value.filename, value.file.read())
                else:
                    params[key] = tg.decode_field(key, str(value))
    files: dict[str, tuple[str, bytes]] = {}
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in uploads:
            files[key] = uploads.pop(value[9:])
    files.update(uploads)  # parts referenced from inside JSON fields keep their own names
    return params, files
