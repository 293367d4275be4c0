"""Issue 4 §3 meets §2: the lines of an e-mail become a quotation request in the mail's own
transaction, and the salesperson (or the managers, for the shared queue) is told after the commit."""
from __future__ import annotations

from decimal import Decimal

from bot.request_notices import RequestNotices
from domain.mail_intake import RequestLine
from domain.quotation_request import RequestedLine, RequestSource
from domain.services import quotation_requests
from domain.services.quotation_requests import Submitted

# A flagged line whose quantity could not be read keeps its text; the salesperson reads it there.
UNREAD_QUANTITY = Decimal(1)


def requested(line: RequestLine) -> RequestedLine:
    quantity = line.quantity if line.quantity is not None and line.quantity > 0 else UNREAD_QUANTITY
    item_id = line.item_id if line.matched else None
    return RequestedLine(line.text, quantity, item_id)


class QuotationRequestSink:
    """domain.services.mail_intake.RequestSink for the real quotation requests."""

    def __init__(self, notices: RequestNotices | None) -> None:
        self.notices = notices
        self._pending: list[Submitted] = []

    async def create_request(self, uow, clock, customer_id, lines, note, source, original_mail) -> int:
        submitted = await quotation_requests.add_request(
            uow, clock, customer_id, [requested(line) for line in lines], note, RequestSource.EMAIL,
            original_mail)
        self._pending.append(submitted)
        return submitted.request.id

    def discard(self) -> None:
        """The mail's transaction failed: there is nobody to tell."""
        self._pending.clear()

    async def committed(self) -> None:
        pending, self._pending = self._pending, []
        if self.notices is not None:
            for submitted in pending:
                await self.notices.tell(submitted)
