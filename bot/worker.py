"""The life of a background loop (outbox sender, campaign sender, Telegram deliveries, IMAP poller)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket

log = logging.getLogger(__name__)


def worker_name() -> str:
    """This process among others that send: host, process id and a random part (a restarted
    process on the same pid is a new worker)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class BackgroundLoop:
    """Runs `run()` as a task until stopped. `wake()` says work is waiting; `stop()` lets the item
    in hand finish and cancels only past the grace period: a mail or message cut off in the middle
    of its delivery would be sent again after the restart."""

    task_name = "background-loop"
    poll_seconds: float = 15

    def __init__(self) -> None:
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the loop; a loop already running is left as it is (a second one would race it and
        outlive stop(), which only knows the newer task)."""
        if self._task is not None and not self._task.done():
            return
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
        """Drain until nothing is left, then sleep until woken or the poll interval passed. A failed
        round is logged and the loop lives on: what was not done stays queued for the next round."""
        while not self._stopping:
            try:
                while not self._stopping and await self.drain_once():
                    pass
            except Exception as error:
                if asyncio.current_task().cancelling():
                    # A database driver may report our own cancellation as its error (asyncpg
                    # does): stop as asked instead of going round again.
                    raise asyncio.CancelledError from None
                self.round_failed(error)
            if self._stopping:
                break
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that arrives as the wake-up does, and the loop would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

    async def drain_once(self) -> int:
        """One round of work; how many items it handled (0: nothing left, sleep)."""
        raise NotImplementedError

    def round_failed(self, error: Exception) -> None:
        """What is left is tried again at the next round."""
        log.exception("%s: a round failed; trying again at the next one", self.task_name)
