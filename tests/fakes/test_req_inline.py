"""The fake Bot API's inline mode (issue 4 §2): inline queries reach aiogram, answers are checked."""
from __future__ import annotations

import asyncio

import pytest
from aiogram import Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineQuery, InlineQueryResultArticle, InputTextMessageContent, Message

from tests.fakes.fixtures import polling

pytestmark = pytest.mark.e2e
ANN = 1001


async def _until(condition, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def _article(id_: str, text: str = "/request A-100") -> InlineQueryResultArticle:
    return InlineQueryResultArticle(id=id_, title="A-100 · Office chair",
                                    input_message_content=InputTextMessageContent(message_text=text))


async def test_an_inline_query_is_answered_once_and_a_chosen_result_arrives_via_the_bot(fake_bot_api, fake_bot):
    dp, seen, errors = Dispatcher(), [], []

    @dp.inline_query()
    async def answer(query: InlineQuery) -> None:
        seen.append(query.query)
        await query.answer([_article("i1")], cache_time=0, is_personal=True)
        try:
            await query.answer([], cache_time=0)
        except TelegramBadRequest as exc:
            errors.append(str(exc))

    @dp.message()
    async def message(message: Message) -> None:
        seen.append((message.text, message.via_bot.id if message.via_bot else None))

    async with polling(dp, fake_bot, fake_bot_api):
        fake_bot_api.push_inline_query(ANN, "chair")
        call = await fake_bot_api.wait_for("answerInlineQuery")
        assert call.params["results"][0]["input_message_content"]["message_text"] == "/request A-100"
        await fake_bot_api.wait_for("answerInlineQuery")  # the second answer
        fake_bot_api.choose_inline_result(ANN, call.params["results"][0])
        await _until(lambda: len(seen) == 2 and errors)
    assert seen == ["chair", ("/request A-100", 42)]
    assert errors and "query is too old" in errors[0]


async def test_results_with_duplicate_ids_are_refused(fake_bot_api, fake_bot):
    dp, errors = Dispatcher(), []

    @dp.inline_query()
    async def answer(query: InlineQuery) -> None:
        try:
            await query.answer([_article("same"), _article("same")])
        except TelegramBadRequest as exc:
            errors.append(str(exc))

    async with polling(dp, fake_bot, fake_bot_api):
        fake_bot_api.push_inline_query(ANN, "x")
        await _until(lambda: errors)
    assert "RESULT_ID_INVALID" in errors[0]
