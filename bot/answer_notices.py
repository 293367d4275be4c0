"""Issue 4 §4: the salesperson is told at once, in their language, how the customer answered."""
from __future__ import annotations

from bot.i18n import _, use_locale
from bot.notifier import Notifier
from domain.quotation_answer import AnswerKind, Channel
from domain.services.quotation_answers import Answered
from handlers.text import esc


class AnswerNotices:
    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    def text(self, done: Answered) -> str:
        where = _("in Telegram") if done.answer.channel is Channel.TELEGRAM else _("on the web page")
        params = dict(customer=esc(done.customer.name), number=esc(done.quotation.number), where=where)
        if done.answer.kind is AnswerKind.ACCEPTED:
            return _("✅ {customer} accepted quotation {number} {where}: sales order {order} was "
                     "created.").format(order=esc(done.order.number), **params)
        if done.answer.kind is AnswerKind.DECLINED:
            return _("❌ {customer} declined quotation {number} {where}; it is now lost. Reason: "
                     "{reason}").format(reason=esc(done.answer.text), **params)
        return _("✏️ {customer} asks for changes to quotation {number} {where}:\n{text}").format(
            text=esc(done.answer.text), **params)

    async def tell_salesperson(self, done: Answered) -> bool:
        person = done.salesperson
        if person is None:
            return False
        with use_locale(self.notifier.locale_of(person)):
            text = self.text(done)
        return await self.notifier.send(person.telegram_id, text)
