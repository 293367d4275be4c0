"""A user's updates are handled one at a time (aiogram runs updates as concurrent tasks): messages
typed back to back never race each other through a conversation's state."""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from aiogram.fsm.storage.memory import SimpleEventIsolation

SAM = 1001


async def test_cancel_and_a_new_quotation_typed_back_to_back_are_handled_in_order(running, seeded, caplog):
    caplog.set_level(logging.ERROR)
    sam = running.chat(SAM)
    await sam.say("/quote")
    await sam.say("acme")
    await sam.say("A-100 2")
    before = len(running.fake.calls_of("sendMessage", chat_id=SAM))
    for text in ("/cancel", "/quote", "acme", "A-100 3"):  # pushed at once, as a fast thumb sends them
        running.fake.push_message(SAM, text)
    async with asyncio.timeout(10):
        while len(running.fake.calls_of("sendMessage", chat_id=SAM)) < before + 4:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # nothing more should come
    texts = [c.params["text"] for c in running.fake.calls_of("sendMessage", chat_id=SAM)[before:]]
    assert "went wrong" not in " ".join(texts) and not [r for r in caplog.records if r.exc_info]
    assert texts[0].startswith("Stopped.") and "Q-000002" in texts[-1] and "3 pcs" in texts[-1]


class SlowRelease(SimpleEventIsolation):
    """A conversation lock that takes a while to let go, as a Redis round trip does under load."""

    def __init__(self) -> None:
        super().__init__()
        self.held = 0

    @asynccontextmanager
    async def lock(self, key):
        async with super().lock(key):
            self.held += 1
            try:
                yield
            finally:
                await asyncio.sleep(0.2)
                self.held -= 1


async def test_an_update_counts_as_handled_only_once_its_conversation_lock_is_released(running, seeded):
    """A shutdown waits for the updates in flight, then closes Redis: the lock's release must be
    inside what it waits for (it failed once in CI with 'Connection closed by server')."""
    isolation = SlowRelease()
    running.app.dispatcher.fsm.events_isolation = isolation
    chat = running.chat(SAM)
    await chat.say("/start")
    assert await running.app.dispatcher["in_flight"].drain(5)
    assert isolation.held == 0
