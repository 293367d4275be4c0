"""The sender's group commit: submissions of several connections that arrive within a few loop
rounds share one write, each submitter gets its own begins' results, and a failed write reaches
every submitter of its group."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.group_commit import GroupCommit
from domain.campaign import RecipientState
from storage.recipient_rows import Begin, Record

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Journal:
    """Stands in for the sender's own SQLite connection: records each write; a begin takes unless
    its row is in `refused`."""

    def __init__(self, refused: frozenset[int] = frozenset(), fail: bool = False) -> None:
        self.writes: list[tuple[list[int], list[int]]] = []
        self.refused, self.fail = refused, fail

    async def journal(self, records, begins):
        await asyncio.sleep(0)  # a write is a hand-off to another thread: others may submit meanwhile
        self.writes.append(([r.row_id for r in records], [b.row_id for b in begins]))
        if self.fail:
            raise OSError("disk I/O error")
        return [b.row_id not in self.refused for b in begins]


def _group(journal: Journal, writers: int, linger: int = 8) -> GroupCommit:
    group = GroupCommit(uow=None, writers=writers, linger=linger)
    group.own = journal
    return group


def _begins(*rows: int) -> list[Begin]:
    return [Begin(row, "w", f"<m{row}@x>", AT) for row in rows]


async def _connection(group: GroupCommit, delay_rounds: int, rows: tuple[int, ...]) -> list[bool]:
    for _ in range(delay_rounds):  # this connection's own work (build, SMTP) before it submits
        await asyncio.sleep(0)
    return await group.run([Record(row - 100, "w", RecipientState.SENT, AT) for row in rows], _begins(*rows))


async def test_connections_a_few_loop_rounds_apart_share_one_write():
    journal = Journal(refused=frozenset({202}))
    group = _group(journal, writers=4)
    results = await asyncio.gather(_connection(group, 0, (101, 102)), _connection(group, 1, (201, 202)),
                                   _connection(group, 3, (301, 302)), _connection(group, 5, (401, 402)))
    assert len(journal.writes) == 1
    assert sorted(journal.writes[0][1]) == [101, 102, 201, 202, 301, 302, 401, 402]
    assert results == [[True, True], [True, False], [True, True], [True, True]]


async def test_without_lingering_each_connection_writes_alone():
    # the behaviour the linger fixes: the flusher starts at once and carries only the first submitter
    journal = Journal()
    group = _group(journal, writers=4, linger=0)
    await asyncio.gather(_connection(group, 0, (101, 102)), _connection(group, 3, (201, 202)))
    assert [begins for _records, begins in journal.writes] == [[101, 102], [201, 202]]


async def _rounds_until_written(group: GroupCommit) -> int:
    submitted = asyncio.ensure_future(group.run([], _begins(1, 2)))
    rounds = 0
    while not submitted.done():
        await asyncio.sleep(0)
        rounds += 1
    assert submitted.result() == [True, True]
    return rounds


async def test_a_lone_writer_is_written_without_waiting_for_others():
    lingering = await _rounds_until_written(_group(Journal(), writers=1, linger=8))
    immediate = await _rounds_until_written(_group(Journal(), writers=1, linger=0))
    assert lingering == immediate


async def test_a_submitter_arriving_after_the_linger_goes_into_the_next_write():
    journal = Journal()
    group = _group(journal, writers=4, linger=2)
    results = await asyncio.gather(_connection(group, 0, (101,)), _connection(group, 12, (201,)))
    assert results == [[True], [True]]
    assert [begins for _records, begins in journal.writes] == [[101], [201]]


async def test_a_failed_write_fails_every_submitter_of_its_group():
    group = _group(Journal(fail=True), writers=2)
    results = await asyncio.gather(_connection(group, 0, (101,)), _connection(group, 1, (201,)),
                                   return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results)


@pytest.mark.parametrize("linger", [0, 8])
async def test_records_and_begins_keep_their_order_within_a_write(linger):
    journal = Journal()
    group = _group(journal, writers=2, linger=linger)
    await asyncio.gather(_connection(group, 0, (101, 102)), _connection(group, 1, (201, 202)))
    records = [row for records, _begins in journal.writes for row in records]
    assert records == [1, 2, 101, 102]
