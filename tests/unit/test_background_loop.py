"""bot.worker.BackgroundLoop: started twice (the app and a test harness both start the outbox), it
still runs one loop, and stop() stops it."""
from __future__ import annotations

import asyncio

from bot.worker import BackgroundLoop


class CountingLoop(BackgroundLoop):
    task_name = "counting-loop"
    poll_seconds = 0.01

    def __init__(self) -> None:
        super().__init__()
        self.rounds = 0

    async def drain_once(self) -> bool:
        self.rounds += 1
        return False


def _running(name: str) -> list[asyncio.Task]:
    return [t for t in asyncio.all_tasks() if t.get_name() == name and not t.done()]


async def test_a_second_start_does_not_run_a_second_loop_and_stop_ends_it():
    loop = CountingLoop()
    loop.start()
    loop.start()
    await asyncio.sleep(0.05)
    assert len(_running("counting-loop")) == 1 and loop.rounds > 0
    await loop.stop()
    assert _running("counting-loop") == []
    loop.start()  # and it can be started again after a stop
    assert len(_running("counting-loop")) == 1
    await loop.stop()
