"""The recipient queue's hot path on SQLite over aiosqlite: a journal group or a claim is ONE call
into the driver's thread (a transaction committed on return) instead of a statement-by-statement
trip through SQLAlchemy. The statements are the same as storage/recipient_queue.py's Core ones."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import aiosqlite
from sqlalchemy.dialects import sqlite

from domain.campaign import CampaignStatus, RecipientState
from domain.consent import Channel, ConsentSource, email_key
from storage.database import SQLITE_BUSY_TIMEOUT_MS, sqlite_file_of
from storage.recipient_rows import Begin, ClaimedRow, Record
from storage.types import UTCDateTime


Q = RecipientState


_SQLITE_TS = UTCDateTime().dialect_impl(sqlite.dialect()).bind_processor(sqlite.dialect())  # as Core stores it
_SQLITE_BEGIN = (
    "UPDATE campaign_recipients SET state = ?, attempts = attempts + 1, message_id = ?, claimed_at = ? "
    "WHERE id = ? AND claimed_by = ? AND state = ? "
    "AND campaign_id IN (SELECT id FROM campaigns WHERE status = ?)")
_SQLITE_OPT_OUT = (
    "INSERT INTO consents (channel, address, opted_out, source, changed_at, contact_kind, contact_id) "
    "VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (channel, address) DO UPDATE SET opted_out = 1, "
    "source = excluded.source, changed_at = excluded.changed_at")


def _sqlite_record(rec: Record) -> tuple[str, tuple]:
    """The same UPDATE as `RecipientQueue.record`, as SQL for the driver."""
    sets, params = ["state = ?", "last_error = ?"], [rec.state.value, rec.error[:2000] if rec.error else None]
    if rec.state is Q.SENT:
        sets.append("sent_at = ?")
        params.append(_SQLITE_TS(rec.at))
    if rec.state is Q.QUEUED:
        sets.append("next_attempt_at = ?, claimed_by = NULL, claimed_at = NULL")
        params.append(_SQLITE_TS(rec.retry_at or rec.at))
    return (f"UPDATE campaign_recipients SET {', '.join(sets)} "
            "WHERE id = ? AND claimed_by = ? AND state IN (?, ?)",
            (*params, rec.row_id, rec.worker, Q.SENDING.value, Q.UNKNOWN.value))


def sqlite_statements(records: Sequence[Record], begins: Sequence[Begin]) -> tuple[list, int]:
    """(sql, params) pairs in order, and how many of them come before the begins."""
    statements = []
    for rec in records:
        statements.append(_sqlite_record(rec))
        if rec.opt_out:
            email, kind, contact_id = rec.opt_out
            statements.append((_SQLITE_OPT_OUT, (Channel.EMAIL.value, email_key(email),
                                                 ConsentSource.BOUNCE.value, _SQLITE_TS(rec.at), kind,
                                                 contact_id)))
    first_begin = len(statements)
    statements += [(_SQLITE_BEGIN, (Q.SENDING.value, b.message_id, _SQLITE_TS(b.at), b.row_id, b.worker,
                                    Q.QUEUED.value, CampaignStatus.SENDING.value)) for b in begins]
    return statements, first_begin


def run_in_one_transaction(connection, statements: list) -> list[int]:
    """In aiosqlite's thread: one write transaction, each statement's row count."""
    counts = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            counts.append(connection.execute(sql, params).rowcount)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return counts


_SQLITE_CLAIM = (
    "UPDATE campaign_recipients SET claimed_by = ?, claimed_at = ? WHERE id IN ("
    "SELECT id FROM campaign_recipients WHERE campaign_id IN (SELECT id FROM campaigns WHERE status = ?) "
    "AND channel = ? AND state = ? AND next_attempt_at <= ? AND (claimed_by IS NULL OR claimed_at < ?) "
    "ORDER BY id LIMIT ?) RETURNING id, campaign_id, contact_kind, contact_id, email, language, name, "
    "company, salesperson, attempts, chat_id")


def _claim_in_one_transaction(connection, claim: tuple, channel: str) -> tuple[list[tuple], set[str]]:
    """In aiosqlite's thread: claim a batch, read which of its addresses opted out of `channel` and
    mark those rows skipped, in one write transaction. (claimed rows, opted-out addresses)"""
    connection.execute("BEGIN IMMEDIATE")
    try:
        rows = sorted(connection.execute(_SQLITE_CLAIM, claim).fetchall())
        out: set[str] = set()
        if rows:
            emails = sorted({row[4] for row in rows})
            out = {address for (address,) in connection.execute(
                f"SELECT address FROM consents WHERE channel = ? AND address IN ({', '.join('?' * len(emails))}) "
                "AND opted_out IS 1", (channel, *emails))}
            skipped = [row[0] for row in rows if row[4] in out]
            if skipped:
                connection.execute(
                    f"UPDATE campaign_recipients SET state = ?, last_error = ? WHERE id IN "
                    f"({', '.join('?' * len(skipped))}) AND claimed_by = ? AND state = ?",
                    (Q.SKIPPED.value, "opted out", *skipped, claim[0], Q.QUEUED.value))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return rows, out


def _release(connection, worker: str) -> None:
    connection.execute("UPDATE campaign_recipients SET claimed_by = NULL, claimed_at = NULL "
                       "WHERE claimed_by = ? AND state = ?", (worker, Q.QUEUED.value))


class SenderConnection:
    """On SQLite over aiosqlite: the e-mail sender's own connection to the database file, open for one
    sending round and used by nothing else. Each of its operations (a journal group, a claim with the
    consent check, a release) is ONE call into its aiosqlite thread, a transaction committed on
    return. Through the engine's pool the same journal cost a second call (the pool rolls a connection
    back when it is returned), a claim through a unit of work about ten, and both waited for the
    pool's single connection. The engine's own connection and this one are two SQLite connections to
    one file: a write of either that meets the other's write lock waits in SQLite's busy handler.

    `open` returns None where this does not apply (another database or driver, an in-memory
    database, an aiosqlite without the private `_execute` hook): the caller uses `RecipientQueue`."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    @classmethod
    async def open(cls, engine) -> SenderConnection | None:
        if engine is None or engine.dialect.name != "sqlite" or engine.dialect.driver != "aiosqlite":
            return None
        if not hasattr(aiosqlite.Connection, "_execute"):  # a private hook: without it, the Core path
            return None
        database = sqlite_file_of(engine.url.database)
        if database is None:
            return None
        connection = await aiosqlite.connect(database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
                                             isolation_level=None)
        try:
            await connection._execute(_pragmas, connection._conn, SQLITE_BUSY_TIMEOUT_MS)
        except BaseException:
            await connection.close()
            raise
        return cls(connection)

    async def close(self) -> None:
        await self._connection.close()

    async def journal(self, records: Sequence[Record], begins: Sequence[Begin]) -> list[bool]:
        """As `RecipientQueue.journal`, committed on return."""
        statements, first_begin = sqlite_statements(records, begins)
        counts = await self._connection._execute(run_in_one_transaction, self._connection._conn, statements)
        return [count == 1 for count in counts[first_begin:]]

    async def claim(self, worker: str, now: datetime, lease: timedelta, limit: int,
                    channel: Channel = Channel.EMAIL) -> tuple[list[ClaimedRow], set[str]]:
        """As `RecipientQueue.claim`, then `ConsentRepository.opted_out` of the claimed addresses and
        `RecipientQueue.skip` of their rows, committed on return: (rows, opted-out addresses)."""
        claim = (worker, _SQLITE_TS(now), CampaignStatus.SENDING.value, channel.value, Q.QUEUED.value,
                 _SQLITE_TS(now), _SQLITE_TS(now - lease), limit)
        rows, out = await self._connection._execute(_claim_in_one_transaction, self._connection._conn,
                                                    claim, channel.value)
        return [ClaimedRow(*row) for row in rows], out

    async def release(self, worker: str) -> None:
        """As `RecipientQueue.release`, committed on return."""
        await self._connection._execute(_release, self._connection._conn, worker)


def _pragmas(connection, busy_timeout_ms: int) -> None:
    for pragma in (f"busy_timeout={busy_timeout_ms}", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
