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

from bot.i18n import _, accept_language, current_locale, pick_locale, use_locale
from domain.consent import read_unsubscribe_token
from domain.errors import DomainError
from domain.ports import Clock
from domain.services import campaigns

PATH = "/unsubscribe/{token}"


def page_locale(request: web.Request, known: str | None, default: str) -> str:
    """The contact's language when the link names one, else the browser's, else the company's."""
    return pick_locale(known, accept_language(request.headers.get("Accept-Language")), default)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    html = (f"<!doctype html><html lang=\"{current_locale()}\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width\"><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
    return web.Response(text=html, status=status, content_type="text/html",
                        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})


def add_routes(app: web.Application, uow: Callable, clock: Clock, secret: bytes | None,
               locale: str = "en") -> None:
    def refused(error: DomainError, status: int) -> web.Response:
        return _page(_("Unsubscribe"), f"<p>{escape(_(error.message).format(**error.params))}</p>", status)

    async def contact(request: web.Request) -> tuple[tuple[str, int] | DomainError, str]:
        """(kind, id) the token names, or why it is refused; and the page's locale."""
        try:
            named = read_unsubscribe_token(secret, request.match_info["token"])
        except DomainError as error:
            return error, page_locale(request, None, locale)
        return named, page_locale(request, await campaigns.contact_language(uow(), *named), locale)

    async def confirm(request: web.Request) -> web.Response:
        named, page_in = await contact(request)
        with use_locale(page_in):
            if isinstance(named, DomainError):
                return refused(named, 400)
            return _page(_("Unsubscribe"),
                         "<p>" + escape(_("Stop receiving our campaign e-mails at this address? Mail about "
                                          "your own quotations, orders and invoices still reaches you.")) +
                         "</p><form method=\"post\"><button type=\"submit\">" +
                         escape(_("Unsubscribe")) + "</button></form>")

    async def unsubscribe(request: web.Request) -> web.Response:
        named, page_in = await contact(request)
        with use_locale(page_in):
            if isinstance(named, DomainError):
                return refused(named, 400)
            try:
                await campaigns.unsubscribe(uow(), clock, *named)
            except DomainError as error:
                return refused(error, 404)
            return _page(_("Unsubscribed"), "<p>" + escape(_("You will receive no more campaign e-mails "
                                                             "from us at this address.")) + "</p>")

    app.router.add_get(PATH, confirm)
    app.router.add_post(PATH, unsubscribe)
