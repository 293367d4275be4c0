"""Issue 2: the outbox sender killed with SIGKILL at random moments, then started again, loses no
mail. A mail the server had accepted when the process died is sent once more, with the same
Message-ID (at least once, README "Configuring SMTP"); that happens at most once per kill, because
the sender hands out one mail at a time."""
from __future__ import annotations

import asyncio
import os
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from domain.outbox import MailKind, MailStatus, OutboxMail
from domain.services import quotations
from storage import tables as t
from tests.fakes.smtp import SmtpSink
from tests.integration.processes import sigkill

ROOT = Path(__file__).resolve().parents[2]
MAILS = 30
KILLS = 6  # then one run to the end


async def _queue_mails(uow_factory, clock, seeded) -> None:
    """One sent quotation (which queues its own mail) and more mails of it to other addresses."""
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("2"))
    q = await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    async with uow_factory() as uow:
        for n in range(MAILS - 1):
            await uow.outbox.add(OutboxMail.queue(MailKind.QUOTATION_SENT, q.id, f"buyer{n}@example.test",
                                                  "en", clock.now()))
        await uow.commit()


async def _start(database_url: str, port: int) -> asyncio.subprocess.Process:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.outbox_kill_worker", database_url, str(port),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert await asyncio.wait_for(proc.stdout.readline(), 60) == b"ready\n"
    return proc


async def _kill_and_restart(database_url: str, port: int, sink: SmtpSink, rng: random.Random) -> int:
    """Kill the sender KILLS times, then let one run finish; the kills. Half the kills come at a
    random moment of the run (claiming, composing, sending, recording), half just after the server
    accepted a mail, where the window for a second copy is."""
    kills = 0
    while kills < KILLS:
        proc = await _start(database_url, port)
        if kills % 2:
            await _next_delivery(sink, proc)
            await asyncio.sleep(rng.uniform(0, 0.004))
        else:
            await _wait_quietly(proc, rng.uniform(0.05, 1.2))
        if proc.returncode is not None or not await sigkill(proc):
            break  # finished before the kill
        kills += 1
    else:
        proc = await _start(database_url, port)
    assert await asyncio.wait_for(proc.wait(), 120) == 0
    return kills


async def _next_delivery(sink: SmtpSink, proc: asyncio.subprocess.Process) -> None:
    seen = len(sink.messages)
    async with asyncio.timeout(120):
        while len(sink.messages) == seen and proc.returncode is None:
            await asyncio.sleep(0.002)


async def _wait_quietly(proc: asyncio.subprocess.Process, seconds: float) -> None:
    try:
        await asyncio.wait_for(proc.wait(), seconds)
    except TimeoutError:
        pass


async def test_killed_at_random_moments_the_outbox_loses_no_mail(database_url, uow_factory, clock, seeded):
    await _queue_mails(uow_factory, clock, seeded)
    sink = SmtpSink().start()
    try:
        kills = await _kill_and_restart(database_url, sink.port, sink, random.Random(11))
    finally:
        sink.stop()

    async with uow_factory() as uow:
        rows = list((await uow.session.scalars(select(OutboxMail).order_by(t.outbox_mails.c.id))).all())
    assert len(rows) == MAILS
    assert {r.status for r in rows} == {MailStatus.SENT}, "a mail was given up or left behind"
    copies = Counter(m.message["Message-ID"] for m in sink.messages)
    assert len(copies) == MAILS, "every mail reached the server, each under its own Message-ID"
    recipients = {m.message["Message-ID"]: tuple(m.rcpt_tos) for m in sink.messages}
    assert sorted(r for (r,) in recipients.values()) == sorted(r.recipient for r in rows)
    resent = sum(n - 1 for n in copies.values())
    assert resent <= kills, "more than the one mail in flight was sent again per kill"
    charged = sum(r.attempts - 1 for r in rows)  # attempts beyond the one that was accepted
    assert charged <= kills, "a kill was charged to a mail the sender had not reached"
    assert kills >= KILLS // 2
    print(f"kills={kills} resent={resent} attempts={Counter(r.attempts for r in rows)}")
