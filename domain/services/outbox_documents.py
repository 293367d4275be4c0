"""Which document a queued mail carries, by its number, for the people told about it."""
from __future__ import annotations

from domain.outbox import MailKind, OutboxMail
from domain.ports import UnitOfWork


async def mailed_document(uow: UnitOfWork, mail: OutboxMail) -> str | None:
    """The number of the quotation or invoice the mail sends (None for other mails), inside the
    caller's unit of work."""
    repositories = {MailKind.QUOTATION_SENT: uow.quotations, MailKind.INVOICE_POSTED: uow.invoices,
                    MailKind.FREE_TEXT_INVOICE_POSTED: uow.free_text_invoices}
    repository = repositories.get(mail.kind)
    document = await repository.get(mail.ref_id) if repository is not None else None
    return document.number if document is not None else None
