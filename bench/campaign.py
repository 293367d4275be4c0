"""A 100 000-recipient e-mail campaign to a loopback SMTP sink, against a bare aiosmtplib loop.

    python -m bench.campaign                       # 1 000 and 100 000 recipients, SQLite
    python -m bench.campaign --recipients 1000 --database-url postgresql+asyncpg://...

Both runs use the same sink (aiosmtpd in its own process, counting only), the same number of kept-open
connections and the same message bytes (the bare loop sends a campaign message it was handed). The
bare loop runs before and after the campaign (the ratio is against their mean: the shared machine's
load drifts). Each sending run is a fresh process, so its peak RSS (VmHWM) is the sender's alone; the
database is filled beforehand by this process (Core executemany, then the campaign's INSERT ... SELECT).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

CONNECTIONS = 4
IN_FLIGHT = 2  # bot.campaign_sender.IN_FLIGHT (not imported here: the parent stays light)
ROOT = Path(__file__).resolve().parents[1]


# --- the sink: its own process, counts messages -----------------------------------------------------

def _sink(conn) -> None:
    from tests.fakes.smtp import _EphemeralPortController as Controller  # port 0 done right

    class Counting:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.count += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=0, server_hostname="sink.bench")
    controller.start()
    conn.send(controller.port)
    conn.recv()  # until told to stop
    controller.stop()


# --- filling the database -----------------------------------------------------------------------------

async def _prepare(url: str, recipients: int) -> tuple[int, bytes]:
    """Customers, a marketing user and a started campaign; returns (campaign id, one message)."""
    from sqlalchemy import insert
    from bot.campaign_mail import CampaignMailer, Recipient
    from domain.campaign_content import CompiledContent
    from domain.services import campaigns
    from domain.user import Role, User
    from storage import tables as t
    from storage.database import create_engine, session_factory
    from storage.migrate import upgrade_async
    from storage.uow import UnitOfWorkFactory
    from tests.fakes.clock import FrozenClock

    await upgrade_async(url)
    engine = create_engine(url)
    uow = UnitOfWorkFactory(session_factory(engine))
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    async with engine.begin() as conn:
        for start in range(0, recipients, 5000):
            await conn.execute(insert(t.customers), [
                {"account_number": f"B-{n:07d}", "name": f"Customer {n}", "email": f"c{n}@bench.example",
                 "language": "en", "customer_group": "bench"} for n in range(start, min(start + 5000, recipients))])
    user = User(telegram_id=42, name="Bench", role=Role.MARKETING, email="bench@example.com")
    async with uow() as u:
        await u.users.add(user)
        await u.commit()
    created = await campaigns.create(uow(), clock, user, "e-mail", "Bench", "en", "group=bench")
    body = "Dear {{ contact_name }},\n\n" + "Our new range is here. " * 40 + "\n{{ unsubscribe_url }}\n"
    await campaigns.set_content(uow(), user, created.campaign.id, "en", "News for {{ company }}\n" + body)
    await campaigns.schedule(uow(), clock, user, created.campaign.id, None)
    assert await campaigns.start(uow(), clock, created.campaign.id)
    campaign = (await campaigns.view(uow(), user, created.campaign.id)).campaign
    mailer = CampaignMailer("Bench <bench@example.com>", "https://bot.example.com", b"bench")
    sample = mailer.build(CompiledContent(campaign.content_for("en")), "Bench",
                          Recipient("customer", 1, "c1@bench.example", "Customer 1", "Customer 1"),
                          mailer.message_id(1, 1))
    await engine.dispose()
    return created.campaign.id, sample


# --- the two sending runs (each in a fresh process) -------------------------------------------------

async def _send_campaign(url: str, port: int, in_flight: int) -> dict:
    from bot.campaign_mail import CampaignMailer
    from bot.campaign_sender import CampaignSender
    from bot.campaign_smtp import SmtpConfig
    from bot.clock import SystemClock
    from storage.database import create_engine, session_factory
    from storage.uow import UnitOfWorkFactory

    engine = create_engine(url)
    uow = UnitOfWorkFactory(session_factory(engine))
    sender = CampaignSender(uow, SystemClock("UTC"),
                            CampaignMailer("Bench <bench@example.com>", "https://bot.example.com", b"bench"),
                            SmtpConfig("127.0.0.1", port, timeout=30), rate=0, connections=CONNECTIONS,
                            batch=200, lease_seconds=600, in_flight=in_flight)
    started, cpu = time.perf_counter(), time.process_time()
    sent = 0
    while handled := await sender.drain_once():
        sent += handled
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    return {"sent": sent, "seconds": elapsed, "cpu_seconds": cpu}


async def _bare_loop(port: int, count: int, message: bytes) -> dict:
    import aiosmtplib

    async def one_connection(share: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30, local_hostname="bench.local")
        await smtp.connect()
        for n in range(share):
            await smtp.sendmail("bench@example.com", [f"c{n}@bench.example"], message)
        await smtp.quit()

    shares = [count // CONNECTIONS + (1 if i < count % CONNECTIONS else 0) for i in range(CONNECTIONS)]
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one_connection(s) for s in shares))
    return {"sent": count, "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}


def _peak_rss_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss would carry over the parent's from before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "campaign" and os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats
        profile = cProfile.Profile()
        result = profile.runcall(asyncio.run, _send_campaign(argv[1], int(argv[2]), int(argv[3])))
        pstats.Stats(profile, stream=sys.stderr).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "tottime")).print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 40)
    elif mode == "campaign":
        result = asyncio.run(_send_campaign(argv[1], int(argv[2]), int(argv[3])))
    else:
        result = asyncio.run(_bare_loop(int(argv[1]), int(argv[2]), Path(argv[3]).read_bytes()))
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def _run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.campaign", "--child", *args], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if os.environ.get("BENCH_PROFILE"):
        print(out.stderr[-6000:], file=sys.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(recipients: int, url: str | None, workdir: Path, in_flight: int) -> dict:
    url = url or f"sqlite+aiosqlite:///{tempfile.mkdtemp(dir=workdir)}/bench-{recipients}.db"
    _campaign_id, sample = asyncio.run(_prepare(url, recipients))
    message = workdir / "message.eml"
    message.write_bytes(sample)
    parent, child = multiprocessing.Pipe()
    sink = multiprocessing.Process(target=_sink, args=(child,), daemon=True)
    sink.start()
    port = parent.recv()
    try:  # the bare loop before and after the campaign: the machine's load drifts
        bare_before = _run_child("bare", str(port), str(recipients), str(message))
        campaign = _run_child("campaign", url, str(port), str(in_flight))
        bare_after = _run_child("bare", str(port), str(recipients), str(message))
    finally:
        parent.send("stop")
        sink.join(10)
    assert campaign["sent"] == recipients, campaign
    bare_seconds = (bare_before["seconds"] + bare_after["seconds"]) / 2
    return {"recipients": recipients, "message_bytes": len(sample), "connections": CONNECTIONS,
            "in_flight": in_flight,
            "bare_per_s": [round(recipients / bare_before["seconds"]), round(recipients / bare_after["seconds"])],
            "campaign_per_s": round(recipients / campaign["seconds"]),
            "ratio": round(bare_seconds / campaign["seconds"], 2),
            "campaign_peak_rss_mb": round(campaign["peak_rss_mb"], 1),
            "bare_peak_rss_mb": round(max(bare_before["peak_rss_mb"], bare_after["peak_rss_mb"]), 1),
            # CPU time of the sending process (both of its threads) during the sending, per message
            "campaign_cpu_us_per_msg": round(campaign["cpu_seconds"] / recipients * 1e6),
            "bare_cpu_us_per_msg": round((bare_before["cpu_seconds"] + bare_after["cpu_seconds"])
                                         / 2 / recipients * 1e6)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, nargs="*", default=[1000, 100_000])
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied!); default: a SQLite file")
    parser.add_argument("--in-flight", type=int, default=IN_FLIGHT,
                        help="rows a connection marks `sending` together (bot.campaign_sender.IN_FLIGHT)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.recipients:
            print(json.dumps(run(n, args.database_url, Path(tmp), args.in_flight)), flush=True)


if __name__ == "__main__":
    main()
