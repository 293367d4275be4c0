"""Turn an outbox row into the e-mail it stands for: template text and HTML, PDF attached."""
from __future__ import annotations

from email.utils import parseaddr

from bot.answer_links import answer_url  # §A accept and web
from bot.customer_links import CustomerLinks
from bot.documents.renderer import DocumentRenderer
from bot.formatting import format_date, format_money
from bot.i18n import translations
from bot.mail import Attachment, MailTemplates, OutgoingMail, make_message_id
from bot.settings import Settings
from domain.errors import N_
from domain.invoice import InvoiceSources
from domain.outbox import MailKind, OutboxMail
from domain.ports import UnitOfWork
from domain.services.orders import invoice_sources


class MailComposer:
    def __init__(self, settings: Settings, documents: DocumentRenderer,
                 templates: MailTemplates | None = None, links: CustomerLinks | None = None) -> None:
        self.settings = settings
        self.documents = documents
        self.templates = templates or MailTemplates()
        self.company = documents.company
        self.domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "salesbot.local"
        self.links = links or CustomerLinks.from_settings(settings)

    async def compose(self, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
        if mail.kind == MailKind.QUOTATION_SENT:
            return await self._quotation(uow, mail)
        if mail.kind == MailKind.INVOICE_POSTED:
            return await self._invoice(uow, mail)
        if mail.kind == MailKind.FREE_TEXT_INVOICE_POSTED:
            return await self._free_text_invoice(uow, mail)
        if mail.kind == MailKind.CUSTOMER_INVITE:
            return await self._customer_invite(uow, mail)
        if mail.kind == MailKind.MAIL_REQUEST_RECEIVED:  # issue 4 §3
            from bot.mail_intake_mail import compose_request_received
            return await compose_request_received(self, uow, mail)
        if mail.kind == MailKind.DELAY_NOTICE:  # issue 5 §6
            from bot.notice_mail import compose_delay_notice
            return await compose_delay_notice(self, uow, mail)
        raise ValueError(f"unknown mail kind {mail.kind!r}")

    def _out(self, mail: OutboxMail, subject: str, name: str, context: dict, pdf: bytes | None,
             filename: str, customer_id: int | None = None) -> OutgoingMail:
        t = translations(mail.language)
        # Issue 4: every mail to a contact carries the link that connects their Telegram account.
        context.setdefault("telegram_link", self.links.link_for_mail(customer_id, mail.id, mail.created_at)
                           if customer_id else None)
        context.setdefault("telegram_text", t.gettext(
            "Follow your quotations, orders and invoices in Telegram: open this link to connect your account."))
        text, html = self.templates.render(name, context, gettext=t.gettext)
        return OutgoingMail(
            # The same row always gets the same Message-ID, so a resend after a crash is
            # recognisable as the same message by the receiving side.
            message_id=make_message_id(f"outbox-{mail.id}-{int(mail.created_at.timestamp())}", self.domain),
            mail_from=self.settings.mail_from, to=mail.recipient, subject=subject, text=text,
            html=html, attachments=(Attachment(filename, pdf),) if pdf is not None else ())

    async def _quotation(self, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
        q = await uow.quotations.get(mail.ref_id)
        customer = await uow.customers.get(q.customer_id)
        salesperson = await uow.users.get(q.salesperson_id)
        locale, currency = mail.language, self.settings.currency
        t = translations(locale)
        context = dict(
            greeting_name=customer.name, document_number=q.number,
            valid_until_text=format_date(q.valid_until, locale),
            total_text=format_money(q.totals.gross, currency, locale),
            salesperson_name=salesperson.name if salesperson else self.company.name,
            company_name=self.company.name,
            intro_text=t.gettext("Thank you for your interest. Please find our quotation attached."),
            closing_text=t.gettext("Reply to this e-mail or call us to accept it or to ask for changes."),
            # §A accept and web: the signed link to accept, decline or ask for changes on our web page
            answer_link=answer_url(self.settings, q),
            answer_text=t.gettext("Accept, decline or ask for changes online:"))
        subject = t.gettext("Quotation {number} from {company}").format(number=q.number, company=self.company.name)
        pdf = await self.documents.quotation_pdf_async(q, customer, locale)
        return self._out(mail, subject, "quotation_sent", context, pdf, f"{q.number}.pdf", customer.id)

    async def _invoice(self, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
        invoice = await uow.invoices.get(mail.ref_id)
        customer = await uow.customers.get(invoice.customer_id)
        sources = await invoice_sources(uow, invoice)
        pdf = await self.documents.invoice_pdf_async(invoice, customer, sources, mail.language)
        if getattr(invoice, "credit_note_of", None) is not None:  # §4: a returned order's credit note
            # The customer knows the return by the invoice it credits and its RMA number, not by
            # our returned order: the mail names those instead.
            credited = dict(credited_invoice=invoice.credit_note_of, rma_number=sources.rma_number)
            return self._invoice_mail(mail, invoice, customer, InvoiceSources(), pdf,
                                      N_("Please find attached our credit note for the goods you returned."),
                                      N_("Thank you for your business."),
                                      subject=N_("Credit note {number} from {company}"),
                                      document_label=N_("Credit note"), **credited)
        return self._invoice_mail(mail, invoice, customer, sources, pdf,
                                  N_("Please find attached our invoice for what we delivered."),
                                  N_("Thank you for your order."))

    async def _free_text_invoice(self, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
        invoice = await uow.free_text_invoices.get(mail.ref_id)
        customer = await uow.customers.get(invoice.customer_id)
        pdf = await self.documents.free_text_invoice_pdf_async(invoice, customer, mail.language)
        return self._invoice_mail(mail, invoice, customer, InvoiceSources(), pdf,
                                  N_("Please find attached our invoice."),
                                  N_("Thank you for your business."))

    def _invoice_mail(self, mail: OutboxMail, invoice, customer, sources: InvoiceSources, pdf: bytes,
                      intro: str, closing: str,
                      subject: str = N_("Invoice {number} from {company}"),
                      document_label: str = "", credited_invoice: str = "",
                      rma_number: str = "") -> OutgoingMail:
        """The one invoice e-mail; a customer invoice and a free text invoice differ only in text."""
        locale = mail.language
        t = translations(locale)
        context = dict(
            greeting_name=customer.name, document_number=invoice.number,
            total_text=format_money(invoice.totals.gross, self.settings.currency, locale),
            order_numbers=", ".join(sources.order_numbers),
            # Two msgids, not ngettext: "Sales order" alone is also the order type's label.
            orders_label=(t.gettext("Sales orders") if len(sources.order_numbers) > 1
                          else t.gettext("Sales order")),
            packing_slips_label=(t.gettext("Packing slips") if len(sources.packing_slips) > 1
                                 else t.gettext("Packing slip")),
            packing_slips=", ".join(f"{number} ({format_date(on, locale)})"
                                    for number, on in sources.packing_slips),
            credited_invoice=credited_invoice, rma_number=rma_number,
            company_name=self.company.name,
            intro_text=t.gettext(intro), closing_text=t.gettext(closing),
            document_label=t.gettext(document_label) if document_label else "")
        subject = t.gettext(subject).format(number=invoice.number, company=self.company.name)
        return self._out(mail, subject, "invoice_posted", context, pdf, f"{invoice.number}.pdf", customer.id)

    async def _customer_invite(self, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
        """Issue 4: the invitation to connect Telegram; without a secret key it cannot be composed."""
        customer = await uow.customers.get(mail.ref_id)
        t = translations(mail.language)
        link = self.links.link_for_mail(customer.id, mail.id, mail.created_at)
        if link is None:
            raise RuntimeError("customer invitation without SALESBOT_SECRET_KEY or the bot's username")
        context = dict(greeting_name=customer.name, company_name=self.company.name, telegram_link=link,
                       telegram_text=t.gettext("Open this link in Telegram to connect your account. It "
                                               "works once and expires in {days} days.").format(
                           days=self.links.validity.days))
        subject = t.gettext("Follow your orders with {company} in Telegram").format(company=self.company.name)
        return self._out(mail, subject, "customer_invite", context, None, "")
