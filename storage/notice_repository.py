"""Delay notices, their Telegram messages and the digests sent (issue 5 §6).

The race-prone steps are single conditional statements, so they hold on SQLite and on PostgreSQL
alike: moving a line's date (`move_date`: only from the date the run saw), answering a notice
(`claim_answer`: only while unanswered) and claiming a Telegram message (`claim_message`: only
while queued). A second process doing the same at the same moment changes no row and backs off.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.backorder import BACKORDER_TYPES
from domain.delay_notice import DelayNotice, DigestSent, ExpiringQuotation, MessageStatus, NoticeMessage
from domain.quotation import OPEN_STATUSES
from domain.sales_agreement import AgreementStatus, SalesAgreement
from domain.sales_order import SalesOrderStatus
from domain.user import Role, User
from storage import tables as t

N, M, D = t.delay_notices.c, t.delay_notice_messages.c, t.digests_sent.c
L, O = t.sales_order_lines.c, t.sales_orders.c


class DelayNoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, notice_id: int) -> DelayNotice | None:
        return await self.session.get(DelayNotice, notice_id)

    async def add(self, notice: DelayNotice) -> None:
        self.session.add(notice)

    async def add_message(self, message: NoticeMessage) -> None:
        self.session.add(message)

    async def of_line(self, line_id: int) -> list[DelayNotice]:
        return list((await self.session.scalars(
            select(DelayNotice).where(N.sales_order_line_id == line_id).order_by(N.id))).all())

    async def newest_id(self, line_id: int) -> int | None:
        return await self.session.scalar(select(func.max(N.id)).where(N.sales_order_line_id == line_id))

    async def next_sequence(self, line_id: int) -> int:
        """The number the line's next notice takes (1 for its first)."""
        last = await self.session.scalar(select(func.max(N.sequence)).where(N.sales_order_line_id == line_id))
        return (last or 0) + 1

    async def move_date(self, line_id: int, previous: date | None, new: date) -> bool:
        """Set a line's confirmed delivery date, only if it still is `previous`."""
        result = await self.session.execute(
            update(t.sales_order_lines).where(L.id == line_id, L.confirmed_delivery_date == previous)
            .values(confirmed_delivery_date=new), execution_options={"synchronize_session": False})
        return result.rowcount == 1

    async def claim_answer(self, notice_id: int, answer: str, user_id: int, now: datetime,
                           detail: str) -> bool:
        result = await self.session.execute(
            update(t.delay_notices).where(N.id == notice_id, N.answer.is_(None))
            .values(answer=answer, answered_by=user_id, answered_at=now, answer_detail=detail[:200]),
            execution_options={"synchronize_session": False})
        return result.rowcount == 1

    async def customer_accounts(self, customer_id: int) -> list[User]:
        """The customer's contacts who linked Telegram."""
        u = t.users.c
        return list((await self.session.scalars(
            select(User).where(u.role == Role.CUSTOMER, u.customer_id == customer_id).order_by(u.id))).all())

    # -- the Telegram messages, drained by a sender ------------------------------------------------
    async def queued_messages(self, limit: int, after_id: int = 0) -> list[NoticeMessage]:
        """In id order from after_id on: a sender passes the queue once, not again over rows it gave back."""
        return list((await self.session.scalars(
            select(NoticeMessage).where(M.status == MessageStatus.QUEUED, M.id > after_id)
            .order_by(M.id).limit(limit))).all())

    async def messages_of(self, notice_id: int) -> list[NoticeMessage]:
        return list((await self.session.scalars(
            select(NoticeMessage).where(M.notice_id == notice_id).order_by(M.id))).all())

    async def claim_message(self, message_id: int) -> bool:
        result = await self.session.execute(
            update(t.delay_notice_messages).where(M.id == message_id, M.status == MessageStatus.QUEUED)
            .values(status=MessageStatus.SENDING, attempts=M.attempts + 1),
            execution_options={"synchronize_session": False})
        return result.rowcount == 1

    async def release_message(self, message_id: int, error: str) -> None:
        """Give a claimed message back to the queue (a transient failure), for a later run."""
        await self.session.execute(
            update(t.delay_notice_messages).where(M.id == message_id, M.status == MessageStatus.SENDING)
            .values(status=MessageStatus.QUEUED, error=error[:2000]), execution_options={"synchronize_session": False})

    async def finish_message(self, message_id: int, status: str, now: datetime | None, error: str | None) -> None:
        await self.session.execute(
            update(t.delay_notice_messages).where(M.id == message_id)
            .values(status=status, sent_at=now, error=(error or None) and error[:2000]),
            execution_options={"synchronize_session": False})

    # -- the morning digest ------------------------------------------------------------------------
    async def staff(self) -> list[User]:
        u = t.users.c
        return list((await self.session.scalars(
            select(User).where(u.role != Role.CUSTOMER).order_by(u.id))).all())

    async def backorder_counts(self, salesperson_id: int, today: date) -> tuple[int, int]:
        """(open backorder lines, of which past their confirmed date) of one salesperson."""
        late = func.sum(case((L.confirmed_delivery_date < today, 1), else_=0))
        row = (await self.session.execute(
            select(func.count(), late).select_from(t.sales_order_lines.join(t.sales_orders, O.id == L.sales_order_id))
            .where(L.delivered < L.quantity, O.status != SalesOrderStatus.CANCELED,
                   O.order_type.in_(sorted(BACKORDER_TYPES)), O.salesperson_id == salesperson_id))).one()
        return int(row[0] or 0), int(row[1] or 0)

    async def expiring_quotations(self, salesperson_id: int, first: date, last: date) -> list[ExpiringQuotation]:
        q, c = t.quotations.c, t.customers.c
        rows = await self.session.execute(
            select(q.id, q.number, c.name, q.valid_until)
            .select_from(t.quotations.join(t.customers, c.id == q.customer_id))
            .where(q.salesperson_id == salesperson_id, q.status.in_(sorted(OPEN_STATUSES)),
                   q.valid_until >= first, q.valid_until <= last)
            .order_by(q.valid_until, q.number))
        return [ExpiringQuotation(*row) for row in rows.all()]

    async def ending_agreements(self, salesperson_id: int, first: date, last: date) -> list[SalesAgreement]:
        a = t.sales_agreements.c
        return list((await self.session.scalars(
            select(SalesAgreement).where(a.salesperson_id == salesperson_id, a.status == AgreementStatus.EFFECTIVE,
                                         a.valid_to >= first, a.valid_to <= last)
            .order_by(a.valid_to, a.number))).all())

    async def digest_sent(self, user_id: int, day: date) -> bool:
        return await self.session.scalar(select(D.id).where(D.user_id == user_id, D.day == day)) is not None

    async def add_digest(self, sent: DigestSent) -> None:
        self.session.add(sent)

    async def remove_digest(self, user_id: int, day: date) -> None:
        await self.session.execute(delete(t.digests_sent).where(D.user_id == user_id, D.day == day))
