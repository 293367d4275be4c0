"""Product lists: rules that suggest a product while a line is entered (the seed's up-sell and
cross-sell). Up-sell suggests another product *instead of* the current one, cross-sell one *in
addition to* it. A suggestion shown to a salesperson is a SuggestionOffer: accepted, or ignored
once they move on (see SuggestionOffer)."""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, TransitionNotAllowed
from domain.money import check_quantity

MAX_SUGGESTIONS = 3       # buttons under one line: more would be noise, not help
MAX_NOTE_LENGTH = 200
MAX_GROUP_LENGTH = 40


class RuleKind(StrEnum):
    UP_SELL = "up"
    CROSS_SELL = "cross"


_KIND_WORDS = {
    RuleKind.UP_SELL: ("up", "upsell", "up-sell", "meer", "meerverkoop"),
    RuleKind.CROSS_SELL: ("cross", "crosssell", "cross-sell", "kruis", "kruisverkoop", "bij",
                          "bijverkoop"),
}


def parse_kind(text: str) -> RuleKind:
    word = (text or "").strip().lower()
    for kind, words in _KIND_WORDS.items():
        if word in words:
            return kind
    raise InvalidInput(N_("'{kind}' is not a kind of rule; use up (up-sell) or cross (cross-sell)."),
                       kind=text)


def check_conditions(customer_group: str, min_quantity: Decimal, valid_from: date | None,
                     valid_to: date | None, note: str) -> tuple[str, Decimal, str]:
    """A rule's conditions, checked and tidied: (customer group, minimum quantity, note)."""
    customer_group = (customer_group or "").strip()
    if len(customer_group) > MAX_GROUP_LENGTH:
        raise InvalidInput(N_("A customer group has at most {count} characters."),
                           count=MAX_GROUP_LENGTH)
    min_quantity = check_quantity(min_quantity or Decimal(0), allow_zero=True)
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput(N_("The rule ends on {to} before it starts on {start}."),
                           to=valid_to, start=valid_from)
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(N_("A note has at most {count} characters."), count=MAX_NOTE_LENGTH)
    return customer_group, min_quantity, note


@dataclass(eq=False)
class ProductListRule:
    """When `item_id` is entered, suggest `suggested_item_id` (instead of it, or in addition)."""
    kind: RuleKind
    item_id: int
    suggested_item_id: int
    customer_group: str = ""              # empty: every customer
    min_quantity: Decimal = Decimal(0)    # 0: any quantity
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""                        # shown to the salesperson beside the suggestion
    id: int | None = None

    def __post_init__(self) -> None:
        self.kind = RuleKind(self.kind)
        if self.item_id == self.suggested_item_id:
            raise InvalidInput(N_("A rule cannot suggest the item itself."))
        self.customer_group, self.min_quantity, self.note = check_conditions(
            self.customer_group, self.min_quantity, self.valid_from, self.valid_to, self.note)

    @property
    def key(self) -> tuple[RuleKind, int, int, str]:
        """One rule per kind, item, suggested item and customer group."""
        return self.kind, self.item_id, self.suggested_item_id, self.customer_group.lower()

    def applies(self, item_id: int, quantity: Decimal, customer_group: str, day: date) -> bool:
        return (item_id == self.item_id
                and (not self.customer_group
                     or self.customer_group.lower() == (customer_group or "").strip().lower())
                and quantity >= self.min_quantity
                and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    def copy_from(self, other: ProductListRule) -> None:
        """A re-import updates the conditions of the rule with the same key."""
        self.min_quantity, self.note = other.min_quantity, other.note
        self.valid_from, self.valid_to = other.valid_from, other.valid_to


def _specificity(rule: ProductListRule) -> tuple:
    # Up-sell first; then a rule for the customer's group before one for everyone, a higher
    # quantity threshold before a lower one, and the older rule first.
    return (rule.kind is not RuleKind.UP_SELL, not rule.customer_group, -rule.min_quantity,
            rule.id or 0)


def suggestions_for(rules: Iterable[ProductListRule], item_id: int, quantity: Decimal,
                    customer_group: str, day: date, items_on_quotation: Collection[int],
                    limit: int = MAX_SUGGESTIONS) -> list[ProductListRule]:
    """The rules to suggest for a line: matching, one per suggested item, up-sell first.

    A cross-sell for an item already on the quotation is left out (it is there already); an
    up-sell is kept (taking it merges the line into the existing one)."""
    matching = sorted((r for r in rules if r.applies(item_id, quantity, customer_group, day)
                       and not (r.kind is RuleKind.CROSS_SELL
                                and r.suggested_item_id in items_on_quotation)),
                      key=_specificity)
    chosen: list[ProductListRule] = []
    seen: set[int] = set()
    for rule in matching:
        if rule.suggested_item_id not in seen:
            seen.add(rule.suggested_item_id)
            chosen.append(rule)
    return chosen[:limit]


class Outcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    IGNORED = "ignored"


@dataclass(eq=False)
class SuggestionOffer:
    """One suggestion shown under one line of a draft quotation.

    It is accepted when the salesperson taps it, and ignored when they move on without tapping:
    they enter the next line, or the quotation stops being a draft (sent, confirmed, lost,
    canceled, expired). Until then it is pending."""
    rule_id: int
    quotation_id: int
    salesperson_id: int
    shown_at: datetime
    outcome: Outcome = Outcome.PENDING
    resolved_at: datetime | None = None
    id: int | None = None
    version: int = 1

    def accept(self, now: datetime) -> None:
        if self.outcome is Outcome.ACCEPTED:
            raise TransitionNotAllowed(N_("This suggestion is already taken."))
        if self.outcome is not Outcome.PENDING:
            raise TransitionNotAllowed(N_("This suggestion is no longer open."))
        self.outcome, self.resolved_at = Outcome.ACCEPTED, now

    def reopen(self) -> None:
        """Taking it failed half-way (the line could not be added): it is open again."""
        if self.outcome is Outcome.ACCEPTED:
            self.outcome, self.resolved_at = Outcome.PENDING, None

    def ignore(self, now: datetime) -> None:
        if self.outcome is Outcome.PENDING:
            self.outcome, self.resolved_at = Outcome.IGNORED, now


@dataclass(frozen=True)
class RuleRates:
    """How often one rule's suggestion was shown, accepted and ignored."""
    rule_id: int
    shown: int
    accepted: int
    ignored: int

    @property
    def pending(self) -> int:
        return self.shown - self.accepted - self.ignored

    @property
    def acceptance_rate(self) -> Decimal | None:
        """Accepted out of shown, 0..1; None when never shown."""
        return Decimal(self.accepted) / Decimal(self.shown) if self.shown else None


def rates_from_counts(counts: Iterable[tuple[int, Outcome, int]]) -> dict[int, RuleRates]:
    """(rule id, outcome, count) rows into one RuleRates per rule."""
    by_rule: dict[int, dict[Outcome, int]] = {}
    for rule_id, outcome, count in counts:
        per = by_rule.setdefault(rule_id, {})
        per[Outcome(outcome)] = per.get(Outcome(outcome), 0) + count
    return {rule_id: RuleRates(rule_id, sum(per.values()), per.get(Outcome.ACCEPTED, 0),
                               per.get(Outcome.IGNORED, 0))
            for rule_id, per in by_rule.items()}


def sort_rules(rules: Sequence[ProductListRule]) -> list[ProductListRule]:
    return sorted(rules, key=lambda r: r.id or 0)


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def looks_like_date(text: str) -> bool:
    return bool(_DMY.match(text.strip()) or _ISO.match(text.strip()))


def parse_rule_date(text: str) -> date:
    """2026-12-31 or 31-12-2026 (also with / or .)."""
    text = text.strip()
    try:
        if m := _DMY.match(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if _ISO.match(text):
            y, mo, d = (int(p) for p in text.split("-"))
            return date(y, mo, d)
    except ValueError:
        pass
    raise InvalidInput(N_("'{text}' is not a date. Type for example 2026-12-31 or 31-12-2026."),
                       text=text)
