"""The acknowledgement of a quotation request that came by e-mail (issue 4 §3).

A reply to the sender's mail (In-Reply-To, References, "Re:" subject), marked Auto-Submitted so
auto-responders do not answer it back, listing the lines matched to items and those a salesperson
will look at.
"""
from __future__ import annotations

import dataclasses
import re

from bot.formatting import format_quantity
from bot.i18n import translations
from bot.mail import OutgoingMail
from domain.outbox import OutboxMail
from domain.ports import UnitOfWork

_MESSAGE_ID = re.compile(r"^<[^<>\s]+>$")


async def compose_request_received(composer, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
    inbound = await uow.inbound_mails.get(mail.ref_id)
    customer = await uow.customers.get(inbound.customer_id) if inbound.customer_id else None
    locale = mail.language
    t = translations(locale)
    matched, flagged = [], []
    for line in inbound.lines:
        if line.matched:
            matched.append(dict(quantity=format_quantity(line.quantity, locale),
                                item_number=line.item_number, item_name=line.item_name))
        else:
            flagged.append(dict(text=line.text,
                                problem=t.gettext(line.problem).format(**line.problem_args)))
    context = dict(
        greeting_name=inbound.sender_name or (customer.name if customer else inbound.sender),
        company_name=composer.company.name, matched=matched, flagged=flagged,
        subject=inbound.subject,
        intro_text=t.gettext("Thank you for your request. A salesperson will send you a quotation."))
    subject = t.gettext("We received your request: {subject}").format(
        subject=inbound.subject or t.gettext("(no subject)"))
    out = composer._out(mail, subject, "mail_request_received", context, None, "",
                        customer.id if customer else None)
    headers = [("Auto-Submitted", "auto-replied")]
    if _MESSAGE_ID.match(inbound.message_id):
        headers += [("In-Reply-To", inbound.message_id), ("References", inbound.message_id)]
    return dataclasses.replace(out, extra_headers=tuple(headers))
