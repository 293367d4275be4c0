"""A claim takes the next batch of queued recipients by walking an index in id order: it must not
read and sort every queued row of the campaign for each batch (with 100 000 queued that was ~19 ms
a claim, the sender's largest cost growing with the campaign)."""
from __future__ import annotations

import sqlite3

import pytest

from storage.sqlite_recipient_queue import _SQLITE_CLAIM
from storage.migrate import upgrade_async

CLAIM_PARAMS = ("w", "2026-02-01 00:00:00.000000", "sending", "email", "queued",
                "2026-02-01 00:00:00.000000", "2026-01-31 00:00:00.000000", 200)


def _fill(path, queued: int) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.executemany(
        "INSERT INTO campaign_recipients (campaign_id, contact_kind, contact_id, email, language, name, "
        "company, salesperson, state, attempts, next_attempt_at, message_id, channel, chat_id) "
        "VALUES (1, 'customer', ?, ?, 'en', 'n', 'c', 's', ?, 0, '2026-01-01 00:00:00.000000', '', "
        "'email', 0)", [(n, f"c{n}@example.com", "sent" if n % 3 else "queued") for n in range(queued)])
    return connection


@pytest.mark.parametrize("analyzed", [False, True])
async def test_the_claim_walks_the_state_channel_id_index_without_sorting(tmp_path, analyzed):
    path = tmp_path / "plan.db"
    await upgrade_async(f"sqlite+aiosqlite:///{path}")
    connection = _fill(path, 3000)
    if analyzed:  # with statistics, as after `PRAGMA optimize`
        connection.execute("ANALYZE")
    plan = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + _SQLITE_CLAIM, CLAIM_PARAMS)]
    connection.close()
    assert any("ix_campaign_recipients_state_channel_id" in step for step in plan), plan
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
