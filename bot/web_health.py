"""GET /healthz on the bot's HTTP server, for a load balancer in front of several webhook processes
or a process supervisor: 200 while this process reaches its database (and Redis, when set) and is
not shutting down; 503 otherwise, so that the balancer sends Telegram's updates to another process.

The answer names the part that failed and nothing more (the log has the error).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import READ_ONLY

log = logging.getLogger(__name__)
CHECK_SECONDS = 3.0  # a check slower than this counts as failed: the balancer's own timeout is near

Check = Callable[[], Awaitable[object]]


class Health:
    """The checks of this process, and whether it is shutting down (set first by App.close)."""

    def __init__(self, checks: dict[str, Check]) -> None:
        self.checks = checks
        self.stopping = False

    async def report(self) -> tuple[bool, dict[str, str]]:
        parts = dict(zip(self.checks, await asyncio.gather(*(self._run(name, check)
                                                             for name, check in self.checks.items()))))
        if self.stopping:
            parts["process"] = "stopping"
        return all(state == "ok" for state in parts.values()), parts

    @staticmethod
    async def _run(name: str, check: Check) -> str:
        try:
            await asyncio.wait_for(check(), CHECK_SECONDS)
        except Exception as error:  # any failure, a timeout too, means "not now"
            log.warning("health check %s failed: %s: %s", name, type(error).__name__, error)
            return "unreachable"
        return "ok"

    def add_routes(self, app: web.Application) -> None:
        async def healthz(_request: web.Request) -> web.Response:
            healthy, parts = await self.report()
            return web.json_response({"status": "ok" if healthy else "unavailable", **parts},
                                     status=200 if healthy else 503)
        app.router.add_get("/healthz", healthz)


def database_check(engine: AsyncEngine) -> Check:
    async def check() -> None:
        # Read-only: on SQLite it does not queue for the write lock behind a long write.
        async with engine.connect() as connection:
            await (await connection.execution_options(**{READ_ONLY: True})).execute(text("SELECT 1"))
    return check
