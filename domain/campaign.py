"""Campaigns (the seed: telemarketing, mailing and e-mail campaigns) and their recipients.

A campaign moves DRAFT -> SCHEDULED -> SENDING -> DONE, can be PAUSED while scheduled or sending and
CANCELLED before it is done. Per type:

- e-mail: needs content in its own language before it is scheduled; SENDING until every recipient
  row is final;
- mailing: needs content (the letter) and is never scheduled: producing its print file (one PDF,
  a letter per target) takes it from DRAFT through SENDING to DONE at once;
- telemarketing: needs no content; scheduled like an e-mail campaign, starting it builds the call
  list (domain/call_list.py), and it is DONE once no call is open.
 When it starts, every target becomes one recipient row; each row moves
queued -> sending -> sent (or back to queued for a retry, or failed, bounced, skipped, unknown;
a row still queued when the campaign is cancelled becomes cancelled, in the same transaction):

- `sending` is committed BEFORE the message is handed to SMTP (before DATA);
- a row found in `sending` after its lease ran out belongs to a sender that died between that commit
  and recording the outcome: the mail may or may not have gone out. It becomes UNKNOWN and is never
  resent automatically (a recipient must not get a mailing twice); the count is reported in the
  campaign's status for a person to decide.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.customer import check_language
from domain.errors import N_, InvalidInput, TransitionNotAllowed
from domain.relationship import Stage
from domain.tags import normalize_tag
from domain.workflow import Workflow

MAX_NAME = 120
MAX_GROUP = 40
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)


class CampaignType(StrEnum):
    TELEMARKETING = "telemarketing"
    MAILING = "mailing"
    EMAIL = "email"


TYPE_WORDS = {"telemarketing": CampaignType.TELEMARKETING, "mailing": CampaignType.MAILING,
              "email": CampaignType.EMAIL, "e-mail": CampaignType.EMAIL}


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


S = CampaignStatus
FLOW = Workflow.of(N_("Campaign"), [
    (S.DRAFT, S.SCHEDULED), (S.DRAFT, S.SENDING), (S.SCHEDULED, S.SENDING), (S.SCHEDULED, S.DRAFT),
    (S.SCHEDULED, S.PAUSED), (S.SENDING, S.PAUSED), (S.PAUSED, S.SCHEDULED), (S.PAUSED, S.SENDING),
    (S.SENDING, S.DONE),
    (S.DRAFT, S.CANCELLED), (S.SCHEDULED, S.CANCELLED), (S.SENDING, S.CANCELLED),
    (S.PAUSED, S.CANCELLED),
])


class RecipientState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"
    SKIPPED = "skipped"    # opted out (consent) before it was sent
    UNKNOWN = "unknown"    # found in `sending` after a crash: maybe sent; never resent automatically
    CANCELLED = "cancelled"  # never sent: the campaign was cancelled first


FINAL_STATES = frozenset({RecipientState.SENT, RecipientState.FAILED, RecipientState.BOUNCED,
                          RecipientState.SKIPPED, RecipientState.UNKNOWN, RecipientState.CANCELLED})


def parse_type(text: str) -> CampaignType:
    key = (text or "").strip().lower()
    if key not in TYPE_WORDS:
        raise InvalidInput(N_("'{text}' is not a campaign type; use e-mail, mailing or telemarketing."),
                           text=text)
    return TYPE_WORDS[key]


@dataclass(frozen=True)
class Selection:
    """Who a campaign reaches: contacts at one relationship stage (or all), of one customer group, in
    one language, carrying tags; empty means any. Several tags mean all of them (`tag=vip tag=retail`
    reaches contacts tagged both vip and retail)."""
    stage: Stage | None = None
    customer_group: str = ""
    language: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.stage is not None:
            object.__setattr__(self, "stage", Stage(self.stage))
        group = (self.customer_group or "").strip()
        if len(group) > MAX_GROUP:
            raise InvalidInput(N_("A customer group can have at most {count} characters."), count=MAX_GROUP)
        object.__setattr__(self, "customer_group", group)
        if self.language:
            object.__setattr__(self, "language", check_language(self.language))
        object.__setattr__(self, "tags", tuple(sorted({normalize_tag(tag) for tag in self.tags})))

    @classmethod
    def parse(cls, text: str) -> Selection:
        """`stage=customer group=retail language=nl tag=vip` (any order, any subset, `tag=` repeatable;
        `all` for everyone)."""
        values: dict[str, str] = {}
        tags: list[str] = []
        for word in (text or "").replace(",", " ").split():
            if word.lower() in ("all", "alle"):
                continue
            key, sep, value = word.partition("=")
            key = {"stage": "stage", "fase": "stage", "group": "group", "groep": "group",
                   "language": "language", "taal": "language", "tag": "tag"}.get(key.lower())
            if key == "tag" and value:
                tags.append(value)
                continue
            if not sep or key is None or not value or key in values:
                raise InvalidInput(N_("'{text}' is not a selection; type for example stage=customer "
                                      "group=retail language=nl tag=vip, or all."), text=word)
            values[key] = value
        stage = None
        if "stage" in values:
            try:
                stage = Stage(values["stage"].lower())
            except ValueError:
                raise InvalidInput(N_("'{text}' is not a stage; use prospect, lead, opportunity or "
                                      "customer."), text=values["stage"]) from None
        return cls(stage, values.get("group", ""), values.get("language", ""), tuple(tags))

    def describe(self) -> str:
        parts = [f"stage={self.stage}" if self.stage else "",
                 f"group={self.customer_group}" if self.customer_group else "",
                 f"language={self.language}" if self.language else "",
                 *(f"tag={tag}" for tag in self.tags)]
        return " ".join(p for p in parts if p) or "all"


@dataclass(eq=False)
class CampaignContent:
    """One language's e-mail: Jinja2 templates for the subject, the text part and the HTML part."""
    language: str
    subject: str
    text: str
    html: str
    campaign_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Campaign:
    type: CampaignType
    name: str
    language: str
    created_by: int
    created_at: datetime
    stage: Stage | None = None
    customer_group: str = ""
    target_language: str = ""
    tags: str = ""  # the selection's tags, space-separated
    status: CampaignStatus = CampaignStatus.DRAFT
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    contents: list[CampaignContent] = field(default_factory=list)
    id: int | None = None
    version: int = 1

    @classmethod
    def create(cls, type_: CampaignType, name: str, language: str, selection: Selection, by: int,
               now: datetime) -> Campaign:
        name = " ".join((name or "").split())
        if not name:
            raise InvalidInput(N_("A campaign needs a name."))
        if len(name) > MAX_NAME:
            raise InvalidInput(N_("A campaign name can have at most {count} characters."), count=MAX_NAME)
        return cls(CampaignType(type_), name, check_language(language), by, now, selection.stage,
                   selection.customer_group, selection.language, " ".join(selection.tags))

    @property
    def selection(self) -> Selection:
        return Selection(self.stage, self.customer_group, self.target_language,
                         tuple((self.tags or "").split()))

    @property
    def label(self) -> str:
        return f"#{self.id}"

    def content_for(self, language: str) -> CampaignContent | None:
        """The recipient's language if there is content in it, else the campaign's own language."""
        by_language = {c.language: c for c in self.contents}
        return by_language.get(language) or by_language.get(self.language)

    def set_content(self, content: CampaignContent) -> None:
        if self.status not in (S.DRAFT, S.SCHEDULED, S.PAUSED):
            raise TransitionNotAllowed(N_("Campaign {number} is {status}; its content can no longer "
                                          "change."), number=self.label, status=self.status)
        content.language = check_language(content.language)
        for existing in self.contents:
            if existing.language == content.language:
                existing.subject, existing.text, existing.html = content.subject, content.text, content.html
                return
        self.contents.append(content)

    def _move(self, target: CampaignStatus) -> None:
        FLOW.check(self.label, self.status, target)
        self.status = target

    def _require_sendable(self) -> None:
        if self.started_at is not None:
            if self.status is S.PAUSED:
                raise TransitionNotAllowed(N_("Campaign {number} has already started; resume it instead."),
                                           number=self.label)
            raise TransitionNotAllowed(N_("Campaign {number} has already started ({status}); a campaign "
                                          "is sent once."), number=self.label, status=self.status)
        if self.type is CampaignType.MAILING:
            raise InvalidInput(N_("A mailing campaign is printed, not sent: get its letters with the "
                                  "Letters PDF button."))
        if self.type is CampaignType.EMAIL and self.content_for(self.language) is None:
            raise InvalidInput(N_("Campaign {number} has no content in its own language ({language}) "
                                  "yet."), number=self.label, language=self.language)

    def schedule(self, at: datetime, now: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a schedule needs a time zone")
        if at <= now:
            raise InvalidInput(N_("That time has passed; give a later time, or send now."))
        self._require_sendable()
        self._move(S.SCHEDULED)
        self.scheduled_at = at

    def send_now(self, now: datetime) -> None:
        """Due at once: the scheduler starts it on its next poll (within seconds)."""
        self._require_sendable()
        if self.status is not S.SCHEDULED:
            self._move(S.SCHEDULED)
        self.scheduled_at = now

    def is_due(self, now: datetime) -> bool:
        return self.status is S.SCHEDULED and self.scheduled_at is not None and self.scheduled_at <= now

    def start(self, now: datetime) -> None:
        """The scheduler starts a due campaign: recipients are queued in the same transaction."""
        self._move(S.SENDING)
        self.started_at = now

    def pause(self) -> None:
        self._move(S.PAUSED)

    def resume(self) -> None:
        """Back to sending if it had started, else back to its schedule (fired at once when due)."""
        if self.status is not S.PAUSED:
            raise TransitionNotAllowed(N_("Campaign {number} is {status}, not paused."), number=self.label,
                                       status=self.status)
        self._move(S.SENDING if self.started_at is not None else S.SCHEDULED)

    def cancel(self, now: datetime) -> None:
        self._move(S.CANCELLED)
        self.finished_at = now

    def print_letters(self, now: datetime) -> bool:
        """A mailing's print file was produced: the campaign is done (DRAFT -> SENDING -> DONE).
        Printing a done mailing again is allowed and changes nothing (False)."""
        if self.type is not CampaignType.MAILING:
            raise InvalidInput(N_("Only a mailing campaign has letters to print."))
        if self.content_for(self.language) is None:
            raise InvalidInput(N_("Campaign {number} has no content in its own language ({language}) "
                                  "yet."), number=self.label, language=self.language)
        if self.status is S.DONE:
            return False
        if self.status is not S.SENDING:
            self._move(S.SENDING)
        self.started_at = self.started_at or now
        self.finish(now)
        return True

    def finish(self, now: datetime) -> None:
        self._move(S.DONE)
        self.finished_at = now


@dataclass(frozen=True)
class Target:
    """One contact a campaign reaches: a customer or a party (prospect, lead, opportunity)."""
    contact_kind: str  # "customer" or "party"
    contact_id: int
    email: str
    language: str
    name: str
    company: str = ""
    salesperson: str = ""


def retry_delay(attempt: int) -> timedelta:
    """After failed attempt `attempt` (1-based): 30 s, 1 min, 2 min, ... capped at an hour."""
    return min(RETRY_BASE * 2 ** min(max(attempt, 1) - 1, 20), RETRY_CAP)


@dataclass(frozen=True)
class Outcome:
    """What becomes of a recipient row after one SMTP attempt."""
    state: RecipientState
    retry_at: datetime | None = None
    opt_out: bool = False  # a permanent refusal: the address is marked bouncing in the consent record


def outcome_of(code: int | None, delivered: bool, attempts: int, now: datetime,
               ambiguous: bool = False) -> Outcome:
    """The policy for one attempt (`attempts` counts it): 2xx sent; 5xx bounced (and opted out);
    4xx or no reply before DATA retried with backoff up to MAX_ATTEMPTS; a connection lost during
    DATA is ambiguous (the server may have accepted it): unknown, not resent."""
    if delivered:
        return Outcome(RecipientState.SENT)
    if ambiguous:
        return Outcome(RecipientState.UNKNOWN)
    if code is not None and 500 <= code < 600:
        return Outcome(RecipientState.BOUNCED, opt_out=True)
    if attempts >= MAX_ATTEMPTS:
        return Outcome(RecipientState.FAILED)
    return Outcome(RecipientState.QUEUED, now + retry_delay(attempts))


@dataclass(frozen=True)
class CampaignProgress:
    targeted: int = 0
    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    skipped: int = 0
    unknown: int = 0
    cancelled: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> CampaignProgress:
        return cls(targeted=sum(counts.values()), **{str(k): v for k, v in counts.items()})
