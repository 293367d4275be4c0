"""Issue 4 §4: a sent quotation is owed to every Telegram account linked to its customer."""
from __future__ import annotations

from datetime import datetime

from domain.ports import UnitOfWork
from domain.quotation import Quotation
from domain.quotation_answer import TelegramDelivery


async def queue_telegram_delivery(uow: UnitOfWork, quotation: Quotation, now: datetime) -> int:
    """Called inside the send's unit of work: the deliveries commit (or not) with the send itself."""
    users = await uow.quotation_answers.linked_users(quotation.customer_id)
    for user in users:
        await uow.quotation_answers.add_delivery(TelegramDelivery(
            quotation_id=quotation.id, user_id=user.id, chat_id=user.telegram_id,
            created_at=now, next_attempt_at=now))
    return len(users)
