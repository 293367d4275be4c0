"""The bot's small HTTP server (issue 4 §4): an aiohttp application built from a list of
route-adding callables, so another part adds its pages with one more callable.

    server = WebServer(host, port, [quotation_page.routes(...), webhook_routes(...)])
    await server.start(); ...; await server.stop()

Port 0 takes a free port (tests); `server.port` tells which.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from aiohttp import web

log = logging.getLogger(__name__)
RouteAdder = Callable[[web.Application], None]
MAX_BODY = 64 * 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the page's address carries a token
    "Cache-Control": "no-store",
}


@web.middleware
async def _security_headers(request: web.Request, handler):
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def build_web_app(adders: Iterable[RouteAdder]) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_security_headers])
    for add in adders:
        add(app)
    return app


class WebServer:
    """`adders` is a list, or a callable returning one at start (routes added until then count)."""

    def __init__(self, host: str, port: int,
                 adders: Iterable[RouteAdder] | Callable[[], Iterable[RouteAdder]]) -> None:
        self.host, self.port = host, port
        self._adders = adders
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        adders = self._adders() if callable(self._adders) else self._adders
        self.app = build_web_app(adders)
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("HTTP server listening on %s:%s", self.host, self.port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
