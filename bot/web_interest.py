"""The "I'm interested" link of a campaign e-mail (issue 5 §5), served by the bot's web server.

GET /interest/{token} only shows a page with a button (link scanners and previews fetch URLs and
must not answer for anyone); POST records the answer once (a second POST says it was already noted).
The token is signed and names one recipient row of one campaign (domain/campaign_response.py).
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape

from aiohttp import web

from bot.i18n import _, use_locale
from bot.web_unsubscribe import _page, page_locale
from domain.campaign_response import ResponseKind, read_interest_token
from domain.errors import DomainError
from domain.ports import Clock
from domain.services import campaign_responses

PATH = "/interest/{token}"


def add_routes(app: web.Application, uow: Callable, clock: Clock, secret: bytes | None,
               locale: str = "en", wake: Callable[[], None] = lambda: None) -> None:
    def refused(error: DomainError, status: int) -> web.Response:
        return _page(_("Interested"), f"<p>{escape(_(error.message).format(**error.params))}</p>", status)

    async def recipient(request: web.Request):
        """(campaign id, the recipient row or None) the token names, or why it is refused; and the
        page's locale: the recipient's language (the mail's), else the browser's, else the company's."""
        try:
            campaign_id, row_id = read_interest_token(secret, request.match_info["token"])
        except DomainError as error:
            return error, page_locale(request, None, locale)
        row = await _row(row_id)
        if row is not None and row.campaign_id != campaign_id:
            row = None
        return row, page_locale(request, row.language if row is not None else None, locale)

    async def confirm(request: web.Request) -> web.Response:
        row, page_in = await recipient(request)
        with use_locale(page_in):
            if isinstance(row, DomainError):
                return refused(row, 400)
            return _page(_("Interested"),
                         "<p>" + escape(_("Would you like us to contact you about this offer?")) +
                         "</p><form method=\"post\"><button type=\"submit\">" +
                         escape(_("Yes, I am interested")) + "</button></form>")

    async def interested(request: web.Request) -> web.Response:
        row, page_in = await recipient(request)
        with use_locale(page_in):
            if isinstance(row, DomainError):
                return refused(row, 400)
            if row is None:
                return _page(_("Interested"), "<p>" + escape(_("This link is not valid. Please use the "
                                                               "link from our latest e-mail.")) + "</p>", 404)
            try:
                answered = await campaign_responses.respond(uow(), clock, row.id, ResponseKind.INTERESTED)
            except DomainError as error:
                return refused(error, 400)
            if not answered.recorded:
                return _page(_("Interested"), "<p>" + escape(_("Your answer was already noted. Thank you!"))
                             + "</p>")
            wake()
            return _page(_("Thank you"), "<p>" + escape(_("Thank you! Your contact person will get in "
                                                          "touch with you soon.")) + "</p>")

    async def _row(row_id: int):
        async with uow() as unit:
            return await unit.campaign_responses.recipient(row_id)

    app.router.add_get(PATH, confirm)
    app.router.add_post(PATH, interested)
