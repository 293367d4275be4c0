"""The `salesbot` command line, called as `main([...])` against a real SQLite file."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from storage import tables as t
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.harness import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]

PRODUCTS = """item_number,name,unit,sales_price,sales_tax_percent
A-100,Office chair,pcs,149.95,21
A-200,Standing desk,pcs,499.00,21
B-300,Sales handbook,pcs,"24,50",9
"""
CUSTOMERS = """account_number,name,email,language
C-001,Acme Office BV,buyer@acme.example,en
C-002,Café Hoogvliet,inkoop@hoogvliet.example,nl
C-003,ООО Ромашка,zakupki@romashka.example,en
"""
STOCK = "item_number,on_hand\nA-100,40\nB-300,12.5\n"
USERS = "telegram_id,name,role,email\n1001,Sam Sales,sales,sam@example.com\n1002,Mia Manager,Manager,\n"


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite file; the cwd is tmp_path so no developer's .env is read."""
    monkeypatch.chdir(tmp_path)
    for name in ("SALESBOT_BOT_TOKEN", "SALESBOT_SMTP_HOST", "SALESBOT_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SALESBOT_DATABASE_URL", url)
    return url


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return str(path)


def count(url: str, table) -> int:
    async def _count() -> int:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return (await conn.execute(select(func.count()).select_from(table))).scalar_one()
        finally:
            await engine.dispose()
    return asyncio.run(_count())


def lookup(url: str, what):
    """Run `what(uow)` in a unit of work of a fresh engine on `url`."""
    async def _run():
        engine = create_engine(url)
        try:
            async with UnitOfWorkFactory(session_factory(engine))() as uow:
                return await what(uow)
        finally:
            await engine.dispose()
    return asyncio.run(_run())


def _head_revision() -> str:
    from alembic.script import ScriptDirectory
    from storage.migrate import alembic_config
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_db_upgrade_reaches_head_and_is_idempotent(db_url, capsys):
    head = _head_revision()
    assert int(head) >= 3  # the migrations form one chain (a fork has no single head)
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head} (head)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head} (head)" in capsys.readouterr().out


def test_imports_products_customers_stock_and_users(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    assert capsys.readouterr().out.strip() == "products: 3 created, 0 updated"
    # Excel's "CSV UTF-8" starts with a byte-order mark; the first column must still be found.
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS, "utf-8-sig")]) == 0
    assert capsys.readouterr().out.strip() == "customers: 3 created, 0 updated"
    assert main(["import", "stock", write(tmp_path, "s.csv", STOCK)]) == 0
    assert capsys.readouterr().out.strip() == "stock: 0 created, 2 updated"
    assert main(["import", "users", write(tmp_path, "u.csv", USERS)]) == 0
    assert capsys.readouterr().out.strip() == "users: 2 created, 0 updated"

    book = lookup(db_url, lambda uow: uow.items.by_number("B-300"))
    assert (book.sales_price, book.sales_tax_percent, book.on_hand) == (
        Decimal("24.50"), Decimal("9"), Decimal("12.5"))
    cafe = lookup(db_url, lambda uow: uow.customers.by_account("C-003"))
    assert cafe.name == "ООО Ромашка"
    mia = lookup(db_url, lambda uow: uow.users.by_telegram_id(1002))
    assert mia.role == "manager"


def test_a_rerun_updates_instead_of_duplicating(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    changed = PRODUCTS.replace("149.95", "139.00")
    assert main(["import", "products", write(tmp_path, "p2.csv", changed)]) == 0
    assert capsys.readouterr().out.strip().endswith("products: 0 created, 3 updated")
    assert count(db_url, t.items) == 3
    chair = lookup(db_url, lambda uow: uow.items.by_number("A-100"))
    assert chair.sales_price == Decimal("139.00")


def test_optional_group_columns_are_read_and_updated(db_url, tmp_path, capsys):
    grouped = "account_number,name,email,language,customer_group\nC-001,Acme,a@acme.example,en,WHOLESALE\n"
    assert main(["import", "customers", write(tmp_path, "c.csv", grouped)]) == 0
    items = "item_number,name,unit,sales_price,sales_tax_percent,item_group\nA-100,Chair,pcs,10,21,SEATING\n"
    assert main(["import", "products", write(tmp_path, "p.csv", items)]) == 0
    assert lookup(db_url, lambda uow: uow.customers.by_account("C-001")).customer_group == "WHOLESALE"
    assert lookup(db_url, lambda uow: uow.items.by_number("A-100")).item_group == "SEATING"
    # An empty cell clears the group; a file without the column leaves it (test_import_files.py).
    emptied = grouped.replace("WHOLESALE", "")
    assert main(["import", "customers", write(tmp_path, "c2.csv", emptied)]) == 0
    assert lookup(db_url, lambda uow: uow.customers.by_account("C-001")).customer_group == ""


def test_bad_rows_are_all_named_by_line_and_nothing_is_imported(db_url, tmp_path, capsys):
    bad = ("item_number,name,unit,sales_price,sales_tax_percent\n"
           "A-100,Office chair,pcs,149.95,21\n"      # line 2: fine
           "A-200,Standing desk,pcs,abc,21\n"        # line 3: bad price
           "A-300,Desk lamp,pcs,39.95,-5\n"          # line 4: negative tax
           "A-400,,pcs,10,21\n"                      # line 5: no name
           "\n"                                      # line 6: blank, skipped but counted
           "A-100,Office chair again,pcs,1,21\n")    # line 7: duplicate key
    assert main(["import", "products", write(tmp_path, "bad.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3: 'abc' is not a number." in err
    assert "line 4: A sales tax percentage must be between 0 and 100." in err
    assert "line 5: An item needs a name." in err
    assert "line 7: duplicate of line 2" in err
    assert "line 2:" not in err and "line 6:" not in err
    assert "4 bad row(s); nothing was imported" in err
    assert count(db_url, t.items) == 0


def test_values_longer_than_the_records_keep_are_named_by_line_and_nothing_is_imported(db_url, tmp_path, capsys):
    """On PostgreSQL they would fail the whole file at the database; SQLite would keep them whole."""
    products = ("item_number,name,unit,sales_price,sales_tax_percent,item_group\n"
                f"{'A' * 41},Chair,pcs,1,21,\n"            # line 2
                f"A-2,{'n' * 201},pcs,1,21,\n"             # line 3
                f"A-3,Desk,{'u' * 21},1,21,\n"             # line 4
                f"A-4,Lamp,pcs,1,21,{'g' * 41}\n"          # line 5
                "A-5,Pen,pcs,1,21,\n")                     # line 6: fine
    assert main(["import", "products", write(tmp_path, "p.csv", products)]) == 1
    err = capsys.readouterr().err
    assert "line 2: An item number can have at most 40 characters." in err
    assert "line 3: A name can have at most 200 characters." in err
    assert "line 4: A unit can have at most 20 characters." in err
    assert "line 5: A group can have at most 40 characters." in err
    assert "line 6:" not in err and count(db_url, t.items) == 0
    customers = ("account_number,name,email,language,customer_group\n"
                 f"{'C' * 41},Acme,a@acme.example,en,\n"
                 f"C-2,{'n' * 201},b@acme.example,en,\n"
                 f"C-3,Acme,c@acme.example,en,{'g' * 41}\n")
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 1
    err = capsys.readouterr().err
    assert "line 2: An account number can have at most 40 characters." in err
    assert "line 3: A name can have at most 200 characters." in err
    assert "line 4: A group can have at most 40 characters." in err
    users = f"telegram_id,name,role,email\n5001,{'n' * 201},sales,\n"
    assert main(["import", "users", write(tmp_path, "u.csv", users)]) == 1
    assert "line 2: A name can have at most 200 characters." in capsys.readouterr().err
    assert count(db_url, t.customers) == 0 and count(db_url, t.users) == 0


def test_stock_for_an_unknown_item_is_refused_and_changes_nothing(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    stock = "item_number,on_hand\nA-100,40\nZ-999,3\n"
    assert main(["import", "stock", write(tmp_path, "s.csv", stock)]) == 1
    assert "line 3: unknown item number 'Z-999'" in capsys.readouterr().err
    chair = lookup(db_url, lambda uow: uow.items.by_number("A-100"))
    assert chair.on_hand == 0


def test_a_missing_column_is_named(db_url, tmp_path, capsys):
    no_price = "item_number, name ,unit,sales_tax_percent\nA-100,Office chair,pcs,21\n"
    assert main(["import", "products", write(tmp_path, "p.csv", no_price)]) == 1
    err = capsys.readouterr().err
    assert "missing column(s): sales_price " in err  # " name " with spaces still counts as name
    assert "Traceback" not in err


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("item_number,on_hand\nA-100,4\n".encode("utf-16"), "not UTF-8"),
    ("naam;prijs\nKoffie €;4\n".encode("cp1252"), "not UTF-8 text (bad byte at line 2)"),
    (b"", "the file is empty"),
])
def test_unreadable_files_get_a_clear_message(db_url, tmp_path, capsys, content, message):
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["import", "stock", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_users_add_creates_then_updates_the_same_telegram_id(db_url, capsys):
    assert main(["users", "add", "--telegram-id", "1234", "--name", "Sales Rep", "--role", "sales"]) == 0
    assert "user 1234 created: Sales Rep (sales)" in capsys.readouterr().out
    assert main(["users", "add", "--telegram-id", "1234", "--name", "Sales Lead", "--role", "MANAGER",
                 "--email", "lead@example.com"]) == 0
    assert "user 1234 updated: Sales Lead (manager)" in capsys.readouterr().out
    assert count(db_url, t.users) == 1
    user = lookup(db_url, lambda uow: uow.users.by_telegram_id(1234))
    assert (user.name, user.role, user.email) == ("Sales Lead", "manager", "lead@example.com")


def test_users_add_refuses_an_unknown_role(db_url, capsys):
    assert main(["users", "add", "--telegram-id", "1234", "--name", "X", "--role", "boss"]) == 2
    err = capsys.readouterr().err
    assert "Unknown role 'boss'; use sales, marketing, manager or admin." in err
    assert "Traceback" not in err


def test_users_add_reports_a_bad_email_in_one_line(db_url, capsys):
    assert main(["users", "add", "--telegram-id", "7", "--name", "X", "--role", "sales",
                 "--email", "nope"]) == 1
    assert capsys.readouterr().err == "error: 'nope' is not an e-mail address.\n"


def test_run_without_a_token_explains_and_exits_2(db_url, capsys):
    assert main(["run"]) == 2
    out, err = capsys.readouterr()
    assert "SALESBOT_BOT_TOKEN is not set" in err and "@BotFather" in err and "salesbot demo" in err
    assert "Traceback" not in err + out


def test_run_with_a_malformed_token_exits_2(db_url, monkeypatch, capsys):
    monkeypatch.setenv("SALESBOT_BOT_TOKEN", "not-a-token")
    assert main(["run"]) == 2
    assert "not a valid bot token" in capsys.readouterr().err


def test_usage_errors_exit_2(db_url, capsys):
    assert main([]) == 2
    assert main(["import", "invoices", "x.csv"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_bot_cli_help_works():
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: salesbot" in done.stdout and "demo" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_run_polls_telegram_and_stops_cleanly_on_sigterm(db_url, fake_bot_api: FakeBotAPI):
    # main() runs its own event loop, so call it from a thread here.
    assert await asyncio.to_thread(
        main, ["users", "add", "--telegram-id", "1001", "--name", "Sam Sales", "--role", "sales"]) == 0
    env = dict(os.environ, SALESBOT_BOT_TOKEN=TEST_TOKEN, SALESBOT_TELEGRAM_API_URL=fake_bot_api.url,
               PYTHONPATH=str(ROOT))
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "run", env=env,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await fake_bot_api.wait_for_count("getUpdates", 1, timeout=60)
        fake_bot_api.push_message(1001, "/start")
        reply = await fake_bot_api.wait_for("sendMessage", chat_id=1001, timeout=30)
        assert "Hello Sam Sales" in reply.params["text"]
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    log = (await proc.stderr.read()).decode()
    assert "Received SIGTERM" in log and "Traceback" not in log


def test_rows_of_bare_commas_are_skipped_like_blank_lines(db_url, tmp_path, capsys):
    padded = PRODUCTS + ",,,,\n,,,,\n"
    assert main(["import", "products", write(tmp_path, "p.csv", padded)]) == 0
    assert capsys.readouterr().out.strip() == "products: 3 created, 0 updated"
