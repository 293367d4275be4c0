"""`python -m bot.cli ...` in a fresh process: faults that depend on how the process starts (the
import order, the settings read from the environment), which in-process tests cannot see."""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def salesbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run the command line in a new process, in `tmp_path` (no developer's .env) on a fresh database
    unless SALESBOT_DATABASE_URL is given."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SALESBOT_")}
    environ.update(PYTHONPATH=str(ROOT), SALESBOT_OUTBOX_DIR=str(tmp_path / "outbox"),
                   SALESBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_campaign_list_works_on_a_fresh_database(tmp_path):
    # The command line's own admin user was built before the mappers instrumented the User class;
    # the first permission check on it crashed.
    done = salesbot(tmp_path, "campaign", "list")
    assert "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, done.stdout) == (0, "no campaigns\n")


@pytest.mark.parametrize("args, error", [
    (["invoice", "month", "2026-10"], "Nothing to invoice for 2026-10"),
    (["campaign", "status", "1"], "error: "),
    (["campaign", "pause", "1"], "error: "),
])
def test_admin_commands_on_a_fresh_database_say_what_is_missing(tmp_path, args, error):
    done = salesbot(tmp_path, *args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1 and done.stderr.startswith(error)


# --- `run` when Telegram will not have the bot --------------------------------------------------

WELL_FORMED_TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678"


async def run_bot(tmp_path: Path, api_url: str) -> tuple[int, str]:
    """`salesbot run` against `api_url`; (exit code, stderr). Killed if it is still running after a
    minute (the faults below made it end with a traceback, not hang)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SALESBOT_")}
    environ.update(PYTHONPATH=str(ROOT), SALESBOT_BOT_TOKEN=WELL_FORMED_TOKEN,
                   SALESBOT_TELEGRAM_API_URL=api_url, SALESBOT_HTTP_PORT="0",
                   SALESBOT_OUTBOX_DIR=str(tmp_path / "outbox"),
                   SALESBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "run", cwd=tmp_path,
                                                env=environ, stderr=asyncio.subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return proc.returncode, err.decode()


async def test_run_with_a_token_telegram_refuses_says_so_in_one_line(tmp_path, fake_bot_api):
    fake_bot_api.fail_next("getMe", error_code=401, description="Unauthorized", times=100)
    code, err = await run_bot(tmp_path, fake_bot_api.url)
    assert "Traceback" not in err, err
    assert code == 2 and err.splitlines()[-1] == (
        "Telegram refused SALESBOT_BOT_TOKEN (revoked or mistyped?); copy it again from @BotFather.")
    assert not (tmp_path / "fresh.db").exists()  # refused before the database is touched


async def test_run_when_telegram_cannot_be_reached_says_where_and_exits(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    code, err = await run_bot(tmp_path, closed)
    assert "Traceback" not in err, err
    last = err.splitlines()[-1]
    assert code == 1 and last.startswith(f"cannot reach Telegram at {closed}: ")
    assert "SALESBOT_TELEGRAM_API_URL" in last


# --- settings the bot cannot use ------------------------------------------------------------------

def test_an_unknown_time_zone_stops_every_command_in_one_line(tmp_path):
    done = salesbot(tmp_path, "campaign", "list", SALESBOT_TIMEZONE="Mars/Olympus")
    assert (done.returncode, done.stderr) == (
        1, "error: SALESBOT_TIMEZONE: unknown time zone 'Mars/Olympus' (a name like Europe/Amsterdam)\n")


def test_a_database_url_without_its_driver_stops_in_one_line(tmp_path):
    # Was: ModuleNotFoundError: No module named 'psycopg', with a traceback.
    done = salesbot(tmp_path, "db", "upgrade", SALESBOT_DATABASE_URL="postgresql://u:p@127.0.0.1:1/db")
    assert (done.returncode, done.stderr) == (
        1, "error: SALESBOT_DATABASE_URL: PostgreSQL is reached through asyncpg: write "
           "postgresql+asyncpg://user:password@host/database\n")


# --- a database from a newer salesbot -------------------------------------------------------------

def _newer_database(tmp_path: Path, migrated: Path) -> str:
    """A migrated database whose revision this code does not know (a newer salesbot migrated it)."""
    shutil.copy(migrated, tmp_path / "fresh.db")
    with sqlite3.connect(tmp_path / "fresh.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '9024'")
    from alembic.script import ScriptDirectory
    from storage.migrate import alembic_config
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@pytest.mark.parametrize("args", [["db", "upgrade"], ["campaign", "list"]])
def test_a_database_from_a_newer_salesbot_is_named_as_such(tmp_path, sqlite_template, args):
    head = _newer_database(tmp_path, sqlite_template)
    done = salesbot(tmp_path, *args)
    assert (done.returncode, done.stderr) == (
        1, f"error: The database is at revision 9024, newer than this salesbot (latest {head}): run the "
           "newer version or restore a backup.\n")


# --- a SQLite file in a folder that does not exist ------------------------------------------------

@pytest.mark.parametrize("args", [["db", "upgrade"], ["campaign", "list"]])
def test_a_database_in_a_missing_folder_is_refused_and_the_folder_not_made(tmp_path, args):
    # A typo in the path must not quietly start a new, empty database elsewhere.
    missing = tmp_path / "nodir"
    done = salesbot(tmp_path, *args, SALESBOT_DATABASE_URL=f"sqlite+aiosqlite:///{missing / 'y.db'}")
    assert (done.returncode, done.stderr) == (
        1, f"error: the folder {missing} of the SQLite database y.db does not exist (create it, or "
           "correct the path)\n")
    assert not missing.exists()
