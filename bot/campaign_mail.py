"""Campaign e-mails: rendered from the campaign's templates, with RFC 8058 one-click unsubscribe.

Headers come only from our own data, each value cleaned of CR/LF and other control characters
(bot/campaign_mime.py, bot/mail/message.py), so nothing a contact typed (a name, a company) can add
a header.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bot.campaign_mime import campaign_message
from bot.mail.message import MESSAGE_POLICY, OutgoingMail, build_message, format_address, make_message_id
from domain.campaign_content import CompiledContent
from domain.campaign_response import interest_token
from domain.consent import unsubscribe_token

# Lines up to RFC 5322's 998: folding at 78 would turn a long List-Unsubscribe into RFC 2047
# encoded words, which mail clients do not read as links.
_WIDE = MESSAGE_POLICY.clone(max_line_length=998)


@dataclass(frozen=True)
class Recipient:
    contact_kind: str
    contact_id: int
    email: str
    name: str
    company: str = ""
    salesperson: str = ""
    row_id: int = 0  # the recipient row: its signed "I'm interested" link (0: a preview or a test)


class CampaignMailer:
    """`unsubscribe_mailbox`: an address the request mailbox's poller reads (bot/imap_poller.py
    opts out the contact of an 'unsubscribe TOKEN' mail); None without one, and then List-Unsubscribe
    offers only the https one-click link (a mailto nobody reads would be an unsubscribe ignored)."""

    def __init__(self, mail_from: str, public_url: str, secret: bytes | None,
                 unsubscribe_mailbox: str | None = None) -> None:
        self.mail_from = mail_from
        self.public_url = public_url.rstrip("/")
        self.secret = secret
        address = mail_from.rpartition("<")[2].rstrip(">").strip()
        self.mail_from_address = address
        self.domain = address.rpartition("@")[2] or "localhost"
        self.unsubscribe_mailbox = unsubscribe_mailbox

    def message_id(self, campaign_id: int, row_id: int) -> str:
        """Stable per recipient row: a retry (4xx) keeps it, so a receiver can deduplicate."""
        return make_message_id(f"campaign-{campaign_id}-{row_id}", self.domain)

    def _unsubscribe_url(self, token: str) -> str:
        return f"{self.public_url}/unsubscribe/{token}"

    def interest_url(self, campaign_id: int, row_id: int) -> str:
        if not row_id:
            return f"{self.public_url}/interest/preview"
        return f"{self.public_url}/interest/{interest_token(self.secret, campaign_id, row_id)}"

    def fields(self, campaign_name: str, recipient: Recipient, campaign_id: int = 0) -> dict[str, str]:
        return self._fields(campaign_name, recipient, campaign_id, self._token(recipient))

    def _token(self, recipient: Recipient) -> str:
        return unsubscribe_token(self.secret, recipient.contact_kind, recipient.contact_id)

    def _fields(self, campaign_name: str, recipient: Recipient, campaign_id: int, token: str) -> dict[str, str]:
        return {"contact_name": recipient.name, "company": recipient.company,
                "salesperson": recipient.salesperson, "campaign": campaign_name,
                "unsubscribe_url": self._unsubscribe_url(token),
                "interest_url": self.interest_url(campaign_id, recipient.row_id)}

    def _headers(self, token: str) -> tuple[tuple[str, str], ...]:
        links = f"<{self._unsubscribe_url(token)}>"
        if self.unsubscribe_mailbox:
            links = f"<mailto:{self.unsubscribe_mailbox}?subject=unsubscribe%20{quote(token)}>, " + links
        return (("List-Unsubscribe", links), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))

    def build(self, content: CompiledContent, campaign_name: str, recipient: Recipient, message_id: str,
              to: str | None = None, campaign_id: int = 0) -> bytes:
        """The message as bytes; `to` overrides the address (the test send to oneself), the links stay
        the recipient's. Raises ValueError for an address no server would take."""
        token = self._token(recipient)  # signed once: the body's link and the headers share it
        rendered = content.render(self._fields(campaign_name, recipient, campaign_id, token))
        return campaign_message(message_id=message_id, mail_from=self.mail_from, to_name=recipient.name,
                                to_email=to or recipient.email, subject=rendered.subject,
                                text=rendered.text, html=rendered.html,
                                extra_headers=self._headers(token))

    def build_with_email_package(self, content: CompiledContent, campaign_name: str,
                                 recipient: Recipient, message_id: str) -> bytes:
        """The same mail through the email package: slow (~4 ms), the reference the tests compare with."""
        rendered = content.render(self.fields(campaign_name, recipient))
        mail = OutgoingMail(message_id=message_id, mail_from=self.mail_from,
                            to=format_address(recipient.name, recipient.email), subject=rendered.subject,
                            text=rendered.text, html=rendered.html,
                            extra_headers=self._headers(self._token(recipient)))
        return build_message(mail).as_bytes(policy=_WIDE)
