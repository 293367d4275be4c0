"""The unsubscribe pages (issue 5 §2-§3), as aiohttp handlers for the bot's web server.

    add_routes(app, uow, clock, secret)

GET /unsubscribe/{token} only shows a confirmation page with a button: link scanners and mail
previews fetch URLs, and must not unsubscribe anyone. POST /unsubscribe/{token} unsubscribes: the
button, and the RFC 8058 one-click POST a mail client sends (`List-Unsubscribe=One-Click`). The token
is signed and names one contact (domain/consent.py); its address is opted out of e-mail campaigns.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape

from aiohttp import web

from bot.i18n import _, use_locale
from domain.consent import read_unsubscribe_token
from domain.errors import DomainError
from domain.ports import Clock
from domain.services import campaigns

PATH = "/unsubscribe/{token}"


def _page(title: str, body: str, status: int = 200) -> web.Response:
    html = (f"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width\"><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
    return web.Response(text=html, status=status, content_type="text/html",
                        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})


def add_routes(app: web.Application, uow: Callable, clock: Clock, secret: bytes | None,
               locale: str = "en") -> None:
    def refused(error: DomainError, status: int) -> web.Response:
        return _page(_("Unsubscribe"), f"<p>{escape(_(error.message).format(**error.params))}</p>", status)

    async def confirm(request: web.Request) -> web.Response:
        with use_locale(locale):
            try:
                read_unsubscribe_token(secret, request.match_info["token"])
            except DomainError as error:
                return refused(error, 400)
            return _page(_("Unsubscribe"),
                         "<p>" + escape(_("Stop receiving our campaign e-mails at this address? Mail about "
                                          "your own quotations, orders and invoices still reaches you.")) +
                         "</p><form method=\"post\"><button type=\"submit\">" +
                         escape(_("Unsubscribe")) + "</button></form>")

    async def unsubscribe(request: web.Request) -> web.Response:
        with use_locale(locale):
            try:
                kind, contact_id = read_unsubscribe_token(secret, request.match_info["token"])
                await campaigns.unsubscribe(uow(), clock, kind, contact_id)
            except DomainError as error:
                return refused(error, 400 if error.__class__.__name__ == "TokenRefused" else 404)
            return _page(_("Unsubscribed"), "<p>" + escape(_("You will receive no more campaign e-mails "
                                                             "from us at this address.")) + "</p>")

    app.router.add_get(PATH, confirm)
    app.router.add_post(PATH, unsubscribe)
