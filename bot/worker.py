"""The life of a background loop (outbox sender, campaign sender, Telegram deliveries)."""
from __future__ import annotations

import asyncio
import contextlib


class BackgroundLoop:
    """Runs `run()` as a task until stopped. `wake()` says work is waiting; `stop()` lets the item
    in hand finish and cancels only past the grace period: a mail or message cut off in the middle
    of its delivery would be sent again after the restart."""

    task_name = "background-loop"

    def __init__(self) -> None:
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self.run(), name=self.task_name)

    def wake(self) -> None:
        self._wake.set()

    async def stop(self, grace_seconds: float = 10) -> None:
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        done, _ = await asyncio.wait({self._task}, timeout=grace_seconds)
        if not done:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def run(self) -> None:
        raise NotImplementedError
