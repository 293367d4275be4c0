"""`salesbot campaign list|create|content|schedule|letters|pause|resume|cancel|status` (issue 5 §1).

The command line acts as an administrator (it runs on the server); `create` names the marketing user
who owns the campaign. Sending is the bot's: `schedule` only records when (the running bot's
scheduler fires it).
"""
from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli_commands import CliError, _database
from bot.clock import SystemClock
from bot.documents.letters import render_letters
from bot.documents.renderer import company_header
from bot.settings import Settings
from domain.campaign import CampaignProgress
from domain.services import campaign_letters, campaigns
from domain.user import Role, User


def command_line_admin() -> User:
    """Who the command line acts as. Built per run, never at import: a User made before
    storage.mapping.start_mappers (bot.cli.main runs it first) has no SQLAlchemy state and crashes
    when read."""
    return User(telegram_id=1, name="command line", role=Role.ADMIN)


def add_parser(commands) -> None:
    camp = commands.add_parser("campaign", help="e-mail campaigns: list, create, schedule, pause, ...")
    sub = camp.add_subparsers(dest="campaign_command", required=True, metavar="ACTION")
    sub.add_parser("list", help="the campaigns, newest first")
    create = sub.add_parser("create", help="a draft campaign; prints how many contacts it reaches")
    create.add_argument("--user", type=int, required=True, help="Telegram id of the owner (marketing)")
    create.add_argument("--type", default="e-mail", help="e-mail, mailing or telemarketing")
    create.add_argument("--name", required=True)
    create.add_argument("--language", default="en")
    create.add_argument("--select", default="all",
                        help="e.g. 'stage=customer group=retail language=nl' (default: all)")
    content = sub.add_parser("content", help="set one language's template from a file: subject on the "
                                             "first line, then the text; optionally ---html--- and HTML")
    content.add_argument("id", type=int)
    content.add_argument("language")
    content.add_argument("file", type=Path)
    schedule = sub.add_parser("schedule", help="send at 'YYYY-MM-DD HH:MM' (company time) or 'now'")
    schedule.add_argument("id", type=int)
    schedule.add_argument("when")
    letters = sub.add_parser("letters", help="a mailing campaign's letters as one printable PDF (the "
                                             "campaign is then done)")
    letters.add_argument("id", type=int)
    letters.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    for name in ("pause", "resume", "cancel", "status"):
        sub.add_parser(name, help=f"{name} a campaign").add_argument("id", type=int)


def _describe(view, tz: ZoneInfo) -> str:
    c, p = view.campaign, view.progress
    when = c.scheduled_at.astimezone(tz).isoformat(timespec="minutes") if c.scheduled_at else "-"
    head = (f"#{c.id} {c.name} [{c.type}, {c.language}] {c.status}; selection {c.selection.describe()}; "
            f"scheduled {when}\n")
    if view.calls is not None:
        states, calls = view.calls.by_state, view.calls
        return head + (f"calls: open {states.get('open', 0)}, done {states.get('done', 0)}, skipped (no phone) "
                       f"{states.get('skipped', 0)}, cancelled (still open at the cancel) {states.get('cancelled', 0)}; outcomes: "
                       + (", ".join(f"{o} {n}" for o, n in sorted(calls.by_outcome.items())) or "-") + "\n"
                       + "\n".join(f"  {name or 'unassigned'}: open {o}, done {d}" for name, o, d in calls.by_person))
    if view.contacts is not None:
        n = view.contacts
        return head + (f"targets {n.contacts}, without a phone number {n.without_phone}, opted out "
                       f"themselves {n.refused}")
    return head + _progress(p)


def _progress(p: CampaignProgress) -> str:
    line = (f"targeted {p.targeted}, queued {p.queued}, sending {p.sending}, sent {p.sent}, failed {p.failed}, "
            f"bounced {p.bounced}, skipped {p.skipped}, unknown {p.unknown}, cancelled (never sent) {p.cancelled}")
    if p.unknown:
        line += ("\nunknown: the sender stopped while handing these to the SMTP server; they may have "
                 "arrived and are not resent automatically")
    return line


async def _run(args: argparse.Namespace, settings: Settings) -> str:
    clock = SystemClock(settings.timezone)
    action, admin = args.campaign_command, command_line_admin()
    async with _database(settings.database_url, settings.timezone) as uow:
        if action == "list":
            found = await campaigns.listing(uow(), admin)
            return "\n".join(f"#{c.id} {c.name} [{c.type}] {c.status}" for c in found) or "no campaigns"
        if action == "create":
            async with uow() as u:
                owner = await u.users.by_telegram_id(args.user)
            if owner is None:
                raise CliError(f"no user with Telegram id {args.user}")
            created = await campaigns.create(uow(), clock, owner, args.type, args.name, args.language,
                                             args.select)
            return (f"campaign #{created.campaign.id} created (draft): reaches {created.targets - created.opted_out} "
                    f"contact(s); {created.opted_out} opted out")
        if action == "content":
            await campaigns.set_content(uow(), admin, args.id, args.language, args.file.read_text("utf-8"))
            return f"campaign #{args.id}: content in {args.language} saved"
        if action == "letters":
            company = company_header(settings)

            def write(found) -> bytes:  # written before the campaign is marked done
                pdf = render_letters(company, found)
                args.out.write_bytes(pdf)
                return pdf
            printed = await campaign_letters.print_letters(uow(), clock, admin, args.id, write)
            missing = (f"; {printed.without_address} without a postal address" if printed.without_address
                       else "")
            return (f"campaign #{args.id}: {printed.letters} letter(s) written to {args.out}{missing}; "
                    f"the campaign is {printed.campaign.status}")
        if action == "schedule":
            if args.when.strip().lower() == "now":
                at = None
            else:
                try:
                    at = datetime.strptime(args.when.strip(), "%Y-%m-%d %H:%M").replace(
                        tzinfo=ZoneInfo(settings.timezone))
                except ValueError:
                    raise CliError("give the time as 'YYYY-MM-DD HH:MM' or 'now'", code=2) from None
            await campaigns.schedule(uow(), clock, admin, args.id, at)
        elif action == "pause":
            await campaigns.pause(uow(), admin, args.id)
        elif action == "resume":
            await campaigns.resume(uow(), admin, args.id)
        elif action == "cancel":
            await campaigns.cancel(uow(), clock, admin, args.id)
        return _describe(await campaigns.view(uow(), admin, args.id), ZoneInfo(settings.timezone))


def run(args: argparse.Namespace) -> int:
    print(asyncio.run(_run(args, Settings())))
    return 0
