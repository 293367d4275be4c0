"""Use cases of product lists: manage up-sell/cross-sell rules, suggest while a line is entered,
take a suggestion, and the rates per rule."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.ports import Clock, UnitOfWork
from domain.product_list import (ProductListRule, RuleKind, RuleRates, SuggestionOffer,
                                 check_conditions, rates_from_counts, suggestions_for)
from domain.quotation import Quotation, QuotationLine, QuotationStatus
from domain.services.pricing import reprice_line
from domain.services.common import visible_quotation
from domain.user import Permission, User

CROSS_SELL_QUANTITY = Decimal(1)   # a cross-sell adds one of the suggested item


@dataclass(frozen=True)
class RuleSpec:
    """A rule as typed or imported: items by number, not yet checked against the catalog."""
    kind: RuleKind
    item_number: str
    suggested_item_number: str
    customer_group: str = ""
    min_quantity: Decimal = Decimal(0)
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""

    def __post_init__(self) -> None:
        # Checked before any item is looked up, so a typing error is named first.
        check_conditions(self.customer_group, self.min_quantity, self.valid_from, self.valid_to,
                         self.note)
        if self.item_number.strip().lower() == self.suggested_item_number.strip().lower():
            raise InvalidInput(N_("A rule cannot suggest the item itself."))


@dataclass(frozen=True)
class RuleView:
    rule: ProductListRule
    item: Item
    suggested: Item


@dataclass(frozen=True)
class Suggestion:
    """A suggestion shown under a line: the offer to tap, and what it suggests."""
    offer_id: int
    kind: RuleKind
    item: Item          # the item on the line
    suggested: Item
    note: str


async def _item_numbered(uow: UnitOfWork, number: str) -> Item:
    item = await uow.items.by_number(number)
    if item is None:
        raise NotFound(N_("There is no item with number {item}."), item=number)
    return item


async def rule_from_spec(uow: UnitOfWork, spec: RuleSpec) -> ProductListRule:
    """Inside an open unit of work: the rule with its items looked up (clear errors if unknown)."""
    item = await _item_numbered(uow, spec.item_number)
    suggested = await _item_numbered(uow, spec.suggested_item_number)
    return ProductListRule(kind=spec.kind, item_id=item.id, suggested_item_id=suggested.id,
                           customer_group=spec.customer_group, min_quantity=spec.min_quantity,
                           valid_from=spec.valid_from, valid_to=spec.valid_to, note=spec.note)


async def _views(uow: UnitOfWork, rules: Sequence[ProductListRule]) -> list[RuleView]:
    items = await uow.items.many({i for r in rules for i in (r.item_id, r.suggested_item_id)})
    return [RuleView(r, items[r.item_id], items[r.suggested_item_id]) for r in rules]


async def add_rule(uow: UnitOfWork, user: User, spec: RuleSpec) -> RuleView:
    user.require(Permission.MANAGE_PRODUCT_LISTS)
    async with uow:
        rule = await rule_from_spec(uow, spec)
        existing = await uow.product_list_rules.by_key(rule.key)
        if existing is not None:
            raise InvalidInput(N_("That rule exists already (rule {id}); delete it first to change it."),
                               id=existing.id)
        await uow.product_list_rules.add(rule)
        await uow.flush()
        [view] = await _views(uow, [rule])
        await uow.commit()
    return view


async def delete_rule(uow: UnitOfWork, user: User, rule_id: int) -> None:
    user.require(Permission.MANAGE_PRODUCT_LISTS)
    async with uow:
        rule = await uow.product_list_rules.get(rule_id)
        if rule is None:
            raise NotFound(N_("Rule {id} does not exist (any more)."), id=rule_id)
        await uow.product_list_rules.delete(rule)
        await uow.commit()


async def list_rules(uow: UnitOfWork, user: User) -> list[RuleView]:
    user.require(Permission.MANAGE_PRODUCT_LISTS)
    async with uow:
        return await _views(uow, await uow.product_list_rules.all())


# --- suggestions while a line is entered ------------------------------------------------------

async def offer_suggestions(uow: UnitOfWork, clock: Clock, user: User, quotation_id: int,
                            item_id: int, quotation: Quotation | None = None) -> list[Suggestion]:
    """After a line with `item_id` was entered on a draft, inside the unit of work that entered it
    (the caller commits): the suggestions that match it, each recorded as shown. Suggestions still
    pending from the previous line count as ignored. `quotation` when the caller has it loaded."""
    pending = await uow.suggestion_offers.pending_of(quotation_id)
    rules = await uow.product_list_rules.for_item(item_id)
    if not pending and not rules:
        return []  # the common case, kept to two small queries (bench/quotation_entry.py)
    quotation = quotation or await visible_quotation(uow, user, quotation_id)
    now = clock.now()
    for offer in pending:
        offer.ignore(now)
    line = next((l for l in quotation.lines if l.item_id == item_id), None)
    chosen: list[ProductListRule] = []
    if quotation.status is QuotationStatus.CREATED and line is not None and rules:
        customer = await uow.customers.get(quotation.customer_id)
        chosen = suggestions_for(rules, item_id, line.quantity, customer.customer_group,
                                 clock.today(), {l.item_id for l in quotation.lines})
    offers = [SuggestionOffer(rule.id, quotation.id, user.id, now) for rule in chosen]
    for offer in offers:
        await uow.suggestion_offers.add(offer)
    await uow.flush()
    views = await _views(uow, chosen)
    return [Suggestion(o.id, v.rule.kind, v.item, v.suggested, v.rule.note)
            for o, v in zip(offers, views)]


async def _take(uow: UnitOfWork, clock: Clock, user: User, offer_id: int
                ) -> tuple[Quotation, ProductListRule, QuotationLine]:
    """Check, inside the caller's unit of work, that the suggestion may still be taken."""
    gone = NotFound(N_("This suggestion no longer applies."))
    offer = await uow.suggestion_offers.get(offer_id)
    if offer is None or offer.salesperson_id != user.id:
        raise gone
    quotation = await visible_quotation(uow, user, offer.quotation_id)
    if quotation.status is not QuotationStatus.CREATED:
        raise TransitionNotAllowed(
            N_("Quotation {number} is {status}; only a new quotation can be changed."),
            number=quotation.number, status=quotation.status)
    rule = await uow.product_list_rules.get(offer.rule_id)
    line = next((l for l in quotation.lines if rule and l.item_id == rule.item_id), None)
    customer = await uow.customers.get(quotation.customer_id)
    if rule is None or line is None or not rule.applies(
            line.item_id, line.quantity, customer.customer_group, clock.today()):
        raise gone
    on_quotation = {l.item_id for l in quotation.lines}
    if rule.kind is RuleKind.CROSS_SELL and rule.suggested_item_id in on_quotation:
        raise InvalidInput(N_("That item is on the quotation already."))
    offer.accept(clock.now())
    return quotation, rule, line


async def accept_suggestion(uow_factory: Callable[[], UnitOfWork], clock: Clock, user: User,
                            offer_id: int) -> Quotation:
    """Tap on a suggestion: cross-sell adds a line, up-sell puts the suggested item on the line in
    place of the old one, keeping its quantity. The line is priced as any new line (trade
    agreements). One transaction: the suggestion is accepted exactly when the quotation changes."""
    user.require(Permission.QUOTE)
    async with uow_factory() as uow:
        quotation, rule, line = await _take(uow, clock, user, offer_id)
        item = await uow.items.get(rule.suggested_item_id)
        if item is None:
            raise NotFound(N_("This suggestion no longer applies."))
        if rule.kind is RuleKind.UP_SELL:
            changed = quotation.replace_item(line.line_number, item)
        else:
            changed = quotation.add_line(item, CROSS_SELL_QUANTITY)
        await reprice_line(uow, quotation, changed, item)
        await uow.commit()
    return quotation


# --- rates ----------------------------------------------------------------------------------

async def suggestion_rates(uow: UnitOfWork, clock: Clock,
                           user: User) -> list[tuple[RuleView, RuleRates]]:
    """Per rule: shown, accepted, ignored and the acceptance rate. Managers and admins see
    everyone's; a salesperson sees the suggestions shown to them."""
    if user.can(Permission.MANAGE_PRODUCT_LISTS):
        owner = None
    else:
        user.require(Permission.QUOTE)
        owner = user.id
    async with uow:
        await uow.suggestion_offers.ignore_where_not_draft(clock.now())
        rates = rates_from_counts(await uow.suggestion_offers.counts(owner))
        views = await _views(uow, await uow.product_list_rules.all())
        await uow.commit()
    return [(v, rates.get(v.rule.id, RuleRates(v.rule.id, 0, 0, 0))) for v in views]
