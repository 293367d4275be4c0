"""`salesbot invoice month 2026-10 [--customer C-001]`: the month-end run for an admin.

Posts one invoice per customer for the month's packing slips not yet invoiced, across orders, as a
manager would with Post all in /invoicing. The invoice e-mails go into the outbox; the running bot
sends them.
"""
from __future__ import annotations

import argparse

from bot.clock import SystemClock
from bot.cli_commands import CliError, _database
from bot.settings import Settings
from domain.errors import DomainError
from domain.invoicing import Month
from domain.services import invoicing
from domain.user import Role, User


def month_end_runner() -> User:
    """The run is the admin's, not a chat user's: no one to notify in Telegram if a mail fails.
    Built per run, never at import: a User made before storage.mapping.start_mappers (bot.cli.main
    runs it first) has no SQLAlchemy state and crashes when read."""
    return User(telegram_id=1, name="salesbot invoice month", role=Role.ADMIN)


def add_parser(commands) -> None:
    invoice = commands.add_parser("invoice", help="post customer invoices")
    actions = invoice.add_subparsers(dest="invoice_command", required=True, metavar="ACTION")
    month = actions.add_parser("month", help="one invoice per customer for a month's packing slips "
                                             "not yet invoiced, across orders")
    month.add_argument("month", help="the month as YYYY-MM, e.g. 2026-10")
    month.add_argument("--customer", default=None, help="only this customer's account number, e.g. C-001")


def _plain(exc: DomainError) -> CliError:
    return CliError(" ".join(str(exc).replace("<code>", "").replace("</code>", "").split()))


async def invoice_month(url: str, month_text: str, account: str | None, timezone: str) -> str:
    try:
        month = Month.parse(month_text)
    except DomainError as exc:
        raise _plain(exc) from None
    async with _database(url, timezone) as uow_factory:
        customer_id = None
        if account:
            async with uow_factory() as uow:
                customer = await uow.customers.by_account(account)
            if customer is None:
                raise CliError(f"no customer with account number {account!r}")
            customer_id = customer.id
        try:
            run = await invoicing.invoice_month(uow_factory, SystemClock(timezone), month_end_runner(), month,
                                                customer_id)
        except DomainError as exc:
            raise _plain(exc) from None
    lines = [f"{invoice.number} {customer.account_number} {customer.name}: {invoice.totals.gross}"
             for customer, invoice in run.posted]
    lines += [f"not posted: {customer.account_number} {customer.name}: {error}" for customer, error in run.skipped]
    lines.append(f"{month}: {len(run.posted)} invoice(s) posted, {len(run.skipped)} not posted; "
                 "the e-mails are in the outbox")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import asyncio
    settings = Settings()
    print(asyncio.run(invoice_month(settings.database_url, args.month, args.customer, settings.timezone)))
    return 0
