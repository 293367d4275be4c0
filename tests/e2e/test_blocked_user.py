"""A salesperson who blocked the bot: nothing is lost, nothing crashes, and it recovers."""
from __future__ import annotations

import asyncio
import logging

from domain.services import quotations

SAM = 1001


async def test_a_blocked_chat_loses_no_data_and_the_bot_answers_again_once_unblocked(
        running, uow_factory, seeded, caplog):
    chat = running.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    running.fake.block(SAM)
    with caplog.at_level(logging.WARNING):
        running.fake.push_message(SAM, "A-100 3")
        for _ in range(100):  # the line is saved even though the reply cannot be delivered
            drafts = await quotations.open_quotations(uow_factory(), seeded["sales"])
            if drafts and drafts[0].lines:
                break
            await asyncio.sleep(0.05)
    assert [(l.item_number, l.quantity) for l in drafts[0].lines] == [("A-100", 3)]
    await running.fake.wait_for("sendMessage", chat_id=SAM)  # the reply Telegram refused with 403
    running.fake.unblock(SAM)
    draft = await chat.say("B-300 2")
    assert "Office chair" in draft and "Sales handbook" in draft
