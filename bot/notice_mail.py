"""The backorder delay notice e-mail (issue 5 §6), composed from the notice row when it is sent.

The bot has no HTTP server yet for a signed answer link, so the mail offers the three choices as
"reply to this e-mail, or answer with the buttons in Telegram" (the connect link is in every mail).
"""
from __future__ import annotations

from bot.formatting import format_date, format_quantity
from bot.i18n import translations
from bot.mail import OutgoingMail
from domain.outbox import OutboxMail
from domain.ports import UnitOfWork


async def compose_delay_notice(composer, uow: UnitOfWork, mail: OutboxMail) -> OutgoingMail:
    notice = await uow.delay_notices.get(mail.ref_id)
    order = await uow.sales_orders.get(notice.sales_order_id)
    customer = await uow.customers.get(notice.customer_id)
    line = order.line(notice.line_number)
    locale = mail.language
    t = translations(locale)
    salesperson = await uow.users.get(notice.salesperson_id)
    context = dict(
        greeting_name=customer.name, company_name=composer.company.name,
        salesperson_name=salesperson.name if salesperson else composer.company.name,
        intro_text=t.gettext("The delivery of {item} {name} on your order {order} is delayed.").format(
            item=line.item_number, name=line.description, order=order.number),
        remaining_text=t.gettext("Still to deliver: {remaining} {unit} of {ordered}.").format(
            remaining=format_quantity(line.deliver_remainder, locale), unit=line.unit,
            ordered=format_quantity(line.quantity, locale)),
        date_text=t.gettext("We now expect to deliver it on {date} (we had said {previous}).").format(
            date=format_date(notice.expected_date, locale),
            previous=format_date(notice.previous_date, locale) if notice.previous_date else "-"),
        choice_text=t.gettext("You can wait for the whole line, have us ship what we have on hand now "
                              "(a partial delivery), or cancel the rest of the line. Reply to this "
                              "e-mail with your choice, or answer with the buttons in Telegram."),
        closing_text=t.gettext("We are sorry for the delay."))
    subject = t.gettext("Delivery of order {order} delayed until {date}").format(
        order=order.number, date=format_date(notice.expected_date, locale))
    return composer._out(mail, subject, "delay_notice", context, None, "", customer.id)
