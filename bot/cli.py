"""The `salesbot` command: parses arguments, runs one command, turns failures into one-line messages.

Exit codes: 0 done, 1 the command failed (bad file, rejected rows, database), 2 usage (bad option
or role, no bot token), 130 interrupted.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot import cli_campaigns, invoicing_cli
from bot.cli_commands import CliError, add_user, db_backup, db_upgrade, import_csv
from bot.settings import Settings
from domain.errors import DomainError
from domain.services.imports import COLUMNS, OPTIONAL_COLUMNS
from storage.mapping import start_mappers
from storage.migrate import NewerDatabase

NO_TOKEN = ("SALESBOT_BOT_TOKEN is not set: get a token from @BotFather, or try `salesbot demo` "
            "to use the bot offline in this terminal.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="salesbot", description="Telegram sales assistant: "
                                     "quotations to invoices, by chat and e-mail.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", help="run the bot (long polling; needs SALESBOT_BOT_TOKEN)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the migrations up to the newest revision")
    backup = db_commands.add_parser("backup", help="a consistent copy of the SQLite database, also "
                                    "while the bot runs (PostgreSQL: use pg_dump)")
    backup.add_argument("file", type=Path, help="the copy to write (must not exist yet)")

    imp = commands.add_parser("import", help="import a CSV file (UTF-8, header row first; comma or "
                              "semicolon)", epilog="columns [optional]: " + "; ".join(
                                  f"{kind}: {', '.join(cols)}" + (f" [{', '.join(OPTIONAL_COLUMNS[kind])}]"
                                                                  if kind in OPTIONAL_COLUMNS else "")
                                  for kind, cols in COLUMNS.items()))
    imp.add_argument("kind", choices=sorted(COLUMNS))
    imp.add_argument("file", type=Path)

    users = commands.add_parser("users", help="manage who may use the bot")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add a user, or update one with the same Telegram id")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="sales, marketing, manager or admin")
    add.add_argument("--email", default="")

    invoicing_cli.add_parser(commands)  # issue 3, section 6

    demo = commands.add_parser("demo", help="try the bot offline in this terminal (no Telegram)")
    demo.add_argument("--reset", action="store_true", help="delete the demo data and start afresh")
    demo.add_argument("--data-dir", type=Path, default=Path("demo-data"),
                      help="where the demo keeps its database and mails (default: ./demo-data)")
    cli_campaigns.add_parser(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise CliError(NO_TOKEN, code=2)
    # aiogram and the whole app are imported only here: they take seconds, `--help` should not.
    from aiogram.utils.token import TokenValidationError
    from bot.main import TelegramUnreachable, TokenRefused, run_polling
    try:
        asyncio.run(run_polling(settings))
    except TokenValidationError:
        raise CliError("SALESBOT_BOT_TOKEN is not a valid bot token (it looks like 123456:ABC-...); "
                       "copy it again from @BotFather.", code=2) from None
    except TokenRefused:
        raise CliError("Telegram refused SALESBOT_BOT_TOKEN (revoked or mistyped?); copy it again "
                       "from @BotFather.", code=2) from None
    except TelegramUnreachable as exc:
        raise CliError(f"cannot reach Telegram at {settings.telegram_api_url}: {exc} (check the "
                       "network, or SALESBOT_TELEGRAM_API_URL)") from None
    return 0


def _db(args: argparse.Namespace) -> int:
    if args.db_command == "backup":  # never migrates: a backup is what one takes before upgrading
        print(db_backup(Settings().database_url, args.file))
    else:
        print(asyncio.run(db_upgrade(Settings().database_url)))
    return 0


def _import(args: argparse.Namespace) -> int:
    print(asyncio.run(import_csv(Settings().database_url, args.kind, args.file)))
    return 0


def _users(args: argparse.Namespace) -> int:
    print(asyncio.run(add_user(Settings().database_url, args.telegram_id, args.name, args.role,
                               args.email)))
    return 0


def _demo(args: argparse.Namespace) -> int:
    print("Starting the offline demo...", flush=True)  # importing the bot takes a few seconds
    from bot.demo import DemoError, run_demo
    try:
        run_demo(args.data_dir, reset=args.reset)
    except DemoError as exc:
        raise CliError(str(exc)) from None
    return 0


COMMANDS = {"run": _run, "db": _db, "import": _import, "users": _users, "demo": _demo,
            "invoice": invoicing_cli.run, "campaign": cli_campaigns.run}


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):  # settings: name the environment variable at fault
        return "; ".join(f"SALESBOT_{str(e['loc'][0]).upper()}: {_reason(e)}" if e["loc"] else _reason(e)
                         for e in exc.errors())
    return " ".join(str(exc).split()) or type(exc).__name__


def _reason(error) -> str:
    """A validator's own words, without pydantic's 'Value error, ' before them."""
    raised = error.get("ctx", {}).get("error") if error["type"] == "value_error" else None
    return str(raised) if raised is not None else error["msg"]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse already printed
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    # Only configures when nothing else did (basicConfig is a no-op then, e.g. under pytest).
    logging.basicConfig(level=logging.INFO if args.command == "run" else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Before any command builds a domain object (e.g. the command line's admin user): one made
    # before the classes are mapped has no SQLAlchemy state and crashes when read.
    start_mappers()
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.code
    except (DomainError, ValueError, NewerDatabase) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"database error: {_one_line(getattr(exc, 'orig', None) or exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. a data dir or database file we may not write
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
