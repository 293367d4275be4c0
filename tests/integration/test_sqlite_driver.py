"""storage/sqlite_driver.py: one call into aiosqlite's thread per statement, same results."""
from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.database import create_engine
from storage.sqlite_driver import DRIVERNAME, dialect_for


def test_only_aiosqlite_urls_change_driver(monkeypatch):
    assert dialect_for("sqlite+aiosqlite:///x.db").drivername == DRIVERNAME
    assert dialect_for("postgresql+asyncpg://u@h/db").drivername == "postgresql+asyncpg"
    monkeypatch.delattr(aiosqlite.Connection, "_execute")
    assert dialect_for("sqlite+aiosqlite:///x.db").drivername == "sqlite+aiosqlite"


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    yield engine
    await engine.dispose()


async def test_rows_counts_ids_and_errors_come_back_as_before(engine):
    assert engine.dialect.driver == "aiosqlite"  # what the rest of storage checks for
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INT)"))
        inserted = await conn.execute(text("INSERT INTO t (name, n) VALUES (:a, 1)"), {"a": "één"})
        assert inserted.lastrowid == 1
        many = await conn.execute(text("INSERT INTO t (name, n) VALUES (:a, 2)"), [{"a": "b"}, {"a": "c"}])
        assert many.rowcount == 2
        updated = await conn.execute(text("UPDATE t SET n = n + 1 WHERE n = 2"))
        assert updated.rowcount == 2
        returned = await conn.execute(text("UPDATE t SET n = 0 WHERE name = 'b' RETURNING id, n"))
        assert returned.all() == [(2, 0)]
        assert (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all() == ["één", "b", "c"]
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name, n) VALUES ('b', 9)"))
    async with engine.connect() as conn:  # the failed transaction left nothing behind
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 3


async def test_a_statement_is_one_hand_off_to_the_driver_thread(engine, monkeypatch):
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))  # connected and begun
        calls = []
        original = aiosqlite.Connection._execute

        async def counting(self, fn, *args, **kwargs):
            calls.append(fn)
            return await original(self, fn, *args, **kwargs)

        monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
        rows = (await conn.execute(text("SELECT 1 UNION ALL SELECT 2"))).all()
        assert rows == [(1,), (2,)]
        assert len(calls) == 1  # the stock adapter: cursor, execute, fetchall, close


class HandOffs:
    """Counts the functions sent to aiosqlite's thread (statements, COMMIT, ROLLBACK)."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        original = aiosqlite.Connection._execute

        async def counting(connection, fn, *args, **kwargs):
            self.calls.append(fn.__name__)
            return await original(connection, fn, *args, **kwargs)

        monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)


async def test_a_transaction_is_its_statements_plus_one_hand_off(engine, monkeypatch):
    async with engine.begin() as conn:  # connect outside the count
        await conn.execute(text("CREATE TABLE t (n INT)"))
    hand_offs = HandOffs(monkeypatch)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t VALUES (1)"))
        await conn.execute(text("SELECT n FROM t"))
    # BEGIN IMMEDIATE went with the first statement; the pool's reset after COMMIT had nothing to end.
    assert hand_offs.calls == ["run_statement", "run_statement", "commit"]
    hand_offs.calls.clear()
    async with engine.connect() as conn:
        await conn.execute(text("SELECT n FROM t"))
    assert hand_offs.calls == ["run_statement", "rollback"]
    hand_offs.calls.clear()
    async with engine.begin():
        pass  # begun, no statement: nothing reached SQLite, nothing to end
    assert hand_offs.calls == []


async def test_the_write_lock_is_taken_with_the_first_statement(engine, tmp_path):
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INT)"))
    other = sqlite3.connect(tmp_path / "driver.db", timeout=0, isolation_level=None)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT count(*) FROM t"))  # a read, yet the lock is ours
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # given back when our transaction ended
        other.execute("ROLLBACK")
    finally:
        other.close()


async def test_a_begin_that_cannot_get_the_lock_fails_its_statement_and_leaves_no_transaction(
        engine, tmp_path):
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INT)"))
        await conn.execute(text("PRAGMA busy_timeout=50"))  # the pool's one connection keeps it
    holder = sqlite3.connect(tmp_path / "driver.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    async with engine.begin() as conn:  # the connection is whole: no half-open transaction
        await conn.execute(text("INSERT INTO t VALUES (2)"))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT n FROM t"))).scalars().all() == [2]


async def test_a_statement_cancelled_while_queued_still_has_its_transaction_ended(engine, tmp_path):
    """The awaiting task is cancelled while its statement (and the BEGIN with it) waits in the
    driver's queue. The statement still runs later, so the transaction it opens must be ended after
    it, not judged closed (and its ROLLBACK skipped) before it ran."""
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INT)"))
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        busy = asyncio.create_task(driver._execute(time.sleep, 0.3))  # the thread is busy meanwhile
        await asyncio.sleep(0.05)
        statement = asyncio.create_task(conn.execute(text("INSERT INTO t VALUES (1)")))
        await asyncio.sleep(0.05)
        statement.cancel()
        with pytest.raises(asyncio.CancelledError):
            await statement
        await busy
    other = sqlite3.connect(tmp_path / "driver.db", timeout=5, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the cancelled transaction gave the write lock back
        other.execute("ROLLBACK")
        assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)
    finally:
        other.close()
    async with engine.begin() as conn:  # and the connection can begin again
        await conn.execute(text("INSERT INTO t VALUES (2)"))


def _worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name]


async def test_a_database_that_cannot_be_opened_is_named_and_leaves_no_thread_behind(tmp_path):
    # aiosqlite stops its thread after a failed open without waiting for it; when the event loop
    # closed first (asyncio.run returning with the error) the thread died with 'Event loop is
    # closed' on stderr. sqlite's own message did not say which file.
    folder = tmp_path / "a folder, not a file"
    folder.mkdir()
    engine = create_engine(f"sqlite+aiosqlite:///{folder}")
    try:
        with pytest.raises(OperationalError, match=re.escape(f"unable to open database file: {folder}")):
            async with engine.connect():
                pass
        assert _worker_threads() == []
    finally:
        await engine.dispose()
