"""Issue 5 §6: the customer's answer to a backorder delay notice (buttons on the notice message).

The button carries the notice id and the choice only; the service re-checks everything (that
customer, once, the newest notice, the line still open). The salesperson is told the outcome.
"""
from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import DEFAULT_LOCALE, _, use_locale
from domain.delay_notice import NoticeAnswer
from domain.services import delay_notices as service
from domain.services.delay_notices import AnswerResult
from domain.user import User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.text import day, esc, qty

log = logging.getLogger(__name__)
routes = Routes("delay_notices")


class NoticeReply(CallbackData, prefix="nr"):
    notice_id: int
    answer: str  # NoticeAnswer: wait / ship / cancel


def notice_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    """Labels in the current locale."""
    rows = [(_("Wait for the whole line"), NoticeAnswer.WAIT),
            (_("Ship what is on hand now"), NoticeAnswer.SHIP),
            (_("Cancel the rest of the line"), NoticeAnswer.CANCEL)]
    return InlineKeyboardMarkup(inline_keyboard=[
        [Button(text=text, callback_data=NoticeReply(notice_id=notice_id, answer=answer).pack())]
        for text, answer in rows])


def notice_text(view: service.NoticeView) -> str:
    """The customer's notice, in the current locale."""
    order, line, notice = view.order, view.line, view.notice
    previous = day(notice.previous_date) if notice.previous_date else "-"
    return "\n".join([
        _("<b>Delivery delayed</b> · order {order}").format(order=esc(order.number)),
        _("{item} {name}: {remaining} {unit} still to deliver.").format(
            item=esc(line.item_number), name=esc(line.description), remaining=qty(line.deliver_remainder),
            unit=esc(line.unit)),
        _("We now expect to deliver it on {date} (we had said {previous}).").format(
            date=day(notice.expected_date), previous=previous),
        "",
        _("What would you like us to do?")])


def _customer_reply(result: AnswerResult) -> str:
    line, order = result.line, result.order
    if result.answer is NoticeAnswer.SHIP:
        text = _("We ship {quantity} {unit} of {item} now (packing slip {slip}).").format(
            quantity=qty(result.quantity), unit=esc(line.unit), item=esc(line.item_number),
            slip=esc(result.packing_slip))
        if line.deliver_remainder > 0:
            text += "\n" + _("The remaining {remaining} {unit} follow, expected on {date}.").format(
                remaining=qty(line.deliver_remainder), unit=esc(line.unit), date=day(result.expected_date))
        return text
    if result.answer is NoticeAnswer.CANCEL:
        return _("The remaining {quantity} {unit} of {item} on order {order} are canceled.").format(
            quantity=qty(result.quantity), unit=esc(line.unit), item=esc(line.item_number), order=esc(order.number))
    return _("Thank you: we deliver {item} on order {order} as soon as it is in, expected on {date}.").format(
        item=esc(line.item_number), order=esc(order.number), date=day(result.expected_date))


def salesperson_report(result: AnswerResult) -> str:
    line, order = result.line, result.order
    head = _("{customer} answered the delay notice for order {order}, line {line} ({item}):").format(
        customer=esc(result.customer.name), order=esc(order.number), line=line.line_number,
        item=esc(line.item_number))
    if result.answer is NoticeAnswer.SHIP:
        body = _("ship what is on hand: packing slip {slip} for {quantity} {unit}; {remaining} still to "
                 "deliver.").format(slip=esc(result.packing_slip), quantity=qty(result.quantity),
                                    unit=esc(line.unit), remaining=qty(line.deliver_remainder))
    elif result.answer is NoticeAnswer.CANCEL:
        body = _("cancel the line: {quantity} {unit} canceled.").format(quantity=qty(result.quantity),
                                                                         unit=esc(line.unit))
    else:
        body = _("wait; accepts delivery on {date}.").format(date=day(result.expected_date))
    if result.date_changed:  # an older notice answered after the line's date was moved
        body += "\n" + _("The notice said {date}; the line's date was changed since.").format(
            date=day(result.notice.expected_date))
    return f"{head}\n{body}"


async def tell_salesperson(bot: Bot, result: AnswerResult, default_locale: str) -> None:
    salesperson = result.salesperson
    if salesperson is None:
        return
    with use_locale(salesperson.language or default_locale):
        text = salesperson_report(result)
    try:
        await bot.send_message(salesperson.telegram_id, text)
    except TelegramAPIError as exc:  # blocked or gone: the answer itself is saved
        log.warning("could not tell salesperson %s about notice %s: %s", salesperson.id, result.notice.id, exc)


@routes.callback_query(NoticeReply.filter())
async def answer(query: CallbackQuery, callback_data: NoticeReply, user: User, deps: Deps,
                 notice_locale: str = DEFAULT_LOCALE) -> None:
    result = await service.answer_notice(deps.uow(), deps.clock, user, callback_data.notice_id,
                                         callback_data.answer)
    # First, whatever happens to the customer's reply below: the answer is saved and acted on.
    await tell_salesperson(query.bot, result, notice_locale)
    await query.answer()
    try:
        await query.message.edit_reply_markup(reply_markup=None)
    except TelegramAPIError:
        pass  # the old buttons stay, and are refused if tapped
    await query.message.answer(_customer_reply(result))
