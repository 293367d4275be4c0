"""Responses to a campaign (issue 5 §5): the seed's "begin the sales process with those recipients who
have responded positively".

A contact answers a campaign once (per campaign): Interested (the Telegram button or the signed link in
the e-mail) or Not now (the Telegram button). A second answer is "already noted" and changes nothing.

What Interested does depends on where the contact stands (`effect_of`):
- a party at stage prospect becomes a lead (the stage change is recorded as usual);
- a party that is already a lead becomes an opportunity with its estimate pending
  (`Party.open_opportunity_from_response`): the stage change is recorded in the party's history,
  by the salesperson told (below), who owns the party. The estimated value, probability and close
  date are left for that salesperson to give (the party card's "Estimate" button): only they know
  them, and invented figures would distort the pipeline, which counts such an opportunity without
  adding a value. The same holds for a party at stage opportunity whose last opportunity was lost
  (a new one is opened; the stage stays);
- a party with an open opportunity, and a customer (stage customer cannot be qualified again), are
  recorded as a response; the salesperson is told with the card (parties) or asked to start a
  quotation (customers: /quote and the account number).
The salesperson told is the account's salesperson (the customer's, or the party's owner), else the
campaign's creator. The notice is written in the same transaction as the response (an outbox row:
`notified_at` is empty until it reached Telegram), so a crash cannot lose it.

The interest link's token names one recipient row of one campaign, signed with the company's secret
under its own purpose: it cannot be forged, nor turned to another campaign or contact.

The funnel (`funnel`): each contact counts at a step only if it counted at the step before, so the
counts never grow down the funnel. Quotations and orders are attributed to a campaign when they are
made out to the responding contact's customer account (a customer, or the party's attached account)
and created at or after the contact's Interested response; cancelled orders, journals and returns
are not "won".
"""
from __future__ import annotations

import base64
import binascii
import hmac
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from hashlib import sha256

from domain.errors import N_, InvalidInput
from domain.relationship import Party, Stage


class ResponseKind(StrEnum):
    INTERESTED = "interested"
    NOT_NOW = "not_now"


class Effect(StrEnum):
    LEAD = "lead"              # a prospect became a lead
    OPPORTUNITY = "opportunity"  # a lead became an opportunity, its estimate pending
    QUALIFY = "qualify"        # responses recorded before 0019: a lead the salesperson was asked to qualify
    NOTED = "noted"            # a party already at opportunity (or beyond): recorded, salesperson told
    QUOTE = "quote"            # a customer: recorded, the salesperson is asked to start a quotation
    NONE = "none"              # Not now: recorded only


def effect_of(kind: ResponseKind, contact_kind: str, stage: Stage | None,
              has_open_opportunity: bool = False) -> Effect:
    if ResponseKind(kind) is ResponseKind.NOT_NOW:
        return Effect.NONE
    if contact_kind == "customer" or stage is Stage.CUSTOMER:
        return Effect.QUOTE
    if stage is Stage.PROSPECT:
        return Effect.LEAD
    if stage is Stage.LEAD or (stage is Stage.OPPORTUNITY and not has_open_opportunity):
        return Effect.OPPORTUNITY
    return Effect.NOTED


def start_sales_process(party: Party | None, effect: Effect, by: int, now: datetime) -> None:
    """What a positive answer does to the party, whichever way it came (button, link, telephone)."""
    if effect is Effect.LEAD:
        party.make_lead(by, now)
    elif effect is Effect.OPPORTUNITY:
        party.open_opportunity_from_response(by, now)


@dataclass(frozen=True)
class Response:
    campaign_id: int
    recipient_id: int
    contact_kind: str
    contact_id: int
    kind: ResponseKind
    effect: Effect
    party_id: int | None = None
    customer_id: int | None = None
    notify_user_id: int | None = None


# --- the interest link ---------------------------------------------------------------------------

_PURPOSE = b"salesbot campaign interest\x00"
_BODY = struct.Struct(">BII")  # version, campaign id, recipient row id
_MAC_BYTES = 12
BAD_LINK = N_("This link is not valid. Please use the link from our latest e-mail.")


class InterestLinkRefused(InvalidInput):
    pass


def interest_token(secret: bytes, campaign_id: int, recipient_id: int) -> str:
    if not secret:
        raise ValueError("interest links need SALESBOT_SECRET_KEY")
    body = _BODY.pack(1, campaign_id, recipient_id)
    mac = hmac.new(secret, _PURPOSE + body, sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode("ascii")


def read_interest_token(secret: bytes | None, token: str) -> tuple[int, int]:
    """(campaign id, recipient row id), or InterestLinkRefused."""
    token = (token or "").strip()
    if not secret or not token or len(token) > 64:
        raise InterestLinkRefused(BAD_LINK)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise InterestLinkRefused(BAD_LINK) from None
    if len(raw) != _BODY.size + _MAC_BYTES:
        raise InterestLinkRefused(BAD_LINK)
    body, mac = raw[:_BODY.size], raw[_BODY.size:]
    if not hmac.compare_digest(mac, hmac.new(secret, _PURPOSE + body, sha256).digest()[:_MAC_BYTES]):
        raise InterestLinkRefused(BAD_LINK)
    version, campaign_id, recipient_id = _BODY.unpack(body)
    if version != 1 or not campaign_id or not recipient_id:
        raise InterestLinkRefused(BAD_LINK)
    return campaign_id, recipient_id


# --- the funnel ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactFacts:
    """What happened to one targeted contact (all its rows, both channels, taken together)."""
    states: frozenset[str]          # the recipient rows' states
    unsubscribed: bool = False      # opted out (any channel) after the campaign started
    responded: bool = False
    interested: bool = False
    lead: bool = False              # its Interested started the sales process for a party
    quotations: int = 0             # attributed quotations
    orders_won: int = 0             # attributed orders (not cancelled, not journals or returns)
    won_value: Decimal = Decimal("0")


@dataclass(frozen=True)
class Funnel:
    targeted: int = 0
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    responded: int = 0
    interested: int = 0
    leads: int = 0
    quotations: int = 0
    quoted_contacts: int = 0
    orders_won: int = 0
    won_contacts: int = 0
    won_value: Decimal = Decimal("0")

    def steps(self) -> list[tuple[str, int]]:
        """The chart's steps, widest first; each a subset of the one before."""
        return [(N_("Targeted"), self.targeted), (N_("Sent"), self.sent),
                (N_("Responded"), self.responded), (N_("Interested"), self.interested),
                (N_("Quoted"), self.quoted_contacts), (N_("Won"), self.won_contacts)]


def funnel(contacts: Iterable[ContactFacts]) -> Funnel:
    """Counts per contact. Sent: at least one row reached them; failed/bounced: none did and a row
    failed (or is unknown) / bounced. Responded needs sent, interested needs responded, quoted needs
    interested, won needs quoted: a step never counts more than the one above it."""
    n = {k: 0 for k in ("targeted", "sent", "failed", "bounced", "unsubscribed", "responded",
                        "interested", "leads", "quotations", "quoted", "orders", "won")}
    value = Decimal("0")
    for c in contacts:
        n["targeted"] += 1
        sent = "sent" in c.states
        if not sent:
            if "bounced" in c.states:
                n["bounced"] += 1
            elif c.states & {"failed", "unknown"}:
                n["failed"] += 1
            continue
        n["sent"] += 1
        n["unsubscribed"] += c.unsubscribed
        if not c.responded:
            continue
        n["responded"] += 1
        if not c.interested:
            continue
        n["interested"] += 1
        n["leads"] += c.lead
        if c.quotations:
            n["quotations"] += c.quotations
            n["quoted"] += 1
        if c.orders_won and c.quotations:
            n["orders"] += c.orders_won
            n["won"] += 1
            value += c.won_value
    return Funnel(n["targeted"], n["sent"], n["failed"], n["bounced"], n["unsubscribed"],
                  n["responded"], n["interested"], n["leads"], n["quotations"], n["quoted"],
                  n["orders"], n["won"], value)
