"""The campaign sender's group commit: the journal writes of all its connections in shared transactions."""
from __future__ import annotations

import asyncio
from collections.abc import Callable

from storage.recipient_rows import Begin, Record
from storage.sqlite_recipient_queue import SenderConnection


class GroupCommit:
    """Runs the small writes of all connections of this process in shared transactions: whoever
    submits while a commit is running joins the next one (group commit). Each submitter's
    `await` returns only after ITS writes are committed, so "committed before DATA" still holds.
    The writes are data (`Record`, `Begin`), so a whole group is one `RecipientQueue.journal` call.

    Before each write the flusher lets the event loop run up to `linger` times (no timer: a loop
    round is microseconds when nothing else is ready), or until `writers` submissions wait, so that
    the other connections' marks that are a moment away join the same transaction. Without it a
    write mostly carried one connection's two rows; the kill bound is unchanged (each row's
    `sending` still commits before its DATA, and no connection has more rows in flight)."""

    def __init__(self, uow: Callable, writers: int = 1, linger: int = 8) -> None:
        self.uow = uow
        self.writers, self.linger = writers, linger
        self._pending: list[tuple[list[Record], list[Begin], asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None
        self._direct: Callable | None = None  # RecipientQueue.one_call_journal, where there is one
        self._direct_checked = False
        self.own: SenderConnection | None = None  # the sender's own SQLite connection, during a round

    async def _write(self, records: list[Record], begins: list[Begin]) -> list[bool]:
        if self.own is not None:
            return await self.own.journal(records, begins)
        if self._direct is None:
            async with self.uow() as uow:
                if not self._direct_checked:
                    self._direct, self._direct_checked = uow.recipients.one_call_journal(), True
                if self._direct is None:
                    began = await uow.recipients.journal(records, begins)
                    await uow.commit()
                    return began
        return await self._direct(records, begins)

    async def run(self, records: list[Record], begins: list[Begin] = ()) -> list[bool]:
        """Commit `records`, then `begins`; for each begin, whether it took."""
        return await self.submit(records, begins)

    def submit(self, records: list[Record], begins: list[Begin] = ()) -> asyncio.Future:
        """As `run`, without waiting: the future is done once committed (or failed)."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((list(records), list(begins), future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        while self._pending:
            for _round in range(self.linger):
                if len(self._pending) >= self.writers:
                    break
                await asyncio.sleep(0)
            batch, self._pending = self._pending, []
            try:
                began = await self._write([rec for records, _begins, _future in batch for rec in records],
                                          [begin for _records, begins, _future in batch for begin in begins])
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                for _records, _begin, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
                if not isinstance(exc, Exception):
                    raise
                continue
            at = 0
            for _records, begins, future in batch:
                if not future.done():
                    future.set_result(began[at:at + len(begins)])
                at += len(begins)
