"""Campaign storage (issue 5): the campaign aggregate, its targets, the recipient queue, consent and
the scheduler's leader lock.

The recipient queue is plain Core SQL on purpose: a campaign of 100 000 rows is never loaded into
memory; rows are inserted with INSERT ... SELECT and claimed in batches.

Claiming (several processes on PostgreSQL): `SELECT ... FOR UPDATE SKIP LOCKED` picks queued rows
nobody holds (or whose holder's lease ran out) and stamps them `claimed_by`/`claimed_at` in the same
transaction. Every later step is a conditional UPDATE (`WHERE claimed_by = me AND state = ...`), so
a row taken over by another process after a lease expiry can never be sent by both. On SQLite one
process sends (the database has one writer; SKIP LOCKED does not exist there).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite
from sqlalchemy import String, case, exists, func, literal, select, union_all, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import Campaign, CampaignStatus, CampaignType, RecipientState, Selection
from domain.consent import Channel, Consent, ConsentSource, email_key
from domain.user import Role
from storage import tables as t
from storage.contact_store import contact_selects
from storage.database import SQLITE_BUSY_TIMEOUT_MS
from storage.repository_base import dialect_insert
from storage.types import UTCDateTime

r, cp = t.campaign_recipients.c, t.campaigns.c
Q = RecipientState
ADDRESS_KEY = ["campaign_id", "channel", "chat_id", "email"]


# --- targets -----------------------------------------------------------------------------------------

def _target_selects(selection: Selection, language: str, need_email: bool = True):
    """(customers, parties) selects of an e-mail campaign's target columns (storage/contact_store.py
    chooses the contacts); `need_email`: only those with an address."""
    return tuple(None if s is None else _email_columns(s, need_email)
                 for s in contact_selects(selection, language))


def _email_columns(contacts, need_email: bool):
    col = contacts.selected_columns
    chosen = contacts.with_only_columns(col.contact_kind, col.contact_id, func.lower(col.email).label("email"),
                                        col.language, col.name, col.company, col.salesperson)
    return chosen.where(col.email != "") if need_email else chosen


def _opted_out(email_column):
    k = t.consents.c
    return exists().where(k.channel == Channel.EMAIL.value, k.address == email_column, k.opted_out.is_(True))


@dataclass(frozen=True)
class TargetCount:
    contacts: int   # distinct e-mail addresses
    opted_out: int  # of whom opted out of e-mail


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: int) -> Campaign | None:
        return await self.session.get(Campaign, id_)

    async def add(self, campaign: Campaign) -> None:
        self.session.add(campaign)

    async def list(self, created_by: int | None, limit: int = 20) -> Sequence[Campaign]:
        stmt = select(Campaign).order_by(cp.id.desc()).limit(limit)
        if created_by is not None:
            stmt = stmt.where(cp.created_by == created_by)
        return list((await self.session.scalars(stmt)).all())

    async def due(self, now: datetime) -> Sequence[int]:
        stmt = select(cp.id).where(cp.status == CampaignStatus.SCHEDULED.value, cp.scheduled_at <= now)
        return list((await self.session.scalars(stmt.order_by(cp.scheduled_at))).all())

    async def count_targets(self, selection: Selection, language: str) -> TargetCount:
        selects = [s for s in _target_selects(selection, language) if s is not None]
        if not selects:
            return TargetCount(0, 0)
        emails = union_all(*[s.with_only_columns(s.selected_columns.email) for s in selects]).subquery()
        distinct = select(emails.c.email).distinct().subquery()
        total = await self.session.scalar(select(func.count()).select_from(distinct))
        out = await self.session.scalar(select(func.count()).select_from(distinct)
                                        .where(_opted_out(distinct.c.email)))
        return TargetCount(total or 0, out or 0)

    async def queue_recipients(self, campaign: Campaign, now: datetime) -> None:
        """One row per distinct address (customers first), in the database alone: INSERT ... SELECT.
        Opted-out addresses are queued as skipped, so the count shows them."""
        for select_ in _target_selects(campaign.selection, campaign.language):
            if select_ is None:
                continue
            sub = select_.subquery()
            state = case((_opted_out(sub.c.email), Q.SKIPPED.value), else_=Q.QUEUED.value)
            rows = select(literal(campaign.id), sub.c.contact_kind, sub.c.contact_id, sub.c.email,
                          sub.c.language, sub.c.name, sub.c.company, sub.c.salesperson, state,
                          literal(0), literal(now, t.campaign_recipients.c.next_attempt_at.type),
                          literal("")).where(sub.c.email != "")
            stmt = dialect_insert(self.session, t.campaign_recipients).from_select(
                ["campaign_id", "contact_kind", "contact_id", "email", "language", "name", "company",
                 "salesperson", "state", "attempts", "next_attempt_at", "message_id"], rows)
            await self.session.execute(stmt.on_conflict_do_nothing(index_elements=ADDRESS_KEY))
        await self._queue_telegram(campaign, now)

    async def _queue_telegram(self, campaign: Campaign, now: datetime) -> None:
        """Issue 5 §4: a targeted customer's every linked Telegram account gets a Telegram row too;
        an account that opted out of Telegram campaigns (/stop, a 403) is queued as skipped."""
        customers, _parties = _target_selects(campaign.selection, campaign.language, need_email=False)
        if customers is None:
            return
        sub, u, k = customers.subquery(), t.users.c, t.consents.c
        chat = func.cast(u.telegram_id, String)
        stopped = exists().where(k.channel == Channel.TELEGRAM.value, k.address == chat, k.opted_out.is_(True))
        state = case((stopped, Q.SKIPPED.value), else_=Q.QUEUED.value)
        rows = (select(literal(campaign.id), sub.c.contact_kind, sub.c.contact_id, sub.c.email,
                       func.coalesce(u.language, sub.c.language), sub.c.name, sub.c.company,
                       sub.c.salesperson, state, literal(0),
                       literal(now, t.campaign_recipients.c.next_attempt_at.type), literal(""),
                       literal(Channel.TELEGRAM.value), u.telegram_id)
                .select_from(sub.join(t.users, (u.customer_id == sub.c.contact_id)
                                      & (u.role == Role.CUSTOMER.value))))
        stmt = dialect_insert(self.session, t.campaign_recipients).from_select(
            ["campaign_id", "contact_kind", "contact_id", "email", "language", "name", "company",
             "salesperson", "state", "attempts", "next_attempt_at", "message_id", "channel", "chat_id"], rows)
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=ADDRESS_KEY))

    async def progress(self, campaign_id: int) -> dict[str, int]:
        rows = await self.session.execute(select(r.state, func.count()).where(r.campaign_id == campaign_id)
                                          .group_by(r.state))
        return {str(state): count for state, count in rows.all()}

    async def first_target(self, campaign: Campaign):
        for select_ in _target_selects(campaign.selection, campaign.language):
            if select_ is not None:
                row = (await self.session.execute(select_.order_by(literal(1)).limit(1))).first()
                if row is not None:
                    return row
        return None


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel: Channel, address: str) -> Consent | None:
        k = t.consents.c
        return await self.session.scalar(select(Consent).where(k.channel == channel.value,
                                                               k.address == address))

    async def opt_out(self, channel: Channel, address: str, source: ConsentSource, now: datetime,
                      contact_kind: str = "", contact_id: int | None = None) -> None:
        """Record an opt-out (an upsert: safe when two happen at once)."""
        address = email_key(address) if channel is Channel.EMAIL else str(address)
        stmt = dialect_insert(self.session, t.consents).values(
            channel=channel.value, address=address, opted_out=True, source=source.value, changed_at=now,
            contact_kind=contact_kind, contact_id=contact_id)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["channel", "address"],
            set_={"opted_out": True, "source": source.value, "changed_at": now}))

    async def opted_out(self, channel: Channel, addresses: Sequence[str]) -> set[str]:
        k = t.consents.c
        rows = await self.session.scalars(select(k.address).where(
            k.channel == channel.value, k.address.in_(list(addresses)), k.opted_out.is_(True)))
        return set(rows.all())


# --- the recipient queue ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimedRow:
    id: int
    campaign_id: int
    contact_kind: str
    contact_id: int
    email: str
    language: str
    name: str
    company: str
    salesperson: str
    attempts: int
    chat_id: int = 0


@dataclass(frozen=True)
class Begin:
    """Mark a claimed row `sending` (to be committed before its DATA)."""
    row_id: int
    worker: str
    message_id: str
    at: datetime


@dataclass(frozen=True)
class Record:
    """The outcome of one attempt; `opt_out` (email, contact kind, contact id) for a bounce."""
    row_id: int
    worker: str
    state: RecipientState
    at: datetime
    retry_at: datetime | None = None
    error: str | None = None
    opt_out: tuple[str, str, int] | None = None


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


def _sqlite_statements(records: Sequence[Record], begins: Sequence[Begin]) -> tuple[list, int]:
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


def _run_in_one_transaction(connection, statements: list) -> list[int]:
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
        database = engine.url.database
        if not database or database == ":memory:" or "mode=memory" in database:
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
        statements, first_begin = _sqlite_statements(records, begins)
        counts = await self._connection._execute(_run_in_one_transaction, self._connection._conn, statements)
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


class RecipientQueue:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def journal(self, records: Sequence[Record], begins: Sequence[Begin]) -> list[bool]:
        """The sender's hot path: outcome records (with bounce opt-outs), then `sending` marks; for
        each begin, whether the row is ours and its campaign still sending (see `begin_sending`).

        On PostgreSQL these are Core statements in this unit of work (the caller commits). On SQLite,
        while this unit of work has not used its connection, they run as ONE call into aiosqlite's
        worker thread (BEGIN IMMEDIATE, the statements, COMMIT: committed on return; the caller's
        commit is then empty): a statement through SQLAlchemy over aiosqlite costs several hand-offs
        to that thread (~0.3 ms each), a statement in the thread ~15 us."""
        direct = self.one_call_journal() if not self.session.in_transaction() else None
        if direct is not None:
            return await direct(records, begins)
        consents = ConsentRepository(self.session)
        for rec in records:
            await self.record(rec.row_id, rec.worker, rec.state, rec.at, rec.retry_at, rec.error)
            if rec.opt_out:
                email, kind, contact_id = rec.opt_out
                await consents.opt_out(Channel.EMAIL, email, ConsentSource.BOUNCE, rec.at, kind, contact_id)
        return [await self.begin_sending(b.row_id, b.worker, b.message_id, b.at) for b in begins]

    def one_call_journal(self):
        """On SQLite over aiosqlite: `async (records, begins) -> began` writing and COMMITTING a journal
        in one call into the driver's thread, on a connection of its own from the engine's pool (so
        it needs no unit of work: the group commit keeps it); None on other databases."""
        engine = self.session.bind
        if engine is None or engine.dialect.name != "sqlite" or engine.dialect.driver != "aiosqlite":
            return None
        if not hasattr(aiosqlite.Connection, "_execute"):  # a private hook: without it, the Core path
            return None

        async def write(records: Sequence[Record], begins: Sequence[Begin]) -> list[bool]:
            statements, first_begin = _sqlite_statements(records, begins)
            async with engine.connect() as conn:
                driver = (await conn.get_raw_connection()).driver_connection
                # aiosqlite runs each call in its worker thread; `_execute` queues one function there
                counts = await driver._execute(_run_in_one_transaction, driver._conn, statements)
            return [count == 1 for count in counts[first_begin:]]
        return write

    async def expire_stale(self, now: datetime, lease: timedelta) -> int:
        """Rows left in `sending` past their lease: their sender died between marking them and
        recording the outcome, so the mail may have gone out. They become UNKNOWN, never resent."""
        result = await self.session.execute(
            update(t.campaign_recipients)
            .where(r.state == Q.SENDING.value, r.claimed_at < now - lease)
            .values(state=Q.UNKNOWN.value, last_error="sender stopped during delivery: maybe sent"))
        return result.rowcount

    async def claim(self, worker: str, now: datetime, lease: timedelta, limit: int,
                    channel: Channel = Channel.EMAIL) -> list[ClaimedRow]:
        sending = select(cp.id).where(cp.status == CampaignStatus.SENDING.value)
        ids = (select(r.id)
               .where(r.campaign_id.in_(sending), r.channel == channel.value, r.state == Q.QUEUED.value,
                      r.next_attempt_at <= now,
                      (r.claimed_by.is_(None)) | (r.claimed_at < now - lease))
               .order_by(r.id).limit(limit))
        if self.session.bind.dialect.name == "postgresql":
            ids = ids.with_for_update(skip_locked=True)
        chosen = list((await self.session.scalars(ids)).all())
        if not chosen:
            return []
        await self.session.execute(update(t.campaign_recipients).where(r.id.in_(chosen))
                                   .values(claimed_by=worker, claimed_at=now))
        rows = await self.session.execute(
            select(r.id, r.campaign_id, r.contact_kind, r.contact_id, r.email, r.language, r.name,
                   r.company, r.salesperson, r.attempts, r.chat_id).where(r.id.in_(chosen)).order_by(r.id))
        return [ClaimedRow(*row) for row in rows.all()]

    async def begin_sending(self, row_id: int, worker: str, message_id: str, now: datetime) -> bool:
        """Committed before the message goes to SMTP. False: not ours any more, or the campaign was
        paused or cancelled meanwhile."""
        sending = select(cp.id).where(cp.status == CampaignStatus.SENDING.value)
        result = await self.session.execute(
            update(t.campaign_recipients)
            .where(r.id == row_id, r.claimed_by == worker, r.state == Q.QUEUED.value,
                   r.campaign_id.in_(sending))
            .values(state=Q.SENDING.value, attempts=r.attempts + 1, message_id=message_id, claimed_at=now))
        return result.rowcount == 1

    async def record(self, row_id: int, worker: str, state: RecipientState, now: datetime,
                     retry_at: datetime | None = None, error: str | None = None) -> bool:
        values = {"state": state.value, "last_error": error[:2000] if error else None}
        if state is Q.SENT:
            values["sent_at"] = now
        if state is Q.QUEUED:
            values.update(next_attempt_at=retry_at or now, claimed_by=None, claimed_at=None)
        result = await self.session.execute(
            update(t.campaign_recipients)
            .where(r.id == row_id, r.claimed_by == worker,
                   r.state.in_([Q.SENDING.value, Q.UNKNOWN.value]))
            .values(**values))
        return result.rowcount == 1

    async def renew(self, row_id: int, worker: str, now: datetime) -> None:
        """The holder is alive (waiting out a Telegram 429): the row's lease starts again."""
        await self.session.execute(update(t.campaign_recipients)
                                   .where(r.id == row_id, r.claimed_by == worker).values(claimed_at=now))

    async def skip(self, row_ids: Sequence[int], worker: str) -> None:
        if row_ids:
            await self.session.execute(
                update(t.campaign_recipients)
                .where(r.id.in_(list(row_ids)), r.claimed_by == worker, r.state == Q.QUEUED.value)
                .values(state=Q.SKIPPED.value, last_error="opted out"))

    async def release(self, worker: str) -> None:
        """Give back the queued rows this worker holds (SMTP down, paused campaign, shutdown)."""
        await self.session.execute(
            update(t.campaign_recipients).where(r.claimed_by == worker, r.state == Q.QUEUED.value)
            .values(claimed_by=None, claimed_at=None))

    async def finish_campaigns(self, now: datetime) -> list[int]:
        """Campaigns sending with nothing left queued or in flight are done."""
        open_rows = exists().where(r.campaign_id == cp.id,
                                   r.state.in_([Q.QUEUED.value, Q.SENDING.value]))
        ids = list((await self.session.scalars(
            select(cp.id).where(cp.status == CampaignStatus.SENDING.value, cp.type == CampaignType.EMAIL.value,
                                ~open_rows))).all())
        if ids:
            await self.session.execute(
                update(t.campaigns).where(cp.id.in_(ids), cp.status == CampaignStatus.SENDING.value)
                .values(status=CampaignStatus.DONE.value, finished_at=now, version=cp.version + 1))
        return ids


class LeaderLock:
    """A row naming the process that fires schedules, until `expires_at`; renewed by its holder,
    taken over by anyone once it has expired (its holder died or hung)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        k = t.leader_locks.c
        result = await self.session.execute(
            update(t.leader_locks).where(k.name == name, (k.holder == holder) | (k.expires_at < now))
            .values(holder=holder, expires_at=now + ttl))
        if result.rowcount == 1:
            return True
        result = await self.session.execute(
            dialect_insert(self.session, t.leader_locks).values(name=name, holder=holder, expires_at=now + ttl)
            .on_conflict_do_nothing(index_elements=["name"]))
        return result.rowcount == 1

    async def release(self, name: str, holder: str) -> None:
        k = t.leader_locks.c
        await self.session.execute(t.leader_locks.delete().where(k.name == name, k.holder == holder))
