"""Telegram refusing a reply now and then (a 429, a tap answered too late, an edit of a deleted
message) while a user is served: the reply still arrives, the work done stands, and nobody is told
"something went wrong" (bot/telegram_hiccups.py)."""
from __future__ import annotations

import asyncio

import pytest

from domain.quotation import QuotationStatus
from domain.services import quotations

SAM = 1001
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
GONE = "Bad Request: message to edit not found"


def _sent_to(running) -> list[str]:
    return [c.params["text"] for c in running.fake.calls_of("sendMessage", chat_id=SAM)]


async def _draft(chat) -> None:
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("B-300 10")


async def _opened(chat) -> None:
    await _draft(chat)
    await chat.tap("Send")
    await chat.reply()
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_arrives(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    running.fake.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=SAM)
    assert "B-300" in await chat.say("B-300 10")  # the draft with its new line, after the wait
    assert not [t for t in _sent_to(running) if "went wrong" in t]


async def test_a_429_on_the_answer_to_a_tap_does_not_lose_the_confirmation(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _draft(chat)
    running.fake.fail_next("answerCallbackQuery", error_code=429, retry_after=1)
    await chat.tap("Send")
    assert "is sent to" in await chat.reply()
    assert not [t for t in _sent_to(running) if "went wrong" in t]


@pytest.mark.parametrize("method, description", [("answerCallbackQuery", TOO_OLD),
                                                 ("editMessageReplyMarkup", GONE)],
                         ids=["tap answered too late", "message deleted"])
async def test_confirm_still_says_what_it_did_when_its_tap_or_its_message_is_gone(
        running, uow_factory, seeded, method, description):
    chat = running.chat(SAM)
    await _opened(chat)
    running.fake.fail_next(method, error_code=400, description=description)
    message_id, data = chat.button_data("Confirm")
    running.fake.push_callback(SAM, message_id, data)
    assert "SO-000001" in await chat.reply()
    await asyncio.sleep(0.2)
    assert not [t for t in _sent_to(running) if "went wrong" in t]
    assert (await quotations.get_quotation(uow_factory(), seeded["sales"], 1)).status is QuotationStatus.CONFIRMED


async def test_a_429_on_a_pdf_is_waited_out(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _draft(chat)
    await chat.tap("Send")
    await chat.reply()
    running.fake.fail_next("sendDocument", error_code=429, retry_after=1)
    await chat.tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM, timeout=5)
    assert upload.files["document"][0] == "Q-000001.pdf"
