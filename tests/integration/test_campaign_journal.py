"""The sender's journal (outcomes and `sending` marks): on SQLite it runs as one call into aiosqlite's
thread, which must write exactly what the Core statements write (they are what PostgreSQL runs)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from domain.campaign import CampaignStatus, RecipientState
from domain.consent import Channel, ConsentSource
from storage import tables as t
from storage.recipient_rows import Begin, Record
from tests.integration.campaign_helpers import add_customers, ready_campaign, send_now

r, k = t.campaign_recipients.c, t.consents.c
# read as the driver returns them (not through the column types), so stored formats are compared
COLUMNS = "state, attempts, sent_at, next_attempt_at, claimed_by, claimed_at, last_error"


async def _started(uow_factory, clock, seeded, count):
    await add_customers(uow_factory, count)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    async with uow_factory() as uow:
        rows = await uow.recipients.claim("w", clock.now(), timedelta(minutes=5), count)
        await uow.commit()
    return created.campaign.id, rows


async def _journal(uow_factory, records, begins, *, through_core: bool):
    async with uow_factory() as uow:
        if through_core:
            await uow.session.connection()  # a unit of work already in a transaction uses Core
        elif uow.session.bind.dialect.name == "sqlite":
            assert uow.recipients.one_call_journal() is not None
        began = await uow.recipients.journal(records, begins)
        await uow.commit()
    return began


def _ops(rows, clock):
    now, later = clock.now(), clock.now() + timedelta(minutes=10)
    sent, deferred, bounced = rows
    begins = [Begin(row.id, "w", f"<m{row.id}@x>", now) for row in rows]
    records = [Record(sent.id, "w", RecipientState.SENT, now),
               Record(deferred.id, "w", RecipientState.QUEUED, now, later, "421 try later"),
               Record(bounced.id, "w", RecipientState.BOUNCED, now, None, "550 no such user",
                      (bounced.email, bounced.contact_kind, bounced.contact_id))]
    return begins, records


async def test_the_one_call_journal_writes_what_the_core_statements_write(uow_factory, clock, seeded):
    _campaign_id, rows = await _started(uow_factory, clock, seeded, 6)
    results = {}
    for through_core, part in ((False, rows[:3]), (True, rows[3:])):
        begins, records = _ops(part, clock)
        assert await _journal(uow_factory, [], begins, through_core=through_core) == [True, True, True]
        assert await _journal(uow_factory, records, [], through_core=through_core) == []
        async with uow_factory() as uow:
            ids = ", ".join(str(x.id) for x in part)
            written = (await uow.session.execute(text(f"SELECT {COLUMNS} FROM campaign_recipients "
                                                      f"WHERE id IN ({ids}) ORDER BY id"))).all()
            consent = (await uow.session.execute(select(k.channel, k.opted_out, k.source, k.changed_at,
                                                        k.contact_kind)
                                                 .where(k.address == part[2].email))).all()
        results[through_core] = ([tuple(row) for row in written], consent)
    assert results[False] == results[True]
    states = [row[0] for row in results[False][0]]
    assert states == ["sent", "queued", "bounced"]
    assert results[False][1] and results[False][1][0][1] is True


async def test_a_begin_does_not_take_on_a_row_not_ours_or_a_paused_campaign(uow_factory, clock, seeded):
    campaign_id, rows = await _started(uow_factory, clock, seeded, 3)
    now = clock.now()
    for through_core in (False, True):
        assert await _journal(uow_factory, [], [Begin(rows[0].id, "someone else", "<a@x>", now)],
                              through_core=through_core) == [False]
    async with uow_factory() as uow:
        await uow.session.execute(t.campaigns.update().where(t.campaigns.c.id == campaign_id)
                                  .values(status=CampaignStatus.PAUSED.value))
        await uow.commit()
    for through_core in (False, True):
        assert await _journal(uow_factory, [], [Begin(rows[1].id, "w", "<b@x>", now)],
                              through_core=through_core) == [False]
    async with uow_factory() as uow:
        states = (await uow.session.scalars(select(r.state).where(r.campaign_id == campaign_id))).all()
    assert set(states) == {RecipientState.QUEUED}


@pytest.mark.parametrize("in_flight", [1, 2, 4])
async def test_data_goes_out_only_after_the_rows_sending_is_committed_and_in_flight_rows_are_bounded(
        uow_factory, clock, seeded, monkeypatch, in_flight):
    """MAIL FROM and RCPT TO overlap the commit of `sending`; DATA must wait for it. At each DATA a
    fresh unit of work sees the row `sending`, and at most connections x in_flight rows `sending`."""
    from bot.campaign_smtp import Connection
    from tests.fakes.smtp import SmtpSink
    from tests.integration.campaign_helpers import drain, sender

    await add_customers(uow_factory, 30)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    campaign_id = created.campaign.id
    seen = []
    original = Connection.data

    async def checked_data(self, data):
        to = next(line for line in data.split(b"\r\n") if line.startswith(b"To: ")).decode()
        async with uow_factory() as uow:
            states = (await uow.session.execute(select(r.email, r.state).where(
                r.campaign_id == campaign_id, r.state == RecipientState.SENDING.value))).all()
        seen.append((to, {email for email, _state in states}))
        return await original(self, data)

    monkeypatch.setattr(Connection, "data", checked_data)
    sink = SmtpSink().start()
    try:
        await drain(sender(uow_factory, clock, sink.port, connections=3, batch=7, in_flight=in_flight))
    finally:
        sink.stop()
    assert len(seen) == 30 and len(sink.messages) == 30
    for to, sending in seen:
        assert any(email in to for email in sending), (to, sending)
        assert len(sending) <= 3 * in_flight
    assert max(len(sending) for _to, sending in seen) >= in_flight  # a whole window is marked at once


async def test_a_server_lost_inside_a_window_sends_its_marked_rows_later_never_twice(
        uow_factory, clock, seeded, monkeypatch):
    """The second row of a window is already committed `sending` when the server cannot be reached:
    it goes back to queued with backoff like any failure before DATA, and is sent once later."""
    from bot.campaign_smtp import Connection, SmtpDown
    from tests.fakes.smtp import SmtpSink
    from tests.integration.campaign_helpers import drain, later, sender

    await add_customers(uow_factory, 6)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    original, calls = Connection.ensure, []

    async def failing_once(self):
        calls.append(1)
        if len(calls) == 3:  # batch start, window 1, then the second row of window 1
            raise SmtpDown("connection refused")
        await original(self)

    monkeypatch.setattr(Connection, "ensure", failing_once)
    sink = SmtpSink().start()
    try:
        s = sender(uow_factory, clock, sink.port, connections=1, batch=6, in_flight=2)
        await drain(s)
        async with uow_factory() as uow:
            rows = (await uow.session.execute(select(r.email, r.state, r.attempts)
                                              .where(r.campaign_id == created.campaign.id))).all()
        waiting = [row for row in rows if row.state == RecipientState.QUEUED]
        assert len(waiting) == 1 and waiting[0].attempts == 1
        assert not [row for row in rows if row.state == RecipientState.SENDING]
        later(clock, 31)
        await drain(s)
    finally:
        sink.stop()
    received = sorted(m.rcpt_tos[0] for m in sink.messages)
    assert received == sorted(f"c{n}@shop.example" for n in range(6))


async def test_the_senders_own_connection_claims_what_the_core_claim_claims(uow_factory, clock, seeded, engine):
    """On SQLite the sender claims through its own connection (one UPDATE ... RETURNING, the consent
    check and the skip in one transaction): rows in order, stored as the Core claim stores them."""
    from storage.sqlite_recipient_queue import SenderConnection

    own = await SenderConnection.open(engine)
    if engine.dialect.name != "sqlite":
        assert own is None
        return
    await add_customers(uow_factory, 6)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    async with uow_factory() as uow:
        first = sorted((await uow.session.scalars(select(r.email).where(
            r.campaign_id == created.campaign.id).order_by(r.id))).all())
        opted_out = (await uow.session.scalars(select(r.email).where(
            r.campaign_id == created.campaign.id).order_by(r.id).limit(2))).all()[1]
        await uow.consents.opt_out(Channel.EMAIL, opted_out, ConsentSource.UNSUBSCRIBE, clock.now())
        await uow.commit()
    try:
        rows, out = await own.claim("own", clock.now(), timedelta(minutes=5), 3)
        async with uow_factory() as uow:
            core = await uow.recipients.claim("core", clock.now(), timedelta(minutes=5), 3)
            await uow.commit()
        assert [row.id for row in rows] == sorted(row.id for row in rows)
        assert max(row.id for row in rows) < min(row.id for row in core) and len(core) == 3
        assert out == {opted_out} and len(first) == 6
        async with uow_factory() as uow:
            stored = (await uow.session.execute(text(
                "SELECT email, claimed_by, claimed_at, state FROM campaign_recipients"))).all()
        claimed_at = {by: at for _email, by, at, _state in stored}
        assert claimed_at["own"] == claimed_at["core"]  # stored alike
        assert (opted_out, "own", claimed_at["own"], "skipped") in stored
        assert await own.claim("own", clock.now(), timedelta(minutes=5), 3) == ([], set())
        await own.release("own")
        async with uow_factory() as uow:
            held = set((await uow.session.execute(select(r.email, r.state, r.claimed_by))).all())
    finally:
        await own.close()
    for row in rows:
        if row.email == opted_out:
            assert (row.email, RecipientState.SKIPPED, "own") in held
        else:
            assert (row.email, RecipientState.QUEUED, None) in held


async def test_without_aiosqlites_private_hook_the_sender_uses_the_core_path(uow_factory, clock, seeded,
                                                                             engine, monkeypatch):
    import aiosqlite

    from storage.sqlite_recipient_queue import SenderConnection
    from tests.fakes.smtp import SmtpSink
    from tests.integration.campaign_helpers import drain, sender

    with monkeypatch.context() as patched:  # aiosqlite itself needs the hook to close connections
        patched.delattr(aiosqlite.Connection, "_execute")
        assert await SenderConnection.open(engine) is None

    async def no_own_connection(cls, engine):
        return None
    monkeypatch.setattr(SenderConnection, "open", classmethod(no_own_connection))
    await add_customers(uow_factory, 5)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    sink = SmtpSink().start()
    try:
        await drain(sender(uow_factory, clock, sink.port, connections=2, batch=2))
    finally:
        sink.stop()
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == sorted(f"c{n}@shop.example" for n in range(5))
