"""FakeBotAPI against aiogram's real AiohttpSession and Dispatcher (fixtures: tests/fakes/fixtures.py)."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiogram import Bot, Dispatcher, F, html
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiohttp import ClientSession

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.fixtures import polling

pytestmark = pytest.mark.e2e

ANN = 1001
MENU = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Pick 1", callback_data="pick:1")]])


def echo_dispatcher(seen: list[object]) -> Dispatcher:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(f"Hello, {html.quote(message.from_user.first_name)}!")  # type: ignore[union-attr]

    @dp.message(Command("menu"))
    async def menu(message: Message) -> None:
        await message.answer("Choose:", reply_markup=MENU)

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"You said: <b>{html.quote(message.text or '')}</b>")

    @dp.callback_query(F.data.startswith("pick:"))
    async def pick(query: CallbackQuery) -> None:
        seen.append(query.message)
        await query.answer("Noted")
        await query.message.edit_text(f"Picked {query.data}")  # type: ignore[union-attr]

    return dp


async def test_echo_and_command_through_polling(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    async with polling(echo_dispatcher([]), fake_bot, fake_bot_api):
        fake_bot_api.push_message(ANN, "/start", first_name="Ann <3")
        greeting = await fake_bot_api.wait_for("sendMessage", chat_id=ANN)
        fake_bot_api.push_message(ANN, "a < b & c")
        echo = await fake_bot_api.wait_for("sendMessage", chat_id=ANN)

    assert greeting.params["text"] == "Hello, Ann &lt;3!"
    assert greeting.params["parse_mode"] == "HTML"  # from DefaultBotProperties
    assert echo.params["text"] == "You said: <b>a &lt; b &amp; c</b>"
    stored = fake_bot_api.last_bot_message(ANN)  # what Telegram keeps: plain text + entities
    assert stored["text"] == "You said: a < b & c"
    assert stored["entities"] == [{"type": "bold", "offset": 10, "length": 9}]
    # Message ids are one sequence per private chat, shared by user and bot messages.
    assert stored["message_id"] == 4


async def test_callback_press_is_answered_and_message_edited(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    seen: list[object] = []
    async with polling(echo_dispatcher(seen), fake_bot, fake_bot_api):
        fake_bot_api.push_message(ANN, "/menu")
        await fake_bot_api.wait_for("sendMessage", chat_id=ANN)
        menu = fake_bot_api.last_bot_message(ANN)
        fake_bot_api.push_callback(ANN, menu["message_id"], "pick:1")
        answer = await fake_bot_api.wait_for("answerCallbackQuery", chat_id=ANN)
        edit = await fake_bot_api.wait_for("editMessageText", chat_id=ANN)

    assert answer.params["text"] == "Noted"
    assert edit.params["message_id"] == menu["message_id"]
    shown = seen[0]
    assert isinstance(shown, Message) and shown.text == "Choose:"
    assert shown.reply_markup is not None  # aiogram saw the stored keyboard
    assert shown.reply_markup.model_dump() == MENU.model_dump()
    edited = fake_bot_api.last_bot_message(ANN)
    assert edited["text"] == "Picked pick:1"
    assert "reply_markup" not in edited  # editMessageText without markup drops the keyboard
    assert "edit_date" in edited


async def test_send_document_and_photo_upload_bytes(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    pdf = b"%PDF-1.4\n% fake invoice\n"
    sent = await fake_bot.send_document(
        ANN, BufferedInputFile(pdf, filename="INV-001.pdf"), caption="Invoice <b>INV-001</b>"
    )
    call = fake_bot_api.calls_of("sendDocument")[-1]
    assert call.files["document"] == ("INV-001.pdf", pdf)
    assert call.params["document"].startswith("attach://")
    assert sent.document is not None and sent.document.file_name == "INV-001.pdf"
    assert sent.document.mime_type == "application/pdf"
    assert sent.caption == "Invoice INV-001"
    assert fake_bot_api.sent_file(sent.document.file_id) == ("INV-001.pdf", pdf)

    photo = await fake_bot.send_photo(ANN, BufferedInputFile(b"\x89PNG...", filename="chart.png"))
    assert photo.photo and fake_bot_api.calls_of("sendPhoto")[-1].files["photo"] == ("chart.png", b"\x89PNG...")
    # Re-sending by file_id uploads nothing.
    await fake_bot.send_document(ANN, sent.document.file_id)
    assert fake_bot_api.calls_of("sendDocument")[-1].files == {}

    with pytest.raises(TelegramBadRequest, match="file must be non-empty"):
        await fake_bot.send_document(ANN, BufferedInputFile(b"", filename="empty.pdf"))


async def test_injected_429_and_403(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    fake_bot_api.fail_next("sendMessage", error_code=429, retry_after=17, chat_id=ANN)
    with pytest.raises(TelegramRetryAfter) as retry:
        await fake_bot.send_message(ANN, "hi")
    assert retry.value.retry_after == 17
    await fake_bot.send_message(ANN, "hi")  # only the next call failed

    fake_bot_api.fail_next("sendMessage", error_code=403, description="Forbidden: user is deactivated")
    with pytest.raises(TelegramForbiddenError, match="user is deactivated"):
        await fake_bot.send_message(ANN, "hi")

    fake_bot_api.block(ANN)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await fake_bot.send_chat_action(ANN, "typing")
    with pytest.raises(TelegramForbiddenError):
        await fake_bot.send_message(ANN, "still there?")
    assert len(fake_bot_api.calls_of("sendMessage", chat_id=ANN)) == 4  # failed attempts are recorded too


@pytest.mark.parametrize(
    "text",
    ["a < b", "<b>bold", "<b>x</i>", "</b>", "AT&T", "<script>x</script>", "<span>x</span>"],
)
async def test_html_telegram_would_refuse(fake_bot_api: FakeBotAPI, fake_bot: Bot, text: str) -> None:
    fake_bot_api.add_user(ANN)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await fake_bot.send_message(ANN, text)


async def test_html_telegram_accepts(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    text = ('<b>1</b> <i>2</i> <a href="https://x.example/?a=1&amp;b=2">3</a> &lt;4&gt; &#8364; 5 > 4 '
            '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>')
    sent = await fake_bot.send_message(ANN, text)
    assert sent.text == '1 2 3 <4> € 5 > 4 x = 1s'
    assert [e.type for e in sent.entities or []] == ["bold", "italic", "text_link", "pre", "spoiler"]
    assert sent.html_text.startswith("<b>1</b> <i>2</i>")  # aiogram can rebuild HTML from entities


async def test_message_validation(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await fake_bot.send_message(999, "hi")
    fake_bot_api.add_user(ANN)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await fake_bot.send_message(ANN, "")  # aiogram drops the empty field altogether
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await fake_bot.send_message(ANN, "x" * 4097)
    await fake_bot.send_message(ANN, "<b>" + "x" * 4096 + "</b>")  # limit counts text after parsing
    too_long_data = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="d" * 65)]])
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await fake_bot.send_message(ANN, "menu", reply_markup=too_long_data)


async def test_edits(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    sent = await fake_bot.send_message(ANN, "Choose:", reply_markup=MENU)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await fake_bot.edit_message_text(text="Choose:", chat_id=ANN, message_id=sent.message_id, reply_markup=MENU)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await fake_bot.edit_message_text(text="x", chat_id=ANN, message_id=sent.message_id + 5)
    edited = await fake_bot.edit_message_reply_markup(chat_id=ANN, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.reply_markup is None
    assert await fake_bot.delete_message(ANN, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await fake_bot.edit_message_text(text="x", chat_id=ANN, message_id=sent.message_id)


async def test_callback_query_can_be_answered_once(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    sent = await fake_bot.send_message(ANN, "Choose:", reply_markup=MENU)
    with pytest.raises(AssertionError, match="no button with callback_data 'pick:2'"):
        fake_bot_api.push_callback(ANN, sent.message_id, "pick:2")
    fake_bot_api.push_callback(ANN, sent.message_id, "pick:1")
    [update] = await fake_bot.get_updates(timeout=0)
    assert update.callback_query is not None and update.callback_query.message is not None
    assert update.callback_query.message.text == "Choose:"
    assert await fake_bot.answer_callback_query(update.callback_query.id)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await fake_bot.answer_callback_query(update.callback_query.id)


async def test_commands_by_scope(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    await fake_bot.set_my_commands([BotCommand(command="start", description="Start")])
    await fake_bot.set_my_commands(
        [BotCommand(command="invoice", description="New invoice")], scope=BotCommandScopeChat(chat_id=ANN)
    )
    assert fake_bot_api.commands_for("default") == [{"command": "start", "description": "Start"}]
    assert [c["command"] for c in fake_bot_api.commands_for(ANN)] == ["invoice"]
    assert [c.command for c in await fake_bot.get_my_commands(scope=BotCommandScopeChat(chat_id=ANN))] == ["invoice"]
    await fake_bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=ANN))
    assert fake_bot_api.commands_for(ANN) == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await fake_bot.set_my_commands([BotCommand(command="Start", description="x")])


async def test_long_polling_offsets_and_wakeup(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    first = fake_bot_api.push_message(ANN, "one")
    assert [u.update_id for u in await fake_bot.get_updates(offset=0, timeout=0)] == [first]
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiting = asyncio.create_task(fake_bot.get_updates(offset=first + 1, timeout=5))
    await asyncio.sleep(0.1)
    second = fake_bot_api.push_message(ANN, "two")
    assert [u.update_id for u in await waiting] == [second]  # woke on push, not after 5 s
    assert loop.time() - started < 2
    started = loop.time()
    assert await fake_bot.get_updates(offset=second + 1, timeout=1) == []
    assert loop.time() - started >= 0.9


async def test_raw_http_shapes(fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.add_user(ANN)
    async with ClientSession() as http:
        async with http.post(f"{fake_bot_api.url}/bot42:TEST/noSuchMethod") as resp:
            assert resp.status == 404
            assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        body = {"chat_id": ANN, "text": "123", "reply_markup": {"inline_keyboard": []}}
        async with http.post(f"{fake_bot_api.url}/bot42:TEST/sendMessage", json=body) as resp:
            assert (await resp.json())["result"]["text"] == "123"
        async with http.get(f"{fake_bot_api.url}/bot42:TEST/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 42
        fake_bot_api.fail_next("getMe", error_code=429, retry_after=3)
        async with http.get(f"{fake_bot_api.url}/bot42:TEST/getMe") as resp:
            assert resp.status == 429
            assert json.loads(await resp.text())["parameters"] == {"retry_after": 3}
    assert fake_bot_api.calls_of("sendMessage")[0].params["text"] == "123"  # JSON body kept as str


async def test_wait_for_cursor_and_timeout_message(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.add_user(ANN)
    await fake_bot.send_message(ANN, "first")
    await fake_bot.send_message(ANN, "second")
    assert (await fake_bot_api.wait_for("sendMessage")).params["text"] == "first"
    assert (await fake_bot_api.wait_for("sendMessage")).params["text"] == "second"
    with pytest.raises(AssertionError, match=r"no new sendMessage call for chat 1001 within 0.1s(.|\n)*second"):
        await fake_bot_api.wait_for("sendMessage", chat_id=ANN, timeout=0.1)


async def test_webhook_and_poll_conflicts(fake_bot_api: FakeBotAPI, fake_bot: Bot) -> None:
    fake_bot_api.push_message(ANN, "queued before restart")
    await fake_bot.set_webhook("https://bot.example/hook")
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await fake_bot.get_updates(timeout=0)
    await fake_bot.delete_webhook(drop_pending_updates=True)
    assert await fake_bot.get_updates(timeout=0) == []

    # A second poller terminates the pending long poll of the first, as Telegram does.
    older = asyncio.create_task(fake_bot.get_updates(timeout=5))
    await fake_bot_api.wait_for_count("getUpdates", 3)
    newer = asyncio.create_task(fake_bot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await older
    update_id = fake_bot_api.push_message(ANN, "after restart")
    assert [u.update_id for u in await newer] == [update_id]
