"""Relationships (the seed): a party moves prospect -> lead -> opportunity -> customer.

A party carries its relationship stage and the history of who moved it when. An opportunity is a
qualified lead worth working on: an estimated value, a probability and an expected close date; it
ends Won (the party becomes a customer) or Lost, each with a reason.

The estimate (value, probability, expected close date) is one thing, pending or given as a whole:
- `Party.qualify` opens an opportunity with its estimate (the salesperson typed it);
- `Party.open_opportunity_from_response` opens one with its estimate pending: a lead answered
  Interested to a campaign (issue 5 §5), and only the salesperson knows the figures. All three
  fields are None then, never some of them: a pending estimate is not a zero one, so the pipeline
  counts the opportunity but adds no value (`estimate_pending`, `PipelineRow.pending`);
- `Opportunity.estimate` sets or revises the estimate of an OPEN opportunity, by the same checks
  as `qualify` (`check_opportunity`); a won or lost opportunity refuses, and an estimate once given
  cannot be taken back to pending.
Winning an opportunity whose estimate is still pending is allowed: the order (or the salesperson's
reason) is the truth then, and the won opportunity stays without an estimate (it adds nothing to
the Customer row's value). Losing one is allowed too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.customer import check_email, check_postal_address
from domain.errors import N_, InvalidInput, TransitionNotAllowed
from domain.money import CENT, MAX_PRICE
from domain.workflow import Workflow

MAX_TEXT = 200
MAX_NOTE = 1000
MAX_OPPORTUNITY_VALUE = MAX_PRICE
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


class Stage(StrEnum):
    PROSPECT = "prospect"
    LEAD = "lead"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"


class Source(StrEnum):
    TRADE_SHOW = "trade_show"
    MAILING = "mailing"
    REFERRAL = "referral"
    WEBSITE = "website"
    CAMPAIGN = "campaign"
    OTHER = "other"


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


# Forward only: a party never goes back a stage; it becomes a customer only from an opportunity.
STAGES = Workflow.of(N_("Party"), [
    (Stage.PROSPECT, Stage.LEAD), (Stage.PROSPECT, Stage.OPPORTUNITY),
    (Stage.LEAD, Stage.OPPORTUNITY), (Stage.OPPORTUNITY, Stage.CUSTOMER),
])
ORDER = (Stage.PROSPECT, Stage.LEAD, Stage.OPPORTUNITY, Stage.CUSTOMER)

# What a salesperson may type for a source, in English and Dutch.
SOURCE_WORDS = {
    "trade show": Source.TRADE_SHOW, "tradeshow": Source.TRADE_SHOW, "fair": Source.TRADE_SHOW,
    "beurs": Source.TRADE_SHOW, "vakbeurs": Source.TRADE_SHOW,
    "mailing": Source.MAILING, "mail": Source.MAILING, "e-mail": Source.MAILING,
    "email": Source.MAILING,
    "referral": Source.REFERRAL, "doorverwijzing": Source.REFERRAL, "via via": Source.REFERRAL,
    "aanbeveling": Source.REFERRAL,
    "website": Source.WEBSITE, "web": Source.WEBSITE,
    "campaign": Source.CAMPAIGN, "campagne": Source.CAMPAIGN,
    "other": Source.OTHER, "anders": Source.OTHER, "overig": Source.OTHER,
}


def parse_source(text: str) -> Source:
    key = " ".join(text.lower().replace("_", " ").split())
    if key in SOURCE_WORDS:
        return SOURCE_WORDS[key]
    raise InvalidInput(N_("'{text}' is not a source; use trade show, mailing, referral, website, "
                          "campaign or other."), text=text)


def normalize_phone(text: str) -> str:
    """'+31 6-1234 5678' -> '+31612345678'; refuses what cannot be a phone number."""
    raw = text.strip()
    compact = re.sub(r"[\s\-./()]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _PHONE.match(compact):
        raise InvalidInput(N_("'{text}' is not a phone number."), text=raw)
    return compact


def _text(value: str, limit: int, message: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise InvalidInput(message, count=limit)
    return value


@dataclass(frozen=True)
class LeadDetails:
    """What a salesperson captures in the field: who, where from, and how to reach them."""
    name: str
    company: str = ""
    email: str = ""
    phone: str = ""
    source: Source = Source.OTHER
    note: str = ""

    def __post_init__(self) -> None:
        name = _text(self.name, MAX_TEXT, N_("A name can have at most {count} characters."))
        if not name:
            raise InvalidInput(N_("A lead needs a name."))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "company", _text(
            self.company, MAX_TEXT, N_("A company name can have at most {count} characters.")))
        object.__setattr__(self, "email", check_email(self.email) if self.email.strip() else "")
        object.__setattr__(self, "phone", normalize_phone(self.phone) if self.phone.strip() else "")
        if not self.email and not self.phone:
            raise InvalidInput(N_("A lead needs an e-mail address or a phone number."))
        object.__setattr__(self, "source", Source(self.source))
        note = (self.note or "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(N_("A note can have at most {count} characters."), count=MAX_NOTE)
        object.__setattr__(self, "note", note)

    @classmethod
    def from_message(cls, text: str) -> LeadDetails:
        """One line per field: name; company (or -); e-mail and/or phone; source; note (optional,
        may run over several lines)."""
        lines = [line.strip() for line in (text or "").strip().splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 3:
            raise InvalidInput(N_("Type at least three lines: name, company (or -), e-mail or phone."))
        company = "" if lines[1] == "-" else lines[1]
        email, phone_words = "", []
        for word in lines[2].replace(",", " ").replace(";", " ").split():
            if "@" in word:
                if email:
                    raise InvalidInput(N_("Type one e-mail address."))
                email = word
            else:
                phone_words.append(word)
        source = parse_source(lines[3]) if len(lines) > 3 else Source.OTHER
        note = "\n".join(lines[4:])
        return cls(lines[0], company, email, " ".join(phone_words), source, note)


@dataclass(eq=False)
class StageChange:
    """One move in a party's history: from (None when captured) to, by whom, when."""
    from_stage: Stage | None
    to_stage: Stage
    changed_by: int
    changed_at: datetime
    party_id: int | None = None
    id: int | None = None


def check_opportunity(value: Decimal, probability: Decimal, expected_close: date, today: date) -> None:
    if not value.is_finite() or value <= 0:
        raise InvalidInput(N_("The estimated value must be more than zero."))
    if value > MAX_OPPORTUNITY_VALUE:
        raise InvalidInput(N_("An estimated value of {value} is more than this bot accepts."), value=value)
    if value != value.quantize(CENT):
        raise InvalidInput(N_("An amount can have at most two decimals."))
    if not probability.is_finite() or not 0 <= probability <= 100:
        raise InvalidInput(N_("The probability is a percentage from 0 to 100."))
    if probability != probability.quantize(Decimal("0.01")):
        raise InvalidInput(N_("The probability can have at most two decimals."))
    if expected_close < today:
        raise InvalidInput(N_("The expected close date {date} is in the past."), date=expected_close)


@dataclass(eq=False)
class Opportunity:
    estimated_value: Decimal | None  # None, None, None: the estimate is pending
    probability: Decimal | None  # percent, 0..100
    expected_close: date | None
    created_at: datetime
    status: OpportunityStatus = OpportunityStatus.OPEN
    reason: str = ""
    closed_at: datetime | None = None
    party_id: int | None = None
    id: int | None = None

    @property
    def estimate_pending(self) -> bool:
        return self.estimated_value is None

    @property
    def weighted_value(self) -> Decimal | None:
        if self.estimate_pending:
            return None
        return (self.estimated_value * self.probability / 100).quantize(CENT)

    def estimate(self, value: Decimal, probability: Decimal, expected_close: date, today: date) -> None:
        """Set or revise the estimate of an open opportunity (checked like a qualification)."""
        if self.status is not OpportunityStatus.OPEN:
            raise TransitionNotAllowed(N_("This opportunity is already {status}; its estimate can no "
                                          "longer change."), status=self.status)
        check_opportunity(value, probability, expected_close, today)
        self.estimated_value, self.probability, self.expected_close = value, probability, expected_close

    def _close(self, status: OpportunityStatus, reason: str, now: datetime) -> None:
        if self.status is not OpportunityStatus.OPEN:
            raise TransitionNotAllowed(N_("This opportunity is already {status}."), status=self.status)
        reason = _text(reason, MAX_TEXT, N_("A reason can have at most {count} characters."))
        if not reason:
            raise InvalidInput(N_("Give a reason."))
        self.status, self.reason, self.closed_at = status, reason, now


@dataclass(eq=False)
class Party:
    name: str
    owner_id: int
    created_at: datetime
    stage: Stage = Stage.PROSPECT
    company: str = ""
    email: str = ""
    phone: str = ""
    source: Source = Source.OTHER
    note: str = ""
    customer_id: int | None = None
    history: list[StageChange] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    id: int | None = None
    version: int = 1
    postal_address: str = ""  # lines separated by newlines; a mailing campaign's letters print it

    @classmethod
    def capture(cls, details: LeadDetails, stage: Stage, owner_id: int, now: datetime) -> Party:
        if now.tzinfo is None:
            raise ValueError("party timestamps must carry a time zone")
        stage = Stage(stage)
        if stage not in (Stage.PROSPECT, Stage.LEAD):
            raise InvalidInput(N_("A new party is a prospect or a lead."))
        party = cls(name=details.name, owner_id=owner_id, created_at=now, stage=stage,
                    company=details.company, email=details.email, phone=details.phone,
                    source=details.source, note=details.note)
        party.history.append(StageChange(None, stage, owner_id, now))
        return party

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name

    @property
    def open_opportunity(self) -> Opportunity | None:
        return next((o for o in self.opportunities if o.status is OpportunityStatus.OPEN), None)

    @property
    def latest_opportunity(self) -> Opportunity | None:
        return self.opportunities[-1] if self.opportunities else None

    def _move(self, target: Stage, by: int, now: datetime) -> None:
        STAGES.check(self.name, self.stage, target)
        self.history.append(StageChange(self.stage, target, by, now))
        self.stage = target

    def make_lead(self, by: int, now: datetime) -> None:
        self._move(Stage.LEAD, by, now)

    def _may_open(self) -> None:
        if self.stage is Stage.CUSTOMER:
            raise TransitionNotAllowed(N_("{name} is already a customer."), name=self.name)
        if self.open_opportunity is not None:
            raise TransitionNotAllowed(N_("{name} already has an open opportunity."), name=self.name)

    def _open(self, opportunity: Opportunity, by: int, now: datetime) -> Opportunity:
        if self.stage is not Stage.OPPORTUNITY:
            self._move(Stage.OPPORTUNITY, by, now)
        self.opportunities.append(opportunity)
        return opportunity

    def qualify(self, value: Decimal, probability: Decimal, expected_close: date, today: date,
                by: int, now: datetime) -> Opportunity:
        """A prospect or lead becomes an opportunity; after a lost one, a party can be qualified
        again (a new opportunity, the stage stays)."""
        self._may_open()
        check_opportunity(value, probability, expected_close, today)
        return self._open(Opportunity(value, probability, expected_close, now), by, now)

    def open_opportunity_from_response(self, by: int, now: datetime) -> Opportunity:
        """A lead answered Interested to a campaign: an opportunity with its estimate pending. Also
        for a party at stage opportunity whose last one was lost (a new one, the stage stays); a
        prospect is made a lead first (`make_lead`), never an opportunity by a response."""
        self._may_open()
        if self.stage is Stage.PROSPECT:
            raise TransitionNotAllowed(N_("{name} is a prospect; make it a lead first."), name=self.name)
        return self._open(Opportunity(None, None, None, now), by, now)

    def estimate(self, value: Decimal, probability: Decimal, expected_close: date,
                 today: date) -> Opportunity:
        """Set or revise the estimate of the open opportunity."""
        opportunity = self.require_open_opportunity()
        opportunity.estimate(value, probability, expected_close, today)
        return opportunity

    def require_open_opportunity(self) -> Opportunity:
        opportunity = self.open_opportunity
        if opportunity is None:
            raise TransitionNotAllowed(N_("{name} has no open opportunity."), name=self.name)
        return opportunity

    def lose(self, reason: str, now: datetime) -> Opportunity:
        opportunity = self.require_open_opportunity()
        opportunity._close(OpportunityStatus.LOST, reason, now)
        return opportunity

    def attach_customer(self, customer_id: int) -> None:
        """The customer account quotations are made out to (provisional until the party buys)."""
        if self.customer_id is not None and self.customer_id != customer_id:
            raise TransitionNotAllowed(N_("{name} already has a customer account."), name=self.name)
        self.customer_id = customer_id

    def set_email(self, email: str) -> None:
        self.email = check_email(email)

    def set_postal_address(self, text: str) -> None:
        """Empty text removes the address."""
        self.postal_address = check_postal_address(text)

    def become_customer(self, reason: str, by: int, now: datetime) -> None:
        """The party buys: it must have a customer account by now; an open opportunity is won."""
        if self.customer_id is None:
            raise TransitionNotAllowed(
                N_("{name} has no customer account yet and cannot become a customer."), name=self.name)
        STAGES.check(self.name, self.stage, Stage.CUSTOMER)
        if (opportunity := self.open_opportunity) is not None:
            opportunity._close(OpportunityStatus.WON, reason, now)
        self._move(Stage.CUSTOMER, by, now)

    def win(self, reason: str, by: int, now: datetime) -> Opportunity:
        """The open opportunity is won, with a reason: the party becomes a customer."""
        opportunity = self.require_open_opportunity()
        self.become_customer(reason, by, now)
        return opportunity


@dataclass(frozen=True)
class PipelineRow:
    """One row of the pipeline: how many, and what they are worth (weighted by probability)."""
    key: StrEnum  # a Stage, or OpportunityStatus.LOST
    count: int
    value: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    pending: int = 0  # opportunities of the row without an estimate yet (counted, no value added)


def pipeline(stage_counts: Mapping[Stage, int],
             opportunities: Iterable[tuple[OpportunityStatus, Decimal | None, Decimal | None]]
             ) -> list[PipelineRow]:
    """From the number of parties per stage and each opportunity's (status, value, probability):
    Prospect and Lead count parties; Opportunity counts open opportunities (value, and value
    weighted by probability); Customer counts customers (value of the won opportunities); Lost
    counts lost opportunities. An opportunity whose estimate is pending (value None) is counted
    in `pending` and adds no value."""
    keys = (*ORDER, OpportunityStatus.LOST)
    counts = {key: 0 for key in keys}
    for stage in (Stage.PROSPECT, Stage.LEAD, Stage.CUSTOMER):
        counts[stage] = stage_counts.get(stage, 0)
    values = {key: Decimal("0.00") for key in keys}
    weighted = {key: Decimal("0.00") for key in keys}
    pending = {key: 0 for key in keys}
    for status, value, probability in opportunities:
        key = {OpportunityStatus.OPEN: Stage.OPPORTUNITY, OpportunityStatus.WON: Stage.CUSTOMER,
               OpportunityStatus.LOST: OpportunityStatus.LOST}[OpportunityStatus(status)]
        if key is not Stage.CUSTOMER:
            counts[key] += 1
        if value is None:
            pending[key] += 1
            continue
        values[key] += value
        if key is Stage.OPPORTUNITY:
            weighted[key] += (value * probability / 100).quantize(CENT)
        elif key is Stage.CUSTOMER:
            weighted[key] += value
    return [PipelineRow(key, counts[key], values[key], weighted[key], pending[key]) for key in keys]


def pipeline_of(parties: Iterable[Party]) -> list[PipelineRow]:
    """The same, from parties in memory."""
    parties = list(parties)
    stage_counts: dict[Stage, int] = {}
    for party in parties:
        stage_counts[party.stage] = stage_counts.get(party.stage, 0) + 1
    return pipeline(stage_counts, [(o.status, o.estimated_value, o.probability)
                                   for p in parties for o in p.opportunities])
