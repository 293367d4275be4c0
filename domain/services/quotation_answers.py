"""Issue 4 §4: the customer accepts, declines or asks for changes to a sent quotation, in Telegram
(as their linked account) or on the web page (with the signed link from the quotation e-mail).

Only the quotation's own customer may answer, checked here on every call; only a Sent quotation
within its validity can be answered (domain/quotation_answer.py says why not). Accept converts
exactly as Confirm does: the same function (quotations.convert_to_order), the same race safety.
"""
from __future__ import annotations

from dataclasses import dataclass

from domain.customer import Customer
from domain.customer_link import LinkRefused
from domain.errors import N_, ConcurrentChange, DomainError, NotFound, TransitionNotAllowed
from domain.ports import Clock, UnitOfWork
from domain.quotation import Quotation
from domain.quotation_answer import (AnswerKind, Channel, QuotationAnswer, check_answerable,
                                     check_text)
from domain.quotation_link import quotation_of_expired, read_answer_token
from domain.sales_order import SalesOrder
from domain.services.quotations import convert_to_order
from domain.user import User

_MISSING = N_("That quotation does not exist or is not yours.")


@dataclass(frozen=True)
class Answered:
    """What happened, for the customer's reply and the salesperson's notice."""
    answer: QuotationAnswer
    quotation: Quotation
    customer: Customer
    salesperson: User | None
    order: SalesOrder | None = None


@dataclass(frozen=True)
class _Who:
    customer_id: int
    channel: Channel
    user_id: int | None = None


def _telegram(user: User) -> _Who:
    return _Who(user.require_customer(), Channel.TELEGRAM, user.id)


async def _own(uow: UnitOfWork, who: _Who, quotation_id: int) -> Quotation:
    quotation = await uow.quotations.get(quotation_id)
    if quotation is None or quotation.customer_id != who.customer_id:
        raise NotFound(_MISSING)
    return quotation


async def _answer(uow: UnitOfWork, clock: Clock, who: _Who, quotation_id: int, kind: AnswerKind,
                  text: str = "") -> Answered:
    if kind is not AnswerKind.ACCEPTED:
        text = check_text(text, kind)
    number = ""
    try:
        async with uow:
            quotation = await _own(uow, who, quotation_id)
            check_answerable(quotation, clock.today())
            number, now = quotation.number, clock.now()
            salesperson = await uow.users.get(quotation.salesperson_id)
            order = None
            if kind is AnswerKind.ACCEPTED:
                # The salesperson's account stands behind the order, as when they press Confirm.
                order = await convert_to_order(uow, clock, salesperson, quotation)
            elif kind is AnswerKind.DECLINED:
                quotation.lose(now)
            answer = QuotationAnswer(quotation.id, kind, text, who.channel, now, user_id=who.user_id)
            await uow.quotation_answers.add(answer)
            customer = await uow.customers.get(quotation.customer_id)
            await uow.commit()
    except ConcurrentChange:  # answered at the same moment (another chat, the web page, Confirm)
        raise TransitionNotAllowed(N_("Quotation {number} was answered at the same moment elsewhere; "
                                      "nothing was changed twice."), number=number) from None
    return Answered(answer, quotation, customer, salesperson, order)


# --- in Telegram, as the linked customer -------------------------------------------------------
async def accept_quotation(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int) -> Answered:
    return await _answer(uow, clock, _telegram(user), quotation_id, AnswerKind.ACCEPTED)


async def decline_quotation(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int,
                            reason: str) -> Answered:
    return await _answer(uow, clock, _telegram(user), quotation_id, AnswerKind.DECLINED, reason)


async def ask_for_changes(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int,
                          text: str) -> Answered:
    return await _answer(uow, clock, _telegram(user), quotation_id, AnswerKind.CHANGES, text)


async def answerable_quotation(uow: UnitOfWork, clock: Clock, user: User,
                               quotation_id: int) -> Quotation:
    """Checked before asking the customer to type a reason or the changes."""
    who = _telegram(user)
    async with uow:
        quotation = await _own(uow, who, quotation_id)
    check_answerable(quotation, clock.today())
    return quotation


# --- on the web page, with the signed link -------------------------------------------------------
@dataclass(frozen=True)
class AnswerPage:
    quotation: Quotation
    customer: Customer
    closed: DomainError | None  # why it can no longer be answered; None while open


async def page_for_token(uow: UnitOfWork, clock: Clock, secret: bytes | None, token: str) -> AnswerPage:
    """What GET shows: never changes anything."""
    quotation_id = read_answer_token(secret, token, clock.now())
    async with uow:
        quotation = await uow.quotations.get(quotation_id)
        if quotation is None:
            raise LinkRefused(_MISSING)
        customer = await uow.customers.get(quotation.customer_id)
    try:
        check_answerable(quotation, clock.today())
        closed = None
    except DomainError as exc:
        closed = exc
    return AnswerPage(quotation, customer, closed)


async def language_for_token(uow: UnitOfWork, secret: bytes | None, token: str) -> str | None:
    """The language of the customer a genuine (possibly expired) answer link was sent to; None
    when the token is forged or the quotation gone. For the page that refuses the link."""
    quotation_id = quotation_of_expired(secret, token)
    if quotation_id is None:
        return None
    async with uow:
        quotation = await uow.quotations.get(quotation_id)
        customer = await uow.customers.get(quotation.customer_id) if quotation is not None else None
    return customer.language if customer is not None else None


async def answer_by_token(uow: UnitOfWork, clock: Clock, secret: bytes | None, token: str,
                          kind: AnswerKind, text: str = "") -> Answered:
    """What POST does: the token names the quotation, and so its customer."""
    quotation_id = read_answer_token(secret, token, clock.now())
    async with uow:
        quotation = await uow.quotations.get(quotation_id)
    if quotation is None:
        raise LinkRefused(_MISSING)
    return await _answer(uow, clock, _Who(quotation.customer_id, Channel.WEB), quotation_id, kind, text)
