"""Tell the salesperson at once about a new quotation request (issue 4 §2; §3 uses it for e-mails).

    notices = RequestNotices(notifier)          # or dispatcher["request_notices"] in bot/app.py
    submitted = await quotation_requests.create_request(uow, clock, customer_id, lines, ...)
    await notices.tell(submitted)

Each recipient (the salesperson, or every manager when the request sits in the shared queue) gets
the request in their own language with a button "Make quotation draft".
"""
from __future__ import annotations

from bot.i18n import _, use_locale
from bot.notifier import Notifier
from domain.services.quotation_requests import Submitted
from handlers.request_render import request_keyboard, request_text
from handlers.text import esc


class RequestNotices:
    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    async def tell(self, submitted: Submitted) -> int:
        """Message every recipient; returns how many got it (a blocked chat is only logged)."""
        told = 0
        request, customer = submitted.request, submitted.customer
        for person in submitted.notify:
            if person is None:
                continue
            with use_locale(self.notifier.locale_of(person)):
                head = (_("New quotation request from {customer}.").format(customer=esc(customer.name))
                        if not request.in_queue else
                        _("New quotation request in the shared queue (the account has no salesperson)."))
                text = head + "\n\n" + request_text(request, customer, person if not request.in_queue else None)
                markup = request_keyboard(request, person)
            told += await self.notifier.send(person.telegram_id, text, markup)
        return told
