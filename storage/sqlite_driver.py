"""SQLAlchemy's aiosqlite dialect, with each statement ONE call into aiosqlite's thread.

The stock adapter makes a cursor, executes, fetches and closes it as four separate hand-offs to
the driver's thread; each costs a queue put, a thread wake-up and a loop wake-up through the
self-pipe (~50-100 us with the GIL contended), and a typical chat update runs eight statements.
Here a statement's cursor lives and dies inside one function run in that thread, so a statement
is one hand-off: the same SQL, rows, row count and errors, a quarter of the round trips.

A transaction's `BEGIN IMMEDIATE` rides along with its first statement instead of taking a hand-off
of its own, and a COMMIT or ROLLBACK with no transaction open in SQLite (the pool's reset after a
commit, a transaction that never ran a statement) is skipped: a unit of work of N statements costs
N + 1 hand-offs instead of N + 3.

This uses aiosqlite's `Connection._execute` (queue a function for its thread), which is private;
SQLAlchemy's own adapter already reaches into that queue (its isolation-level setter). Without
the hook, `dialect_for` leaves the stock dialect in place (tested).

A failed open waits for aiosqlite's thread to stop (`Connection._thread`, private too), which
aiosqlite itself does not: see `open_connection`.
"""
from __future__ import annotations

import asyncio
import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.engine import URL, make_url

DRIVERNAME = "sqlite+aiosqlite_onehop"
THREAD_STOP_SECONDS = 5  # an idle driver thread stops at once; this only bounds a stuck one


class StatementResult:
    """What a finished sqlite3 cursor leaves behind; stands in for the cursor on our side."""

    __slots__ = ("description", "rows", "rowcount", "lastrowid", "arraysize")

    def __init__(self, description=None, rows=(), rowcount: int = -1, lastrowid: int | None = None) -> None:
        self.description, self.rows = description, rows
        self.rowcount, self.lastrowid, self.arraysize = rowcount, lastrowid, 1

    def close(self) -> None:
        """Nothing to close: the real cursor was closed in the driver's thread."""


def run_statement(connection, operation: str, parameters: Any, many: bool,
                  begin: str | None = None) -> StatementResult:
    """In aiosqlite's thread: `begin` first if given, then execute on a fresh cursor, read
    everything, close the cursor."""
    cursor = connection.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return StatementResult(description, rows, cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False  # StatementResult.close() is plain and instant

    def _make_new_cursor(self, connection) -> StatementResult:
        return StatementResult()  # no hand-off: the real cursor is made per statement

    def _aenter_cursor(self, cursor: StatementResult) -> StatementResult:
        return cursor

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        driver, adapted = self._connection, self._adapt_connection
        async with adapted._execute_mutex:
            begin, adapted.pending_begin = adapted.pending_begin, None
            result = await driver._execute(run_statement, driver._conn, operation, parameters, many, begin)
        self._cursor = result
        if result.description:
            self._rows = collections.deque(result.rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("pending_begin",)
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.pending_begin: str | None = None

    def begin(self, statement: str) -> None:
        """Open a transaction with `statement` (BEGIN IMMEDIATE) together with the next statement."""
        self.pending_begin = statement

    def commit(self) -> None:
        if self._transaction_open():
            super().commit()

    def rollback(self) -> None:
        if self._transaction_open():
            super().rollback()

    def _transaction_open(self) -> bool:
        """False when there is nothing to end: the begin never reached SQLite (it is dropped here, as
        the COMMIT or ROLLBACK asking ends the transaction), or the transaction is over.

        Reading sqlite3's `in_transaction` from this thread is safe: it only asks SQLite whether
        the connection is in autocommit, and no statement of ours is running then. A statement whose
        caller was cancelled may still wait in the driver's queue, but SQLAlchemy discards a
        connection interrupted that way (closing it, after that statement, ends its transaction);
        tests/integration/test_sqlite_driver.py checks it."""
        if self.pending_begin is not None:
            self.pending_begin = None
            return False
        driver = self._connection
        return driver._connection is not None and driver.in_transaction


async def open_connection(database: str, *arg: Any, **kw: Any) -> aiosqlite.Connection:
    """aiosqlite.connect, but a failed open names the file and waits for the driver's thread to end.

    On a failed open aiosqlite queues its thread's stop without waiting for it; when the event loop
    closed first (asyncio.run returning with the error, as a command does) the thread died on
    'Event loop is closed' with a traceback on stderr. Waiting here keeps the loop alive for it."""
    connection = aiosqlite.connect(database, *arg, **kw)
    thread = getattr(connection, "_thread", connection)  # before aiosqlite 0.22 it was the thread
    thread.daemon = True  # as SQLAlchemy's stock adapter does: never holds up the process's exit
    try:
        return await connection
    except BaseException as exc:
        await asyncio.to_thread(thread.join, THREAD_STOP_SECONDS)
        if isinstance(exc, sqlite3.Error):  # sqlite says 'unable to open database file', not which
            raise type(exc)(f"{exc}: {database}") from exc
        raise


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        kw.setdefault("async_creator_fn", open_connection)
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection)


class OneHopDialect(SQLiteDialect_aiosqlite):
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneHopDBAPI:
        return OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(DRIVERNAME.replace("+", "."), __name__, "OneHopDialect")


def dialect_for(url: str | URL) -> URL:
    """`url` on the one-hop dialect where it applies (sqlite+aiosqlite with the hook), else as is."""
    parsed = make_url(url)
    if parsed.drivername != "sqlite+aiosqlite" or not hasattr(aiosqlite.Connection, "_execute"):
        return parsed
    return parsed.set(drivername=DRIVERNAME)
