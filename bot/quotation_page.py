"""Issue 4 §4: the quotation answer page behind the signed link in the quotation e-mail.

GET /q/<token> shows the summary and the three forms and never changes anything; only POST acts.
The page speaks the customer's language; every value is escaped by the template.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bot.formatting import format_date, format_money, format_quantity
from bot.i18n import _, accept_language, pick_locale, translations, use_locale
from domain.customer_link import LinkRefused
from domain.errors import DomainError, InvalidInput
from domain.ports import Clock, UnitOfWork
from domain.quotation_answer import AnswerKind
from domain.quotation_link import EXPIRED
from domain.services import quotation_answers as answers
from domain.services.quotation_answers import Answered
from handlers.text import error_text, esc

log = logging.getLogger(__name__)
ACTIONS = {"accept": AnswerKind.ACCEPTED, "decline": AnswerKind.DECLINED, "changes": AnswerKind.CHANGES}
Told = Callable[[Answered], Awaitable[object]]


def page_path(token: str) -> str:
    return f"/q/{token}"


@dataclass
class QuotationPage:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    secret: bytes | None
    currency: str
    company: str
    default_locale: str
    told: Told | None = None  # tells the salesperson (bot/answer_notices.py)

    def __post_init__(self) -> None:
        self.env = Environment(loader=PackageLoader("bot", "templates"), autoescape=True,
                               undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/q/{token}", self.show)
        app.router.add_post("/q/{token}", self.act)

    # --- rendering --------------------------------------------------------------------------------
    def _render(self, locale: str, status: int, *, title: str, notice: str = "", page=None) -> web.Response:
        t = translations(locale)
        self.env.install_gettext_translations(t, newstyle=True)
        context = dict(lang=locale, title=title, notice=Markup(notice), company_name=self.company, q=None,
                       open=False)
        if page is not None:
            q = page.quotation
            context.update(
                q=q, open=page.closed is None, customer_name=page.customer.name,
                valid_until=format_date(q.valid_until, locale),
                total=format_money(q.totals.gross, self.currency, locale),
                lines=[dict(item=l.item_number, description=l.description,
                            quantity=f"{format_quantity(l.quantity, locale)} {l.unit}",
                            amount=format_money(l.net_amount, self.currency, locale)) for l in q.lines])
        html = self.env.get_template("quotation_page.html.j2").render(context)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    async def _refused(self, exc: DomainError, request: web.Request) -> web.Response:
        """In the language of the customer the link was for (an expired link still names its
        quotation), else the browser's, else the company's."""
        customer_language = None
        if exc.message == EXPIRED:
            customer_language = await answers.language_for_token(self.uow(), self.secret,
                                                                 request.match_info["token"])
        locale = pick_locale(customer_language, accept_language(request.headers.get("Accept-Language")),
                             self.default_locale)
        with use_locale(locale):
            status = 410 if exc.message == EXPIRED else 403
            return self._render(locale, status, title=_("This link cannot be used"), notice=error_text(exc))

    async def _page(self, token: str):
        return await answers.page_for_token(self.uow(), self.clock, self.secret, token)

    # --- handlers ---------------------------------------------------------------------------------
    async def show(self, request: web.Request) -> web.Response:
        try:
            page = await self._page(request.match_info["token"])
        except LinkRefused as exc:
            return await self._refused(exc, request)
        locale = pick_locale(page.customer.language, self.default_locale)
        with use_locale(locale):
            notice = error_text(page.closed) if page.closed else ""
            title = _("Quotation {number}").format(number=page.quotation.number)
            return self._render(locale, 200, title=title, notice=notice, page=page)

    async def act(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        try:
            page = await self._page(token)
        except LinkRefused as exc:
            return await self._refused(exc, request)
        locale = pick_locale(page.customer.language, self.default_locale)
        form = await request.post()
        kind = ACTIONS.get(str(form.get("action", "")))
        with use_locale(locale):
            title = _("Quotation {number}").format(number=page.quotation.number)
            if kind is None:
                return self._render(locale, 400, title=title, page=page,
                                    notice=_("Please choose Accept, Decline or Ask for changes."))
            try:
                done = await answers.answer_by_token(self.uow(), self.clock, self.secret, token, kind,
                                                     str(form.get("text", "")))
            except LinkRefused as exc:
                return await self._refused(exc, request)
            except InvalidInput as exc:
                return self._render(locale, 400, title=title, notice=error_text(exc), page=page)
            except DomainError as exc:
                page = await self._page(token)
                return self._render(locale, 409, title=title, notice=error_text(exc), page=page)
            notice = self._thanks(done)
            page = await self._page(token)
            response = self._render(locale, 200, title=title, notice=notice, page=page)
        if self.told is not None:
            try:
                await self.told(done)
            except Exception:
                log.exception("could not tell the salesperson about quotation %s", done.quotation.number)
        return response

    @staticmethod
    def _thanks(done: Answered) -> str:
        number = esc(done.quotation.number)
        if done.answer.kind is AnswerKind.ACCEPTED:
            return _("Thank you! You accepted quotation {number}; we made sales order {order} and your "
                     "salesperson has been told.").format(number=number, order=esc(done.order.number))
        if done.answer.kind is AnswerKind.DECLINED:
            return _("You declined quotation {number}. Thank you for letting us know; your salesperson "
                     "has been told.").format(number=number)
        return _("We forwarded your request for changes to quotation {number} to your "
                 "salesperson.").format(number=number)
