"""Backorder delay notices and the morning digest (issue 5 §6), run by the scheduler.

`run_notices` finds the lines whose promise slipped (domain/delay_notice.py has the rule) and gives
each its own transaction: the line's new date (a conditional update from the date the run saw),
the notice (the line's next number, unique per line), its e-mail in the outbox and its Telegram
messages are committed together or not at all. A second run, or a second process at the same
moment, finds the date already moved (or the line's next number taken) and creates nothing.

`answer_notice` is the customer's Wait / Ship what is on hand / Cancel the line, checked here:
only that customer, only once, only the line's newest notice, only while the line is open.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.backorder import BackorderLine, Supply
from domain.customer import Customer
from domain.delay_notice import (DIGEST_FIRST_LINES, DIGEST_QUOTATION_DAYS, DelayNotice, Digest, DigestSent,
                                 EndingAgreement, NoticeAnswer, NoticeMessage, NoticeRules, Slip,
                                 cancel_remainder, check_answer, ship_quantity, slipped_lines)
from domain.errors import N_, ConcurrentChange, InvalidInput, TransitionNotAllowed
from domain.numbering import Sequence as Seq
from domain.outbox import MailKind, OutboxMail
from domain.packing_slip import post_packing_slip
from domain.ports import Clock, UnitOfWork
from domain.sales_agreement import fulfilment
from domain.sales_order import SalesOrder, SalesOrderLine
from domain.services.common import next_number
from domain.user import User

log = logging.getLogger(__name__)
UowFactory = Callable[[], UnitOfWork]


async def find_slips(uow: UnitOfWork, clock: Clock, rules: NoticeRules = NoticeRules()) -> list[Slip]:
    """The lines whose promise slipped today, with their new dates (reads only)."""
    async with uow:
        lines = await uow.backorders.lines(None)
        items = sorted({l.item_id for l in lines if l.confirmed_date is not None})
        if not items:
            return []
        wanted = set(items)
        lines = [l for l in lines if l.item_id in wanted]
        on_hand = await uow.backorders.on_hand(items)
        supplies: dict[int, list[Supply]] = {}
        for d in await uow.backorders.missing_deliveries(item_ids=items):
            supplies.setdefault(d.item_id, []).append(Supply(d.expected_date, d.missing))
    return slipped_lines(lines, on_hand, supplies, clock.today(), rules)


async def notify_slip(uow: UnitOfWork, clock: Clock, slip: Slip) -> DelayNotice | None:
    """One line's new date, its notice, e-mail and Telegram messages, in one transaction.

    None when another run already moved the line (nothing is created twice)."""
    line, now = slip.line, clock.now()
    async with uow:
        if not await uow.delay_notices.move_date(line.line_id, slip.previous_date, slip.expected_date):
            return None
        notice = DelayNotice.for_slip(slip, now, await uow.delay_notices.next_sequence(line.line_id))
        customer = await uow.customers.get(line.customer_id)
        notice.email_queued = bool(customer and customer.email)
        await uow.delay_notices.add(notice)
        await uow.flush()  # the unique key (line, sequence) is checked here, and the id is known
        if notice.email_queued:
            await uow.outbox.add(OutboxMail.queue(MailKind.DELAY_NOTICE, notice.id, customer.email,
                                                  customer.language, now, notify_user_id=line.salesperson_id))
        for account in await uow.delay_notices.customer_accounts(line.customer_id):
            await uow.delay_notices.add_message(NoticeMessage(notice.id, account.id, account.telegram_id, now))
        await uow.commit()
    return notice


async def run_notices(uow: UowFactory, clock: Clock, rules: NoticeRules = NoticeRules()) -> list[DelayNotice]:
    """The daily run: every slipped line gets its new date and one notice for it."""
    created = []
    for slip in await find_slips(uow(), clock, rules):
        try:
            notice = await notify_slip(uow(), clock, slip)
        except ConcurrentChange:  # another process created this very notice a moment ago
            log.info("delay notice for line %s on %s already made elsewhere", slip.line.line_id,
                     slip.expected_date)
            continue
        if notice is not None:
            created.append(notice)
    return created


@dataclass(frozen=True)
class NoticeView:
    """What a notice message shows: the notice with its order, line and customer."""
    notice: DelayNotice
    order: SalesOrder
    line: SalesOrderLine
    customer: Customer


async def notice_view(uow: UnitOfWork, notice_id: int) -> NoticeView | None:
    async with uow:
        notice = await uow.delay_notices.get(notice_id)
        if notice is None:
            return None
        order = await uow.sales_orders.get(notice.sales_order_id)
        customer = await uow.customers.get(notice.customer_id)
        if order is None or customer is None:
            return None
        return NoticeView(notice, order, order.line(notice.line_number), customer)


@dataclass(frozen=True)
class AnswerResult:
    notice: DelayNotice
    answer: NoticeAnswer
    order: SalesOrder
    line: SalesOrderLine
    customer: Customer
    salesperson: User | None
    quantity: Decimal = Decimal(0)       # shipped now, or canceled
    packing_slip: str = ""

    @property
    def expected_date(self) -> date:
        """The line's date now, which the answer reports: the salesperson may have moved it
        (Date on /backorders) after the notice was sent."""
        return self.line.confirmed_delivery_date or self.notice.expected_date

    @property
    def date_changed(self) -> bool:
        return self.expected_date != self.notice.expected_date


async def answer_notice(uow: UnitOfWork, clock: Clock, user: User, notice_id: int,
                        answer: str) -> AnswerResult:
    """The customer's answer, re-checked here whatever the button said."""
    user.require_customer()
    try:
        answer = NoticeAnswer(answer)
    except ValueError:
        raise InvalidInput(N_("Choose Wait, Ship what is on hand or Cancel the line.")) from None
    async with uow:
        notice = await uow.delay_notices.get(notice_id)
        order = await uow.sales_orders.get(notice.sales_order_id) if notice else None
        newest = await uow.delay_notices.newest_id(notice.sales_order_line_id) if notice else None
        check_answer(notice, user, order, newest)
        line = order.line(notice.line_number)
        quantity, slip_number = Decimal(0), ""
        if answer is NoticeAnswer.SHIP:
            items = await uow.items.many([l.item_id for l in order.lines])
            quantity = ship_quantity(line.deliver_remainder, items[line.item_id].on_hand)
            if quantity <= 0:
                raise InvalidInput(N_("Nothing of {item} is on hand right now: choose Wait or Cancel the line."),
                                   item=line.item_number)
            # The deliver use case's own rule (deliverable type, remainder, stock on hand) and numbering.
            slip = post_packing_slip(order, items, {line.line_number: quantity},
                                     await next_number(uow, Seq.PACKING_SLIP), clock.today())
            await uow.packing_slips.add(slip)
            slip_number = slip.number
        elif answer is NoticeAnswer.CANCEL:
            quantity = cancel_remainder(order, line.line_number, clock.now())
        detail = slip_number or (str(quantity) if answer is NoticeAnswer.CANCEL else "")
        if not await uow.delay_notices.claim_answer(notice.id, answer, user.id, clock.now(), detail):
            raise TransitionNotAllowed(N_("This notice was already answered."))
        salesperson = await uow.users.get(order.salesperson_id)
        customer = await uow.customers.get(order.customer_id)
        await uow.commit()
    return AnswerResult(notice, answer, order, line, customer, salesperson, quantity, slip_number)


# --- the morning digest -------------------------------------------------------------------------

async def digest_for(uow: UnitOfWork, clock: Clock, user: User, agreement_days: int) -> Digest:
    today = clock.today()
    async with uow:
        count, late = await uow.delay_notices.backorder_counts(user.id, today)
        first: Sequence[BackorderLine] = (await uow.backorders.lines(user.id, limit=DIGEST_FIRST_LINES)
                                          if count else [])
        quotations = await uow.delay_notices.expiring_quotations(
            user.id, today, today + timedelta(days=DIGEST_QUOTATION_DAYS))
        agreements = []
        for agreement in await uow.delay_notices.ending_agreements(user.id, today,
                                                                   today + timedelta(days=agreement_days)):
            left = fulfilment(agreement, await uow.sales_agreements.orders_of(agreement.id)).remaining
            if left > 0:
                customer = await uow.customers.get(agreement.customer_id)
                agreements.append(EndingAgreement(agreement.id, agreement.number,
                                                  customer.name if customer else "", agreement.valid_to,
                                                  left, agreement.commitment_type))
    return Digest(user.id, count, tuple(first), late, tuple(quotations), tuple(agreements))


async def digests_due(uow: UowFactory, clock: Clock, agreement_days: int) -> list[tuple[User, Digest]]:
    """Every salesperson with something to report and no digest yet today."""
    async with uow() as u:
        staff = await u.delay_notices.staff()
    result = []
    for user in staff:
        async with uow() as u:
            if await u.delay_notices.digest_sent(user.id, clock.today()):
                continue
        digest = await digest_for(uow(), clock, user, agreement_days)
        if not digest.is_empty:
            result.append((user, digest))
    return result


async def claim_digest(uow: UnitOfWork, clock: Clock, user_id: int) -> bool:
    """Record today's digest before it is sent: at most one per salesperson per day, even when two
    processes run the job (the second loses on the unique key)."""
    try:
        async with uow:
            if await uow.delay_notices.digest_sent(user_id, clock.today()):
                return False
            await uow.delay_notices.add_digest(DigestSent(user_id, clock.today(), clock.now()))
            await uow.commit()
    except ConcurrentChange:
        return False
    return True


async def unclaim_digest(uow: UnitOfWork, clock: Clock, user_id: int) -> None:
    """Today's digest did not go out after all (Telegram failed for now): a later run may send it.
    Only the process that holds the record removes it, so still one digest a day at most."""
    async with uow:
        await uow.delay_notices.remove_digest(user_id, clock.today())
        await uow.commit()


async def notices_of_line(uow: UnitOfWork, line_id: int) -> list[DelayNotice]:
    async with uow:
        return await uow.delay_notices.of_line(line_id)

