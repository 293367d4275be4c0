"""Use cases of quotation requests (issue 4 §2; §3 creates them from e-mails with create_request).

Who may do what, checked here on every call:
- a linked customer searches the catalog at their own prices and submits requests for their own
  account only (the account comes from their user, never from what a button carries);
- a salesperson sees and drafts the requests assigned to them; a manager sees all, the shared queue
  included, and may take a request from the queue.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.customer import Customer
from domain.errors import N_, NotFound
from domain.item import Item
from domain.money import round_money
from domain.numbering import Sequence as Seq
from domain.ports import Clock, UnitOfWork
from domain.pricing import price_line
from domain.quotation import Quotation
from domain.quotation_request import (NUMBER_SEQUENCE, QuotationRequest, RequestedLine, RequestLine,
                                      RequestSource, format_request_number)
from domain.services.catalog import MAX_MATCHES, find_items_in
from domain.services.common import existing_item, next_number
from domain.services.pricing import reprice_line
from domain.user import Permission, User

LIST_LIMIT = 20
INLINE_LIMIT = 20


@dataclass(frozen=True)
class PricedItem:
    """An item with the price one customer pays for one unit today (excluding sales tax)."""
    item: Item
    unit_price: Decimal           # after the customer's trade agreements and line discount
    list_price: Decimal           # the item's sales price


@dataclass(frozen=True)
class Submitted:
    """A new request, and whom to tell at once: its salesperson, or every manager (the queue)."""
    request: QuotationRequest
    customer: Customer
    notify: Sequence[User]


@dataclass(frozen=True)
class RequestCard:
    request: QuotationRequest
    customer: Customer
    salesperson: User | None
    items: dict[int, Item]


@dataclass(frozen=True)
class Drafted:
    quotation: Quotation
    customer: Customer
    request: QuotationRequest
    unmatched: Sequence[RequestLine]   # listed to the salesperson, not added


# --- the catalog at the customer's prices ---------------------------------------------------------

async def _priced(uow: UnitOfWork, clock: Clock, items: Sequence[Item],
                  customer: Customer | None) -> list[PricedItem]:
    day = clock.today()
    priced = []
    for item in items:
        if customer is None:
            priced.append(PricedItem(item, item.sales_price, item.sales_price))
            continue
        agreements = list(await uow.trade_agreements.for_item(item.item_number, item.item_group))
        p = price_line(agreements, item, customer, Decimal(1), day)
        net = round_money((p.unit_price - p.discount_amount) * (100 - p.discount_percent) / 100)
        priced.append(PricedItem(item, net, item.sales_price))
    return priced


async def search_catalog(uow: UnitOfWork, clock: Clock, user: User, text: str,
                         limit: int = MAX_MATCHES + 1) -> list[PricedItem]:
    """Items matching the text: a customer sees their own price; staff see the sales price."""
    if not user.is_customer:
        user.require(Permission.QUOTE)
    async with uow:
        customer = None
        if user.is_customer:
            customer = await uow.customers.get(user.require_customer())
            if customer is None:
                raise NotFound(N_("That customer does not exist."))
        items = list(await find_items_in(uow, text))[:limit]
        return await _priced(uow, clock, items, customer)


async def priced_item(uow: UnitOfWork, clock: Clock, user: User, item_id: int) -> PricedItem:
    """One item for a customer's request, at the customer's price."""
    customer_id = user.require_customer()
    async with uow:
        item = await existing_item(uow, item_id)
        return (await _priced(uow, clock, [item], await uow.customers.get(customer_id)))[0]


# --- creating requests ----------------------------------------------------------------------------

async def _responsible(uow: UnitOfWork, customer: Customer) -> int | None:
    """The account's salesperson; else whoever last quoted or took an order from it; else None
    (the shared queue). Someone who is no longer staff with the right to quote does not count."""
    for candidate in (customer.salesperson_id, await uow.quotation_requests.latest_salesperson_of(customer.id)):
        if candidate is None:
            continue
        person = await uow.users.get(candidate)
        if person is not None and not person.is_customer and person.can(Permission.QUOTE):
            return person.id
    return None


async def _create(uow: UnitOfWork, clock: Clock, customer: Customer, lines: Sequence[RequestedLine],
                  note: str, source: RequestSource, requested_by: int | None,
                  original_mail: bytes | None) -> Submitted:
    submitted = await _add(uow, clock, customer, lines, note, source, requested_by, original_mail)
    await uow.commit()
    return submitted


async def _add(uow: UnitOfWork, clock: Clock, customer: Customer, lines: Sequence[RequestedLine],
               note: str, source: RequestSource, requested_by: int | None,
               original_mail: bytes | None) -> Submitted:
    salesperson_id = await _responsible(uow, customer)
    number = format_request_number(await uow.numbers.next(NUMBER_SEQUENCE))
    request = QuotationRequest.create(number, customer.id, source, clock.now(), lines, note,
                                      salesperson_id=salesperson_id, requested_by=requested_by,
                                      original_mail=original_mail)
    await uow.quotation_requests.add(request)
    await uow.flush()  # the request's id (the IMAP intake records it on the mail)
    notify = ([await uow.users.get(salesperson_id)] if salesperson_id is not None
              else list(await uow.quotation_requests.managers()))
    return Submitted(request, customer, notify)


async def add_request(uow: UnitOfWork, clock: Clock, customer_id: int, lines: Sequence[RequestedLine],
                      note: str, source: RequestSource, original_mail: bytes | None) -> Submitted:
    """As create_request, inside the caller's open unit of work and without committing: the IMAP
    intake records the mail and its request in one transaction (a mail makes one request, once)."""
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(N_("That customer does not exist."))
    known = await uow.items.many([line.item_id for line in lines if line.item_id is not None])
    lines = [line if line.item_id is None or line.item_id in known
             else RequestedLine(line.text, line.quantity, None) for line in lines]
    return await _add(uow, clock, customer, lines, note, source, None, original_mail)


async def submit_request(uow: UnitOfWork, clock: Clock, user: User, lines: Sequence[RequestedLine],
                         note: str = "") -> Submitted:
    """A linked customer submits a request from Telegram: every line names a catalog item."""
    customer_id = user.require_customer()
    async with uow:
        customer = await uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(N_("That customer does not exist."))
        items = await uow.items.many([line.item_id for line in lines if line.item_id is not None])
        checked = []
        for line in lines:
            item = items.get(line.item_id) if line.item_id is not None else None
            if item is None:
                raise NotFound(N_("That item does not exist."))
            checked.append(RequestedLine(f"{item.item_number} {item.name}", line.quantity, item.id))
        return await _create(uow, clock, customer, checked, note, RequestSource.TELEGRAM, user.id, None)


async def create_request(uow: UnitOfWork, clock: Clock, customer_id: int, lines: Sequence[RequestedLine],
                         note: str = "", source: RequestSource = RequestSource.EMAIL,
                         original_mail: bytes | None = None) -> Submitted:
    """For the system: a request for an existing customer account. Lines carry the text as typed,
    a quantity and the matched item id (None: unmatched, flagged for the salesperson); an item id
    that does not exist is kept as an unmatched line. Commits."""
    async with uow:
        submitted = await add_request(uow, clock, customer_id, lines, note, RequestSource(source),
                                      original_mail)
        await uow.commit()
    return submitted


# --- the salesperson's side -----------------------------------------------------------------------

def _require_staff(user: User) -> None:
    user.require(Permission.QUOTE)


async def _visible(uow: UnitOfWork, user: User, request_id: int) -> QuotationRequest:
    """A salesperson sees their own requests; a manager all, the queue included. Others: missing."""
    request = await uow.quotation_requests.get(request_id)
    if request is None or not user.may_see(request.salesperson_id):
        raise NotFound(N_("That quotation request does not exist or is not yours."))
    return request


async def open_requests(uow: UnitOfWork, user: User) -> list[tuple[QuotationRequest, Customer]]:
    """New requests: a salesperson's own; a manager's view holds everyone's and the shared queue."""
    _require_staff(user)
    async with uow:
        if user.can(Permission.SEE_ALL):
            found = await uow.quotation_requests.open_of(None, True, LIST_LIMIT)
        else:
            found = await uow.quotation_requests.open_of(user.id, False, LIST_LIMIT)
        return [(r, await uow.customers.get(r.customer_id)) for r in found]


async def request_card(uow: UnitOfWork, user: User, request_id: int) -> RequestCard:
    _require_staff(user)
    async with uow:
        request = await _visible(uow, user, request_id)
        customer = await uow.customers.get(request.customer_id)
        salesperson = await uow.users.get(request.salesperson_id) if request.salesperson_id else None
        items = await uow.items.many([l.item_id for l in request.lines if l.item_id is not None])
        return RequestCard(request, customer, salesperson, items)


async def take_request(uow: UnitOfWork, clock: Clock, user: User, request_id: int) -> QuotationRequest:
    """A manager takes a request from the shared queue: it becomes theirs."""
    _require_staff(user)
    user.require(Permission.SEE_ALL)
    async with uow:
        request = await _visible(uow, user, request_id)
        request.take(user.id)
        await uow.commit()
    return request


async def close_request(uow: UnitOfWork, clock: Clock, user: User, request_id: int) -> QuotationRequest:
    _require_staff(user)
    async with uow:
        request = await _visible(uow, user, request_id)
        request.close(clock.now())
        await uow.commit()
    return request


async def turn_into_draft(uow: UnitOfWork, clock: Clock, user: User, request_id: int) -> Drafted:
    """Make a quotation draft from the request, priced like any line typed in /quote, in one
    transaction with marking the request drafted: two taps make one draft (the version check)."""
    _require_staff(user)
    async with uow:
        request = await _visible(uow, user, request_id)
        request.require_new()
        customer = await uow.customers.get(request.customer_id)
        quotation = Quotation.create(await next_number(uow, Seq.QUOTATION), customer.id, user.id, clock.now())
        items = await uow.items.many([l.item_id for l in request.matched_lines])
        for line in request.matched_lines:
            item = items.get(line.item_id)
            if item is None:
                continue
            await reprice_line(uow, quotation, quotation.add_line(item, line.quantity), item, customer)
        await uow.quotations.add(quotation)
        await uow.flush()
        request.mark_drafted(quotation.id, user.id, clock.now())
        await uow.commit()
    return Drafted(quotation, customer, request, request.unmatched)

