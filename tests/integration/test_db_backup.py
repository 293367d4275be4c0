"""`salesbot db backup FILE`: a consistent, checked copy of the SQLite database, also while the bot
writes; nothing is overwritten and PostgreSQL is pointed to its own tools."""
from __future__ import annotations

import sqlite3
from contextlib import closing

from bot.cli import main
from tests.integration.test_cli import CUSTOMERS, count, db_url, write  # noqa: F401  (db_url: fixture)
from storage import tables as t


def test_a_backup_taken_during_a_write_holds_the_committed_data_and_opens_as_the_database(
        db_url, tmp_path, capsys):
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    live = tmp_path / "cli.db"
    with closing(sqlite3.connect(live, isolation_level=None)) as writer:
        # The bot is in the middle of a write: its lock held, its row not committed.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO customers (account_number, name, email, language, customer_group, "
                       "postal_address) VALUES ('C-999', 'Uncommitted', 'u@x.example', 'en', '', '')")
        assert main(["db", "backup", str(tmp_path / "copy.db")]) == 0
        writer.execute("COMMIT")
    out = capsys.readouterr().out
    assert "backup written to" in out and "integrity check" in out

    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not list(tmp_path.glob(".*.partial"))
    copy_url = f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}"
    assert count(copy_url, t.customers) == 3  # the three committed, not the one being written
    assert count(db_url, t.customers) == 4


def test_an_existing_file_is_not_overwritten(db_url, tmp_path, capsys):
    assert main(["db", "upgrade"]) == 0
    taken = tmp_path / "copy.db"
    taken.write_bytes(b"an older backup")
    assert main(["db", "backup", str(taken)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert taken.read_bytes() == b"an older backup"


def test_postgresql_and_a_missing_database_are_refused_with_a_clear_answer(db_url, tmp_path, capsys,
                                                                           monkeypatch):
    assert main(["db", "backup", str(tmp_path / "copy.db")]) == 1  # nothing migrated yet: no file
    assert "no such database file" in capsys.readouterr().err
    monkeypatch.setenv("SALESBOT_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    assert main(["db", "backup", str(tmp_path / "copy.db")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "Traceback" not in err
    assert not (tmp_path / "copy.db").exists()
