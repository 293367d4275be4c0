"""Use cases of a free text invoice: start a draft, type lines, pro forma, post (and mail it)."""
from __future__ import annotations

from domain.errors import N_, NotFound
from domain.free_text_invoice import FreeTextInvoice, TypedLine
from domain.invoice import ProForma
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.ports import Clock, UnitOfWork
from domain.services.common import existing_customer, next_number
from domain.user import Permission, User


async def _visible(uow: UnitOfWork, user: User, invoice_id: int) -> FreeTextInvoice:
    invoice = await uow.free_text_invoices.get(invoice_id)
    if invoice is None or not user.may_see(invoice.salesperson_id):
        raise NotFound(N_("That free text invoice does not exist or is not yours."))
    return invoice


async def start_free_text_invoice(uow: UnitOfWork, clock: Clock, user: User,
                                  customer_id: int) -> FreeTextInvoice:
    user.require(Permission.INVOICE)
    async with uow:
        await existing_customer(uow, customer_id)
        invoice = FreeTextInvoice(customer_id=customer_id, salesperson_id=user.id,
                                  created_at=clock.now())
        await uow.free_text_invoices.add(invoice)
        await uow.commit()
    return invoice


async def get_free_text_invoice(uow: UnitOfWork, user: User, invoice_id: int) -> FreeTextInvoice:
    async with uow:
        return await _visible(uow, user, invoice_id)


async def enter_line(uow: UnitOfWork, user: User, invoice_id: int, text: str) -> FreeTextInvoice:
    """Add a line typed as '<main account> <amount> <tax%> <description>'.

    A first word that is an item number of the catalog is refused as such (the seed: no item
    numbers on a free text invoice), rather than as a malformed main account.
    """
    user.require(Permission.INVOICE)
    typed = TypedLine.parse(text)
    async with uow:
        invoice = await _visible(uow, user, invoice_id)
        item = await uow.items.by_number(typed.first_word) if typed.first_word else None
        invoice.add_typed_line(typed, item_number=item.item_number if item else "")
        await uow.commit()
    return invoice


async def remove_line(uow: UnitOfWork, user: User, invoice_id: int, line_number: int) -> FreeTextInvoice:
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible(uow, user, invoice_id)
        invoice.remove_line(line_number)
        await uow.commit()
    return invoice


async def pro_forma_for_free_text_invoice(uow: UnitOfWork, clock: Clock, user: User,
                                          invoice_id: int) -> ProForma:
    """The draft as the customer would receive it today; nothing is saved, no number is drawn."""
    user.require(Permission.INVOICE)
    async with uow:
        return (await _visible(uow, user, invoice_id)).pro_forma(clock.today())


async def post_free_text_invoice(uow: UnitOfWork, clock: Clock, user: User,
                                 invoice_id: int) -> FreeTextInvoice:
    """Post: the number comes from the customer invoice sequence, the customer balance goes to the
    posting profile's summary account, and the invoice e-mail is queued in the same transaction."""
    user.require(Permission.INVOICE)
    async with uow:
        invoice = await _visible(uow, user, invoice_id)
        profile = await uow.posting_profiles.get(invoice.posting_profile)
        if profile is None:
            raise NotFound(N_("Posting profile {code} does not exist."), code=invoice.posting_profile)
        invoice.post(profile, await next_number(uow, Seq.CUSTOMER_INVOICE), clock.today())
        customer = await uow.customers.get(invoice.customer_id)
        await uow.outbox.add(OutboxMail.queue(MailKind.FREE_TEXT_INVOICE_POSTED, invoice.id,
                                              customer.email, customer.language, clock.now(),
                                              notify_user_id=user.id))
        await uow.commit()
    return invoice
