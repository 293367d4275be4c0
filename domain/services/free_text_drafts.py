"""Free text invoice drafts beyond one conversation: list, delete, choose the posting profile."""
from __future__ import annotations

from domain.free_text_invoice import FreeTextInvoice, PostingProfile
from domain.invoicing import check_deletable, choose_posting_profile
from domain.ports import UnitOfWork
from domain.services.free_text_invoices import _visible
from domain.user import Permission, User

DRAFT_LIST_LIMIT = 20


async def my_drafts(uow: UnitOfWork, user: User) -> list[FreeTextInvoice]:
    """The user's own unposted free text invoices, newest first."""
    user.require(Permission.INVOICE)
    async with uow:
        return await uow.invoicing.free_text_drafts_of(user.id, DRAFT_LIST_LIMIT)


async def delete_draft(uow: UnitOfWork, user: User, invoice_id: int) -> FreeTextInvoice:
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible(uow, user, invoice_id)
        check_deletable(invoice)
        await uow.invoicing.delete_free_text_invoice(invoice)
        await uow.commit()
    return invoice


async def posting_profiles(uow: UnitOfWork) -> list[PostingProfile]:
    async with uow:
        return await uow.invoicing.posting_profiles()


async def set_posting_profile(uow: UnitOfWork, user: User, invoice_id: int, code: str) -> FreeTextInvoice:
    """The customer balance of this invoice will go to that profile's summary account."""
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible(uow, user, invoice_id)
        choose_posting_profile(invoice, await uow.posting_profiles.get(code), code)
        await uow.commit()
    return invoice
